/**
 * Records every TCP connection this process opens and refuses any that is not to a loopback
 * address, so a library pointed at the sandbox (e.g. @binance/spot with a basePath) cannot reach
 * another host without the bench failing loudly. Installed by the bench before any client exists.
 */
import * as net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const seen = new Map<string, number>();
let installed = false;

export class NonLoopbackConnectionError extends Error {
  override readonly name = 'NonLoopbackConnectionError';
}

function targetOf(args: unknown[]): { host?: string; port?: unknown; path?: unknown } {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first && typeof first === 'object') {
    const o = first as { host?: string; port?: unknown; path?: unknown };
    return { host: o.host, port: o.port, path: o.path };
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first };
}

export function installLoopbackGuard(): void {
  if (installed) return;
  installed = true;
  const original = net.Socket.prototype.connect as (...args: unknown[]) => net.Socket;
  (net.Socket.prototype as unknown as { connect: (...args: unknown[]) => net.Socket }).connect = function (
    this: net.Socket,
    ...args: unknown[]
  ) {
    const target = targetOf(args);
    // An IPC pipe has a path and no port. (http.Agent passes the HTTP path along with host and port.)
    if (target.path !== undefined && (target.port === undefined || target.port === null))
      return original.apply(this, args);
    const host = target.host ?? 'localhost';
    const key = `${host}:${String(target.port)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (!LOOPBACK.has(host))
      throw new NonLoopbackConnectionError(`bench refused a connection to ${key}: only loopback traffic is allowed`);
    return original.apply(this, args);
  };
}

/** host:port -> number of connections opened since the last reset. */
export function connectionsSeen(): ReadonlyMap<string, number> {
  return new Map(seen);
}

export function resetConnectionsSeen(): void {
  seen.clear();
}

export function nonLoopbackSeen(): string[] {
  return [...seen.keys()].filter((key) => !LOOPBACK.has(key.slice(0, key.lastIndexOf(':'))));
}
