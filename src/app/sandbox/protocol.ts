/**
 * What the sandbox program (src/sandbox/service/, dist/sandbox.js) writes and answers, as the
 * extension reads it: the health answer, the discovery file, the data folder's lock and keys, and
 * its exit codes. The layers keep the two sides apart (src/app may not import src/sandbox, so the
 * client tests stay independent of the exchange); test/app/sandbox/protocol.test.ts runs the real
 * program and checks that every shape and code here is what it writes. Everything read from disk or
 * the port is checked before use: a malformed value is "not there", never an exception later.
 */

export const SANDBOX_SERVICE_NAME = 'testnet-desk-sandbox';

/** The sandbox program's fixed default port (src/sandbox/service/ports.ts; the manifest's default). */
export const DEFAULT_SANDBOX_PORT = 27182;

/** The data folder's files the extension reads (keys, lock, log). */
export const SandboxFiles = { keys: 'keys.json', lock: 'sandbox.lock', log: 'sandbox.log' } as const;

/** Exit codes of the sandbox program (src/sandbox/service/exitCodes.ts). */
export const SandboxExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  portInUse: 3,
  dataDirLocked: 4,
  dataDirUnusable: 5,
  storageFailed: 6,
} as const;

/** GET /sandbox/v1/health. */
export interface SandboxHealth {
  readonly version: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly port: number;
  /** A folder, or "in-memory". */
  readonly dataDir: string;
}

/** The discovery file the sandbox writes (--discovery FILE) once it listens. */
export interface SandboxDiscovery extends SandboxHealth {
  readonly baseUrl: string;
}

/** The data folder's sandbox.lock: who holds the folder (port null while starting). */
export interface SandboxLock {
  readonly pid: number;
  readonly startedAt: string;
  readonly port: number | null;
}

export interface SandboxKeyPair {
  readonly hmac: { readonly apiKey: string; readonly secret: string };
  readonly ed25519: { readonly apiKey: string; readonly privateKeyPem: string };
}

type Fields = Record<string, unknown>;

function object(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined;
}

const isPid = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 65535;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export function parseHealth(value: unknown): SandboxHealth | undefined {
  const o = object(value);
  if (!o || o.service !== SANDBOX_SERVICE_NAME || o.status !== 'ok') return undefined;
  if (!isPid(o.pid) || !isPort(o.port) || !isText(o.startedAt) || !isText(o.version) || !isText(o.dataDir))
    return undefined;
  return { version: o.version, pid: o.pid, startedAt: o.startedAt, port: o.port, dataDir: o.dataDir };
}

export function parseDiscovery(text: string): SandboxDiscovery | undefined {
  let o: Fields | undefined;
  try {
    o = object(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (!o || o.format !== 'testnet-desk-sandbox-discovery' || o.formatVersion !== 1) return undefined;
  if (!isPid(o.pid) || !isPort(o.port) || !isText(o.startedAt) || !isText(o.version) || !isText(o.dataDir))
    return undefined;
  // The URL is rebuilt from the port: a file can name a port, never a host.
  return {
    pid: o.pid,
    port: o.port,
    startedAt: o.startedAt,
    version: o.version,
    dataDir: o.dataDir,
    baseUrl: `http://127.0.0.1:${o.port}`,
  };
}

export function parseLock(text: string): SandboxLock | undefined {
  try {
    const o = object(JSON.parse(text));
    if (!o || !isPid(o.pid) || typeof o.startedAt !== 'string') return undefined;
    return { pid: o.pid, startedAt: o.startedAt, port: isPort(o.port) ? o.port : null };
  } catch {
    return undefined;
  }
}

/** keys.json; a message saying what is wrong for anything else. */
export function parseKeys(text: string): SandboxKeyPair | string {
  let o: Fields | undefined;
  try {
    o = object(JSON.parse(text));
  } catch (error) {
    return `it is not JSON (${(error as Error).message})`;
  }
  if (!o || o.version !== 1) return 'it is not a keys.json of a Testnet Desk sandbox (format version 1)';
  const hmac = object(o.hmac);
  const ed25519 = object(o.ed25519);
  if (!hmac || !isText(hmac.apiKey) || !isText(hmac.secret)) return 'its HMAC key is incomplete';
  if (!ed25519 || !isText(ed25519.apiKey) || !isText(ed25519.privateKeyPem)) return 'its Ed25519 key is incomplete';
  return {
    hmac: { apiKey: hmac.apiKey, secret: hmac.secret },
    ed25519: { apiKey: ed25519.apiKey, privateKeyPem: ed25519.privateKeyPem },
  };
}

/** Whether two descriptions name the same run of a sandbox (a pid alone may be reused). */
export function sameRun(
  a: Pick<SandboxHealth, 'pid' | 'startedAt'>,
  b: Pick<SandboxHealth, 'pid' | 'startedAt'>,
): boolean {
  return a.pid === b.pid && a.startedAt === b.startedAt;
}
