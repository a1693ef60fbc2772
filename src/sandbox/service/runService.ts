/**
 * The sandbox as a long-running service (what `npm run sandbox` and the extension start): with
 * `dataDir`, the folder's marker, lock, keys and log; the exchange on the port; the discovery file;
 * one stop path for SIGINT/SIGTERM and POST /sandbox/v1/shutdown that closes the server, removes the
 * discovery file and releases the lock. Failures carry an exit code (exitCodes.ts) and a message
 * saying what to do. Until 10B, accounts and orders live in this process's memory.
 */
import { startSandbox, type RateLimitSettings, type Retention, type SandboxHandle, type SandboxSeed } from '../index';
import { openDataDir, type DataDirPaths } from './dataDir';
import { removeDiscovery, writeDiscovery } from './discoveryFile';
import { ExitCode, ServiceError } from './exitCodes';
import { loadOrCreateKeys, type SandboxKeys } from './keysFile';
import { acquireLock, type DataDirLock } from './lock';
import { openLogFile, type LogFile } from './logFile';
import { identifyPortHolder, portInUseMessage } from './ports';
import { SANDBOX_VERSION } from './version';

export interface ServiceOptions {
  port: number;
  /** Absent: in memory, keys generated for this run only. */
  dataDir?: string;
  discoveryFile?: string;
  seed?: SandboxSeed;
  marketMaker?: boolean;
  rateLimits?: RateLimitSettings;
  retention?: Partial<Retention>;
  /** Where log lines go without a data folder (with one, they go to its sandbox.log). */
  log: (line: string) => void;
}

export interface RunningService {
  readonly sandbox: SandboxHandle;
  readonly paths: DataDirPaths | undefined;
  /** Stops everything once (later calls return the same promise). */
  stop(reason: string): Promise<void>;
  /** Settles when the service has stopped, whoever asked. */
  readonly stopped: Promise<void>;
}

export async function runService(options: ServiceOptions): Promise<RunningService> {
  const startedAt = new Date().toISOString();
  let paths: DataDirPaths | undefined;
  let lock: DataDirLock | undefined;
  let logFile: LogFile | undefined;
  let keys: SandboxKeys | undefined;
  const log = (line: string): void => (logFile ? logFile.write(line) : options.log(line));
  if (options.dataDir !== undefined) {
    paths = openDataDir(options.dataDir);
    lock = acquireLock(paths.lock, paths.dir, { pid: process.pid, startedAt, version: SANDBOX_VERSION });
    try {
      logFile = openLogFile(paths.log);
      const loaded = loadOrCreateKeys(paths.keys);
      keys = loaded.keys;
      log(
        `sandbox ${SANDBOX_VERSION} starting (pid ${process.pid}, data ${paths.dir}, ${loaded.created ? 'new' : 'existing'} keys)`,
      );
    } catch (error) {
      logFile?.close();
      lock.release();
      throw error;
    }
  }

  let sandbox: SandboxHandle;
  let requestStop: (reason: string) => void = () => undefined;
  try {
    sandbox = await startSandbox({
      port: options.port,
      seed: options.seed,
      marketMaker: options.marketMaker,
      rateLimits: options.rateLimits,
      retention: options.retention,
      log,
      keys,
      dataDir: paths?.dir,
      startedAt,
      onShutdownRequest: () => requestStop('shutdown requested (POST /sandbox/v1/shutdown)'),
    });
  } catch (error) {
    lock?.release();
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    const failure = inUse
      ? new ServiceError(portInUseMessage(options.port, await identifyPortHolder(options.port)), ExitCode.portInUse)
      : error;
    // The message goes to stderr (cli.ts), which a launcher sends to the same log file.
    logFile?.close();
    throw failure;
  }

  lock?.setPort(sandbox.port);
  const discovery = { pid: process.pid, startedAt };
  if (options.discoveryFile)
    writeDiscovery(options.discoveryFile, {
      ...discovery,
      port: sandbox.port,
      baseUrl: sandbox.baseUrl,
      dataDir: paths?.dir ?? 'in-memory',
      version: SANDBOX_VERSION,
    });

  let stopping: Promise<void> | undefined;
  let markStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async (): Promise<void> => {
      log(`stopping: ${reason}`);
      try {
        await sandbox.close();
      } catch (error) {
        log(`closing the server failed: ${(error as Error).message}`);
      } finally {
        if (options.discoveryFile) removeDiscovery(options.discoveryFile, discovery);
        lock?.release();
        log('stopped');
        logFile?.close();
        markStopped();
      }
    })();
    return stopping;
  };
  requestStop = (reason) => void stop(reason);
  return { sandbox, paths, stop, stopped };
}
