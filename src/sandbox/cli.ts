/**
 * `npm run sandbox -- [--port N] [--data DIR | --in-memory] [--discovery FILE] [--no-keys-on-stdout]
 *                     [--seed FILE] [--no-market-maker] [--import FILE] [--export-on-exit FILE]`
 * Prints exactly one JSON line on stdout once listening (URLs, pid, port, startedAt, version, data
 * folder, and the keys unless --no-keys-on-stdout); logs go to stderr, or with --data to
 * DIR/sandbox.log. SIGINT/SIGTERM and POST /sandbox/v1/shutdown stop it with exit code 0; a failure
 * exits with the code service/exitCodes.ts names.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, USAGE } from './service/cliArgs';
import { ExitCode, ServiceError } from './service/exitCodes';
import { runService } from './service/runService';
import { SANDBOX_VERSION } from './service/version';
import { bufferedLines } from './lineBuffer';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(USAGE);
    process.exit(ExitCode.ok);
  }
  const args = parseArgs(argv);
  const seed = args.seedFile ? JSON.parse(readFileSync(args.seedFile, 'utf8')) : undefined;
  const stderr = bufferedLines((text) => process.stderr.write(text));
  process.on('exit', () => stderr.flush());
  const log = (line: string): void => stderr.log(`[sandbox] ${line}`);
  const service = await runService({
    port: args.port,
    dataDir: args.dataDir,
    discoveryFile: args.discoveryFile,
    seed,
    marketMaker: args.marketMaker,
    rateLimits: args.rateLimits,
    retention: args.retention,
    importFile: args.importFile,
    exportOnExit: args.exportOnExit,
    logRequests: args.logRequests,
    requestLogSize: args.requestLogSize,
    log,
  });
  const { sandbox, paths } = service;
  const keys = args.keysOnStdout
    ? { apiKey: sandbox.apiKey, secret: sandbox.secret, ed25519: sandbox.ed25519 }
    : paths
      ? { keysFile: paths.keys }
      : {};
  process.stdout.write(
    `${JSON.stringify({
      baseUrl: sandbox.baseUrl,
      wsApiUrl: sandbox.wsApiUrl,
      streamUrl: sandbox.streamUrl,
      ...keys,
      port: sandbox.port,
      pid: process.pid,
      startedAt: sandbox.startedAt,
      version: SANDBOX_VERSION,
      dataDir: paths?.dir ?? 'in-memory',
    })}\n`,
  );
  if (paths) log(`data in ${paths.dir}; log lines go to ${paths.log}`);
  process.on('SIGINT', () => void service.stop('SIGINT'));
  process.on('SIGTERM', () => void service.stop('SIGTERM'));
  const ending = await service.stopped;
  process.exit(ending.exitCode);
}

main().catch((error: unknown) => {
  process.stderr.write(`[sandbox] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ServiceError ? error.exitCode : ExitCode.failed);
});
