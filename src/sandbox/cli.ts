/**
 * `npm run sandbox -- --port 0 [--seed FILE] [--no-market-maker] [--weight-per-minute N]
 *   [--orders-per-10s N] [--orders-per-day N] [--keep-closed-orders N] [--keep-trades N] [--keep-candles N]`
 * Prints exactly one JSON line on stdout once listening (baseUrl, wsApiUrl, keys); logs go to
 * stderr; SIGINT/SIGTERM close the server and exit with code 0.
 */
import { readFileSync } from 'node:fs';
import { RateLimitSettings, Retention, startSandbox } from './index';
import { bufferedLines } from './lineBuffer';

interface CliArgs {
  port: number;
  seedFile?: string;
  marketMaker: boolean;
  rateLimits: RateLimitSettings;
  retention: Partial<Retention>;
}

const USAGE =
  'usage: sandbox [--port N] [--seed FILE] [--no-market-maker] [--weight-per-minute N] [--orders-per-10s N] [--orders-per-day N] [--keep-closed-orders N] [--keep-trades N] [--keep-candles N]';

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} must be a whole number of at least 1 (got ${text})`);
  return n;
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { port: 0, marketMaker: true, rateLimits: {}, retention: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0..65535');
      args.port = port;
    } else if (arg === '--seed') args.seedFile = value();
    else if (arg === '--no-market-maker') args.marketMaker = false;
    else if (arg === '--weight-per-minute') args.rateLimits.weightPerMinute = positiveInt(arg, value());
    else if (arg === '--orders-per-10s') args.rateLimits.ordersPer10s = positiveInt(arg, value());
    else if (arg === '--orders-per-day') args.rateLimits.ordersPerDay = positiveInt(arg, value());
    else if (arg === '--keep-closed-orders') args.retention.closedOrders = positiveInt(arg, value());
    else if (arg === '--keep-trades') args.retention.trades = positiveInt(arg, value());
    else if (arg === '--keep-candles') args.retention.candles = positiveInt(arg, value());
    else if (arg === '--help' || arg === '-h') {
      process.stderr.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}; ${USAGE}`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const seed = args.seedFile ? JSON.parse(readFileSync(args.seedFile, 'utf8')) : undefined;
  const stderr = bufferedLines((text) => process.stderr.write(text));
  process.on('exit', () => stderr.flush());
  const log = (line: string): void => stderr.log(`[sandbox] ${line}`);
  const sandbox = await startSandbox({
    port: args.port,
    seed,
    marketMaker: args.marketMaker,
    rateLimits: args.rateLimits,
    retention: args.retention,
    log,
  });
  process.stdout.write(
    `${JSON.stringify({
      baseUrl: sandbox.baseUrl,
      wsApiUrl: sandbox.wsApiUrl,
      streamUrl: sandbox.streamUrl,
      apiKey: sandbox.apiKey,
      secret: sandbox.secret,
      ed25519: sandbox.ed25519,
    })}\n`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`[sandbox] failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
