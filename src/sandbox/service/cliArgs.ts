/** The sandbox program's command line (cli.ts), parsed without side effects so it can be tested. */
import { resolve } from 'node:path';
import { ExitCode, ServiceError } from './exitCodes';
import type { RateLimitSettings, Retention } from '../index';
import { DEFAULT_PORT } from './ports';

export interface CliArgs {
  port: number;
  dataDir?: string;
  discoveryFile?: string;
  keysOnStdout: boolean;
  seedFile?: string;
  marketMaker: boolean;
  rateLimits: RateLimitSettings;
  retention: Partial<Retention>;
  /** Start from this state file (an export) instead of the data folder's state. */
  importFile?: string;
  /** Write the whole state to this file when stopping cleanly. */
  exportOnExit?: string;
  /** One log line per request, a failure with its diagnosis. */
  logRequests: boolean;
  /** Requests the inspector keeps (0: none recorded). */
  requestLogSize?: number;
}

export const USAGE =
  'usage: sandbox [--port N] [--data DIR | --in-memory] [--discovery FILE] [--no-keys-on-stdout] [--seed FILE] [--no-market-maker]\n' +
  '              [--weight-per-minute N] [--orders-per-10s N] [--orders-per-day N]\n' +
  '              [--keep-closed-orders N] [--keep-trades N] [--keep-candles N] [--import FILE] [--export-on-exit FILE] [--log-requests]\n' +
  `  --port N             127.0.0.1 port (default ${DEFAULT_PORT}; 0 = any free port)\n` +
  '  --data DIR           keep keys, accounts, orders and trades in DIR (created if missing); an order is\n' +
  '                       answered once it is on disk, and a restart (even after a crash) continues from it\n' +
  '  --in-memory          keep nothing on disk, new keys each start (the default without --data)\n' +
  '  --discovery FILE     write where this sandbox runs (pid, port, start time) to FILE; removed on exit\n' +
  '  --no-keys-on-stdout  leave the keys out of the JSON line (read them from DIR/keys.json)\n' +
  "  --import FILE        start from a state file (an export); with --data it replaces the folder's state\n" +
  '  --export-on-exit FILE  write the whole state to FILE when the sandbox stops cleanly\n' +
  '  --log-requests       log one line per request, a failed one with why it failed and how to fix it\n' +
  '  --request-log N      requests kept for GET /sandbox/v1/requests (default 2000; 0 records none)\n' +
  '  --weight-per-minute N, --orders-per-10s N, --orders-per-day N   rate limits (defaults 6000, 100, 200000)\n' +
  '  --keep-closed-orders N, --keep-trades N, --keep-candles N        history kept (defaults 100000, 100000, 1000)\n';

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {
    port: DEFAULT_PORT,
    keysOnStdout: true,
    marketMaker: true,
    rateLimits: {},
    retention: {},
    logRequests: false,
  };
  let inMemory = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--port') {
      const text = value();
      const port = Number(text);
      if (!/^\d+$/.test(text) || port > 65535) throw usage(`--port must be 0..65535 (got ${text})`);
      args.port = port;
    } else if (arg === '--data') args.dataDir = resolve(value());
    else if (arg === '--in-memory') inMemory = true;
    else if (arg === '--discovery') args.discoveryFile = resolve(value());
    else if (arg === '--no-keys-on-stdout') args.keysOnStdout = false;
    else if (arg === '--seed') args.seedFile = value();
    else if (arg === '--no-market-maker') args.marketMaker = false;
    else if (arg === '--import') args.importFile = resolve(value());
    else if (arg === '--export-on-exit') args.exportOnExit = resolve(value());
    else if (arg === '--log-requests') args.logRequests = true;
    else if (arg === '--request-log') {
      const text = value();
      args.requestLogSize = text === '0' ? 0 : positiveInt(arg, text);
    } else if (arg === '--weight-per-minute') args.rateLimits.weightPerMinute = positiveInt(arg, value());
    else if (arg === '--orders-per-10s') args.rateLimits.ordersPer10s = positiveInt(arg, value());
    else if (arg === '--orders-per-day') args.rateLimits.ordersPerDay = positiveInt(arg, value());
    else if (arg === '--keep-closed-orders') args.retention.closedOrders = positiveInt(arg, value());
    else if (arg === '--keep-trades') args.retention.trades = positiveInt(arg, value());
    else if (arg === '--keep-candles') args.retention.candles = positiveInt(arg, value());
    else throw usage(`unknown argument ${arg}`);
  }
  if (inMemory && args.dataDir !== undefined) throw usage('--data and --in-memory exclude each other: pick one');
  return args;
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw usage(`${flag} must be a whole number of at least 1 (got ${text})`);
  return n;
}

function usage(problem: string): ServiceError {
  return new ServiceError(`${problem}\n${USAGE}`, ExitCode.usage);
}
