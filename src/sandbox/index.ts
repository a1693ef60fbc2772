/**
 * The local sandbox: a Binance-compatible Spot exchange (REST /api/v3, WebSocket API /ws-api/v3,
 * market streams /ws and /stream) on 127.0.0.1. No `vscode` import: it runs in tests, in the CLI (dist/sandbox.js) and in the
 * extension host alike.
 */
import { createPublicKey } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { KeyStore, randomKeyString } from './auth';
import { DEFAULT_BALANCES, DEFAULT_SYMBOLS, resolveSymbol, SandboxSeed, validateSeed } from './config';
import { dec } from './decimal';
import { Account, Engine, Retention } from './engine';
import type { JournalFs } from './persistence/journalWriter';
import { openState } from './persistence/openState';
import { decodeState, encodeState, StateFileError, type SandboxState } from './persistence/stateFile';
import { captureState, restoreState, RuntimeKeys } from './sandboxState';
import { FaultState, SandboxFaults, SandboxStats, StatsCounter } from './faults';
import { ClientErrorResponder } from './clientErrors';
import { browserOrRebindingRefusal, createRequestHandler } from './httpServer';
import { feedRequests, REQUEST_FEED_PATH } from './inspector/feed';
import { Inspector } from './inspector/inspector';
import { openRecordFile } from './inspector/recordFile';
import type { KeyRegistry } from './inspector/keyOwnership';
import type { RequestRecorder } from './inspector/recorder';
import { HttpTimeouts, resolveHttpTimeouts, serverOptions } from './httpTimeouts';
import { MarketMaker } from './marketMaker';
import { isStreamPath, MarketStreams } from './marketStreams';
import { ConnectionLimiter, OrderLimiter, RateLimitSettings, WeightLimiter } from './rateLimits';
import { RestEnv } from './route';
import type { SandboxKeys } from './service/keysFile';
import { SANDBOX_SERVICE_NAME, SANDBOX_VERSION } from './service/version';
import { WsApi } from './wsApi';

export type { SandboxSeed, SymbolSeed, AccountSeed } from './config';
export type { SandboxFaults, SandboxStats, FailNextOptions } from './faults';
export type { RateLimitSettings } from './rateLimits';
export type { HttpTimeouts } from './httpTimeouts';
export { DEFAULT_RETENTION } from './engine';
export type { Retention } from './engine';
export type { SandboxKeys } from './service/keysFile';

export interface SandboxOptions {
  /** 0 (default) = any free port. */
  port?: number;
  seed?: SandboxSeed;
  /** Background market maker keeping resting bids/asks on every symbol; default true. */
  marketMaker?: boolean;
  log?: (line: string) => void;
  /** Request-weight and order-count limits (defaults 6000/min, 100/10 s, 200000/day). */
  rateLimits?: RateLimitSettings;
  /** Market streams' server ping interval in ms (default 20000, as on Binance); for tests. */
  streamPingIntervalMs?: number;
  /** How long a request may take to arrive (defaults 10 s for headers, 30 s in all, 5 s keep-alive idle). */
  httpTimeouts?: HttpTimeouts;
  /** Closed history kept in memory; overrides the seed's `retention` (defaults: DEFAULT_RETENTION). */
  retention?: Partial<Retention>;
  /** The default account's keys (a data folder's keys.json); generated when omitted. */
  keys?: SandboxKeys;
  /** The data folder, for the health endpoint only (the service owns its files); omitted: "in-memory". */
  dataDir?: string;
  /** Start time reported by the health endpoint (the service's, shared with its lock); default: when listening. */
  startedAt?: string;
  /** What POST /sandbox/v1/shutdown does after answering; default: close this sandbox. */
  onShutdownRequest?: () => void;
  /**
   * Keep accounts, orders and keys made at run time in this folder (a data folder's state/): an
   * order is answered once it is on disk, and the next start continues from it. Omitted: in memory.
   */
  stateDir?: string;
  /** Start from this state (CLI --import) instead of the folder's; it then replaces the folder's. */
  initialState?: SandboxState;
  /** The state can no longer be written (a full disk): the owner must stop this sandbox. */
  onStorageFailure?: (error: Error) => void;
  /** The journal's writes and syncs, for tests that make the disk fail; default node:fs. */
  journalFiles?: JournalFs;
  /** Requests the inspector keeps (default 2,000; 0 records nothing). */
  requestLogSize?: number;
  /** Writes one log line per request, a failure with its diagnosis (CLI --log-requests). */
  logRequests?: boolean;
  /** Keep the inspector's records in this file across restarts (a data folder's requests.jsonl). */
  requestLogFile?: string;
  /** Tells the per-user key registry this data folder's keys, so another sandbox can name it for them. */
  keyRegistry?: KeyRegistry;
}

/** GET /sandbox/v1/health: who is listening. Never a key or anything secret. */
export interface SandboxHealth {
  status: 'ok';
  service: typeof SANDBOX_SERVICE_NAME;
  version: string;
  pid: number;
  startedAt: string;
  port: number;
  /** The data folder, or "in-memory". */
  dataDir: string;
}

export interface SandboxHandle {
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** ws://127.0.0.1:PORT/ws-api/v3 */
  readonly wsApiUrl: string;
  /** ws://127.0.0.1:PORT/ws (raw market streams; combined ones at ws://127.0.0.1:PORT/stream?streams=...) */
  readonly streamUrl: string;
  readonly port: number;
  /** ISO time, as the health endpoint reports it. */
  readonly startedAt: string;
  /** HMAC key of the default account. */
  readonly apiKey: string;
  readonly secret: string;
  /** Ed25519 key (PKCS#8 PEM) of the same default account. */
  readonly ed25519: { apiKey: string; privateKeyPem: string };
  readonly faults: SandboxFaults;
  readonly stats: SandboxStats;
  /** An extra HMAC account for tests (default testnet-like balances when omitted). */
  createAccount(balances?: Record<string, string>): { apiKey: string; secret: string };
  /** Registers an Ed25519 or RSA public key (PEM) for the default account, like the testnet key page. */
  registerPublicKey(publicKeyPem: string): { apiKey: string };
  /** Credits (or debits, with a negative amount) the account of `apiKey`; emits balanceUpdate. */
  deposit(apiKey: string, asset: string, amount: string): void;
  /** The engine, for tests that check invariants (e.g. balance conservation). */
  readonly engine: Engine;
  /** Every request and its answer (undefined with requestLogSize 0). */
  readonly requests: RequestRecorder | undefined;
  /** The whole state as a state file (persistence/stateFile.ts): what Export writes. */
  exportState(): Buffer;
  /** Becomes the state of a state file; throws StateFileError (nothing changed) if it cannot be read. */
  importState(file: Buffer): void;
  /** A fresh exchange: default balances, no orders, no accounts made at run time; the keys stay. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_ACCOUNT = 'default';

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const log = options.log ?? ((): void => undefined);
  const seed = options.seed ? validateSeed(options.seed) : {};
  const timeouts = resolveHttpTimeouts(options.httpTimeouts);
  const faults = new FaultState();
  const stats = new StatsCounter();
  const now = (): number => Date.now() + faults.clockSkewMs;
  const symbols = (seed.symbols ?? DEFAULT_SYMBOLS).map(resolveSymbol);
  const engineRetention = { ...seed.retention, ...definedOnly(options.retention ?? {}) };
  const engine = new Engine(symbols, { now, commission: seed.commission, retention: engineRetention });
  const keys = new KeyStore();
  const weights = new WeightLimiter(
    options.rateLimits?.weightPerMinute ?? 6000,
    options.rateLimits?.requestsAfter429BeforeBan,
  );
  const orders = new OrderLimiter(options.rateLimits?.ordersPer10s ?? 100, options.rateLimits?.ordersPerDay ?? 200000);

  const runtimeKeys = new RuntimeKeys(keys);
  const marketMaker = options.marketMaker === false ? undefined : new MarketMaker(engine);
  // Accounts come in a fixed order (fees, default, seeds, market maker), so the default account
  // of a restored or imported state is the one the folder's keys belong to.
  const setUpAccounts = (into: Engine): void => {
    into.createAccount(DEFAULT_ACCOUNT, seed.defaultBalances ?? DEFAULT_BALANCES);
    for (const [i, a] of (seed.accounts ?? []).entries())
      into.createAccount(`seed-${i + 1}`, a.balances ?? DEFAULT_BALANCES);
    if (marketMaker) new MarketMaker(into).bind(); // its funded account, in a fresh engine
  };
  const freshState = (): SandboxState => {
    const fresh = new Engine(symbols, { now, commission: seed.commission, retention: engineRetention });
    setUpAccounts(fresh);
    return { engine: fresh.state(), addedKeys: [] };
  };
  const persistence = options.stateDir
    ? openState(options.stateDir, {
        initial: options.initialState,
        fresh: freshState,
        engine,
        keys: runtimeKeys,
        log,
        onFailure: options.onStorageFailure,
        files: options.journalFiles,
      })
    : undefined;
  if (!persistence) restoreState(engine, runtimeKeys, options.initialState ?? freshState());
  marketMaker?.bind();
  const accountNamed = (name: string): Account => engine.allAccounts().find((a) => a.name === name)!;
  const defaultAccount = accountNamed(DEFAULT_ACCOUNT);
  const given = options.keys;
  const hmac = keys.addHmac(defaultAccount.id, given?.hmac.apiKey, given?.hmac.secret);
  const ed = given
    ? {
        record: keys.addPublicKey(
          defaultAccount.id,
          createPublicKey(given.ed25519.privateKeyPem),
          given.ed25519.apiKey,
        ),
        privateKeyPem: given.ed25519.privateKeyPem,
      }
    : keys.generateEd25519(defaultAccount.id);
  for (const [i, a] of (seed.accounts ?? []).entries())
    keys.addHmac(accountNamed(`seed-${i + 1}`).id, a.apiKey, a.secret);
  const rememberKeys = (): void => {
    if (options.keyRegistry) for (const apiKey of keys.apiKeys()) options.keyRegistry.remember(apiKey);
  };
  rememberKeys();
  const createAccount = (balances?: Record<string, string>): { apiKey: string; secret: string } => {
    if (balances) for (const amount of Object.values(balances)) dec(String(amount)); // rejects non-decimals
    const extras = engine.allAccounts().filter((a) => a.name.startsWith('extra-')).length;
    const account = engine.createAccount(`extra-${extras + 1}`, balances ?? DEFAULT_BALANCES);
    const key = { accountId: account.id, apiKey: randomKeyString(), kind: 'hmac' as const, secret: randomKeyString() };
    runtimeKeys.add(key);
    options.keyRegistry?.remember(key.apiKey);
    return { apiKey: key.apiKey, secret: key.secret };
  };
  const deposit = (apiKey: string, asset: string, amount: string): void => {
    const record = keys.get(apiKey);
    if (!record) throw new Error('unknown API key');
    engine.deposit(record.accountId, asset, dec(amount));
  };

  const replaceState = (state: SandboxState): void => {
    const defaultAt = state.engine.ledger.accounts.find((a) => a.id === defaultAccount.id);
    if (defaultAt?.name !== DEFAULT_ACCOUNT)
      throw new StateFileError(`the state has no default account (account ${defaultAccount.id}); nothing was changed`);
    if (persistence) persistence.replace(state);
    else restoreState(engine, runtimeKeys, state);
    marketMaker?.bind();
    rememberKeys();
  };
  const exportState = (): Buffer => encodeState(captureState(engine, runtimeKeys), SANDBOX_VERSION);
  const importState = (file: Buffer): void => {
    replaceState(decodeState(file, 'the imported file').state);
    log('state imported');
  };
  const reset = (): void => {
    replaceState(freshState());
    log('state reset');
  };

  const inspector =
    options.requestLogSize === 0
      ? undefined
      : new Inspector({
          keys,
          weights,
          engine,
          now,
          capacity: options.requestLogSize,
          keyOwnership: options.keyRegistry,
          logLine: options.logRequests ? (line) => log(`request: ${line}`) : undefined,
        });
  const recordFile =
    inspector && options.requestLogFile ? openRecordFile(options.requestLogFile, inspector.recorder, log) : undefined;
  const env: RestEnv = { engine, keys, weights, orders, now, durability: persistence?.store, inspector };
  // Filled in once listening; the control endpoints only run after that.
  const live: { health?: SandboxHealth; handle?: SandboxHandle } = {};
  const handler = createRequestHandler({
    env,
    faults,
    stats,
    log,
    control: {
      createAccount,
      deposit,
      setWeightLimit: (limit) => (weights.limit = limit),
      clearRateLimits: () => {
        weights.reset();
        orders.reset();
      },
      health: () => live.health,
      shutdown: () => (options.onShutdownRequest ? options.onShutdownRequest() : void live.handle?.close()),
      exportState,
      importState,
      reset,
    },
  });
  const clientErrors = new ClientErrorResponder(timeouts, log);
  const server: Server = createServer(serverOptions(timeouts), (req, res) => {
    clientErrors.track(res);
    handler(req, res);
  });
  server.on('clientError', (error, socket) => clientErrors.answer(error, socket));
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const wsApi = new WsApi({ ...env, log });
  const streams = new MarketStreams({ engine, now, log, pingIntervalMs: options.streamPingIntervalMs });
  const streamConnections = new ConnectionLimiter(options.rateLimits?.streamConnectionsPer5Min ?? 300);
  server.on('upgrade', (req, socket, head) => {
    const url = req.url ?? '';
    const path = url.split('?')[0];
    if (path === REQUEST_FEED_PATH) {
      const refusal = browserOrRebindingRefusal(req);
      if (refusal || !inspector) {
        socket.end(
          `HTTP/1.1 ${refusal ? 403 : 404} ${refusal ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\n\r\n`,
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => feedRequests(ws, inspector.recorder));
      return;
    }
    if (path === '/ws-api/v3') {
      wss.handleUpgrade(req, socket, head, (ws) => wsApi.accept(ws, req.socket.remoteAddress ?? 'unknown'));
      return;
    }
    if (isStreamPath(path)) {
      const admitted = streamConnections.attempt(req.socket.remoteAddress ?? 'unknown', Date.now());
      if (!admitted.allowed) {
        socket.end(
          `HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${admitted.retryAfterSeconds}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        );
        return;
      }
      const wanted = streams.streamsFromUrl(url);
      if (typeof wanted === 'string') {
        const body = JSON.stringify({ code: -1100, msg: wanted });
        socket.end(
          `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => streams.accept(ws, req, wanted));
      return;
    }
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    recordFile?.close();
    wsApi.close();
    await streams.close();
    wss.close();
    throw error;
  }
  // Only once listening: a failed start leaves no timer behind.
  marketMaker?.start();
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const startedAt = options.startedAt ?? new Date().toISOString();
  live.health = {
    status: 'ok',
    service: SANDBOX_SERVICE_NAME,
    version: SANDBOX_VERSION,
    pid: process.pid,
    startedAt,
    port,
    dataDir: options.dataDir ?? 'in-memory',
  };
  log(`sandbox listening on ${baseUrl}`);

  let closed: Promise<void> | undefined;
  const handle: SandboxHandle = {
    baseUrl,
    wsApiUrl: `ws://127.0.0.1:${port}/ws-api/v3`,
    streamUrl: `ws://127.0.0.1:${port}/ws`,
    port,
    startedAt,
    apiKey: hmac.apiKey,
    secret: hmac.secret!,
    ed25519: { apiKey: ed.record.apiKey, privateKeyPem: ed.privateKeyPem },
    faults,
    stats,
    engine,
    requests: inspector?.recorder,
    exportState,
    importState,
    reset,
    createAccount,
    registerPublicKey: (pem) => {
      const key = {
        accountId: defaultAccount.id,
        apiKey: randomKeyString(),
        kind: 'public' as const,
        publicKeyPem: pem,
      };
      runtimeKeys.add(key);
      options.keyRegistry?.remember(key.apiKey);
      return { apiKey: key.apiKey };
    },
    deposit,
    close(): Promise<void> {
      closed ??= (async (): Promise<void> => {
        marketMaker?.stop();
        wsApi.close();
        // Stream clients get a close frame (1001) before their sockets go.
        await streams.close();
        wss.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        });
        recordFile?.close();
        await persistence?.close();
        log('sandbox closed');
      })();
      return closed;
    },
  };
  live.handle = handle;
  return handle;
}

/** The entries of `o` whose value is not undefined (so they do not hide the seed's). */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
