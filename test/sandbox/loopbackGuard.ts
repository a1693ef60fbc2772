/**
 * Records every outgoing TCP connection and DNS lookup made by this process and blocks any that is
 * not loopback, so compatibility tests can assert that third-party libraries (which default to the
 * LIVE exchange) only ever talked to the local sandbox.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';

// The real module object (an `import * as` namespace copy would be read-only).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dns = require('node:dns') as { lookup: unknown };

export interface LoopbackGuard {
  /** "host:port" of every TCP connect attempt. */
  readonly connects: string[];
  /** Every attempt to reach something that is not 127.0.0.1 / ::1 / localhost. */
  readonly blocked: string[];
  restore(): void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

type ConnectFn = (this: net.Socket, ...args: unknown[]) => net.Socket;

function targetOf(args: unknown[]): { host: string; port: string } | undefined {
  let first = args[0];
  // node passes internally normalized arguments as [options, callback]
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === 'object') {
    const o = first as { host?: string; port?: number | string; path?: string };
    if (o.port === undefined && typeof o.path === 'string') return undefined; // IPC, not network
    return { host: o.host ?? 'localhost', port: String(o.port ?? '') };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: String(first) };
  }
  return undefined;
}

export function installLoopbackGuard(): LoopbackGuard {
  const connects: string[] = [];
  const blocked: string[] = [];
  const originalConnect = net.Socket.prototype.connect as unknown as ConnectFn;
  const originalLookup = dns.lookup;

  (net.Socket.prototype as unknown as { connect: ConnectFn }).connect = function (
    this: net.Socket,
    ...args: unknown[]
  ): net.Socket {
    const target = targetOf(args);
    if (target) {
      connects.push(`${target.host}:${target.port}`);
      if (!LOOPBACK.has(target.host)) {
        blocked.push(`${target.host}:${target.port}`);
        process.nextTick(() =>
          this.destroy(new Error(`loopback guard: blocked connection to ${target.host}:${target.port}`)),
        );
        return this;
      }
    }
    return originalConnect.apply(this, args);
  };
  const guardedLookup = function (hostname: string, ...rest: unknown[]): void {
    if (!LOOPBACK.has(hostname)) blocked.push(`dns:${hostname}`);
    (originalLookup as unknown as (...a: unknown[]) => void)(hostname, ...rest);
  };
  dns.lookup = guardedLookup;

  return {
    connects,
    blocked,
    restore(): void {
      (net.Socket.prototype as unknown as { connect: ConnectFn }).connect = originalConnect;
      dns.lookup = originalLookup;
    },
  };
}

/**
 * The guard saw the library connect, blocked nothing, and every connection went to the sandbox at
 * `baseUrl` (its own port on 127.0.0.1), so the library reached no other host, not even the live one.
 */
export function assertOnlySandboxContacted(guard: LoopbackGuard, baseUrl: string): void {
  assert.ok(guard.connects.length > 0, 'the guard saw no connection at all, so it proves nothing');
  assert.deepEqual(guard.blocked, []);
  const port = new URL(baseUrl).port;
  for (const target of guard.connects) assert.equal(target, `127.0.0.1:${port}`);
}
