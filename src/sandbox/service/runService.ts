/**
 * The sandbox as a long-running service (what `npm run sandbox` and the extension start): with
 * `dataDir`, the folder's marker, lock, keys and log; the exchange on the port; the discovery file;
 * one stop path for SIGINT/SIGTERM and POST /sandbox/v1/shutdown that closes the server, removes the
 * discovery file and releases the lock. Failures carry an exit code (exitCodes.ts) and a message
 * saying what to do. With a data folder, accounts, orders and runtime keys persist in its state/
 * (../persistence); a write failure stops the service (exit code 6) rather than answer what it
 * could not keep.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type RateLimitSettings, type Retention, type SandboxHandle, type SandboxSeed } from '../index';
import { StoreDamagedError } from '../persistence/durableStore';
import { decodeState, StateFileError, type SandboxState } from '../persistence/stateFile';
import { writeBytesAtomic } from './atomicFile';
import { openDataDir, type DataDirPaths } from './dataDir';
import { removeDiscovery, writeDiscovery } from './discoveryFile';
import { ExitCode, ServiceError, type ExitCodeValue } from './exitCodes';
import { loadOrCreateKeys, type SandboxKeys } from './keysFile';
import { defaultKeyRegistryDir, openKeyRegistry } from './keyRegistry';
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
  /** Start from this state file (CLI --import); with a data folder it replaces the folder's state. */
  importFile?: string;
  /** Write the whole state here on a clean stop (CLI --export-on-exit). */
  exportOnExit?: string;
  /** One log line per request (CLI --log-requests). */
  logRequests?: boolean;
  /** Requests the inspector keeps (CLI --request-log; 0 records none). */
  requestLogSize?: number;
  /** The per-user key registry's folder (keyRegistry.ts); default defaultKeyRegistryDir(). */
  keyRegistryDir?: string;
  /** Where log lines go without a data folder (with one, they go to its sandbox.log). */
  log: (line: string) => void;
}

export interface RunningService {
  readonly sandbox: SandboxHandle;
  readonly paths: DataDirPaths | undefined;
  /** Stops everything once (later calls return the same promise). */
  stop(reason: string): Promise<void>;
  /** Settles when the service has stopped, whoever asked, with the exit code the program should end with. */
  readonly stopped: Promise<{ exitCode: ExitCodeValue }>;
}

/** An import file is read before anything else is touched, so a bad one changes nothing. */
function readImport(file: string): SandboxState {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    throw new ServiceError(`Cannot read the import file ${file}: ${(error as Error).message}.`, ExitCode.usage);
  }
  try {
    return decodeState(data, file).state;
  } catch (error) {
    if (error instanceof StateFileError)
      throw new ServiceError(`${error.message} Nothing was changed; import an export of a sandbox.`, ExitCode.usage);
    throw error;
  }
}

export async function runService(options: ServiceOptions): Promise<RunningService> {
  const startedAt = new Date().toISOString();
  const initialState = options.importFile === undefined ? undefined : readImport(options.importFile);
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
  let requestStop: (reason: string, exitCode?: ExitCodeValue) => void = () => undefined;
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
      stateDir: paths ? join(paths.dir, 'state') : undefined,
      logRequests: options.logRequests,
      requestLogSize: options.requestLogSize,
      requestLogFile: paths ? join(paths.dir, 'requests.jsonl') : undefined,
      keyRegistry: openKeyRegistry(options.keyRegistryDir ?? defaultKeyRegistryDir(), paths?.dir ?? 'in-memory', log),
      initialState,
      onStorageFailure: (error) =>
        requestStop(
          `the state could not be written (${error.message}). Every order answered before is kept; ` +
            'free disk space (or fix the disk) and start the sandbox again',
          ExitCode.storageFailed,
        ),
      startedAt,
      onShutdownRequest: () => requestStop('shutdown requested (POST /sandbox/v1/shutdown)'),
    });
  } catch (error) {
    lock?.release();
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    const failure = inUse
      ? new ServiceError(portInUseMessage(options.port, await identifyPortHolder(options.port)), ExitCode.portInUse)
      : error instanceof StoreDamagedError
        ? new ServiceError(error.message, ExitCode.dataDirUnusable)
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
  let markStopped: (ending: { exitCode: ExitCodeValue }) => void = () => undefined;
  const stopped = new Promise<{ exitCode: ExitCodeValue }>((resolve) => (markStopped = resolve));
  const stop = (reason: string, exitCode: ExitCodeValue = ExitCode.ok): Promise<void> => {
    stopping ??= (async (): Promise<void> => {
      log(`stopping: ${reason}`);
      try {
        await sandbox.close();
        if (options.exportOnExit && exitCode === ExitCode.ok) {
          writeBytesAtomic(options.exportOnExit, sandbox.exportState());
          log(`state exported to ${options.exportOnExit}`);
        }
      } catch (error) {
        log(`closing the server failed: ${(error as Error).message}`);
      } finally {
        if (options.discoveryFile) removeDiscovery(options.discoveryFile, discovery);
        // After a storage failure the lock stays, as after a crash: the extension's watch then reports
        // a crash with the log's last lines, which say what failed; the next start takes the lock over.
        if (exitCode !== ExitCode.storageFailed) lock?.release();
        log('stopped');
        logFile?.close();
        markStopped({ exitCode });
      }
    })();
    return stopping;
  };
  requestStop = (reason, exitCode) => void stop(reason, exitCode);
  return { sandbox, paths, stop, stopped };
}
