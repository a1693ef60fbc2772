// Records every outgoing TCP connection the extension host opens to anything but loopback while the
// host tests run. The project's rule is that tests only ever talk to 127.0.0.1; the harness turns any
// recorded attempt into a failure, so a code path that quietly reaches for the real exchange (or any
// other host) cannot pass unnoticed. Recording, not blocking: VS Code's own sockets keep working.
import * as net from 'net';

export interface OutboundAttempt {
  host: string;
  port: number | string | undefined;
  stack: string;
}

const SELF_TEST_HOST = 'network-guard-self-test.invalid';
const attempts: OutboundAttempt[] = [];
const listeners: ((attempt: OutboundAttempt) => void)[] = [];
let installed = false;

/** Calls `listener` after each recorded attempt (the e2e lane's guard extension writes them to a file). */
export function onOutbound(listener: (attempt: OutboundAttempt) => void): void {
  listeners.push(listener);
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' || h === '::1' || h.startsWith('127.') || h === '0:0:0:0:0:0:0:1' || h.startsWith('::ffff:127.')
  );
}

export function installNetworkGuard(): void {
  if (installed) return;
  installed = true;
  const original = net.Socket.prototype.connect as (...args: unknown[]) => net.Socket;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0]; // internal normalized form
    let host: string | undefined;
    let port: number | string | undefined;
    if (first && typeof first === 'object') {
      const options = first as { host?: string; port?: number | string; path?: string };
      if (!options.path) {
        host = options.host ?? 'localhost';
        port = options.port;
      }
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      port = first;
      host = typeof args[1] === 'string' ? args[1] : 'localhost';
    }
    if (host !== undefined && !isLoopback(host)) {
      const attempt = { host, port, stack: (new Error().stack ?? '').split('\n').slice(2, 8).join('\n') };
      attempts.push(attempt);
      if (host !== SELF_TEST_HOST) for (const listener of listeners) listener(attempt);
    }
    return original.apply(this, args);
  } as typeof net.Socket.prototype.connect;
}

export function outboundAttempts(): readonly OutboundAttempt[] {
  return attempts;
}

/**
 * Proves the guard sees connections in this process (a host that replaced `net` or connected through
 * another path would leave a guard that records nothing and a lane that cannot fail on it): one
 * connection to a non-loopback name whose DNS lookup is answered locally with an error, so no packet
 * leaves the machine. The attempt must be recorded; it is then removed from the list.
 */
export async function verifyNetworkGuard(): Promise<void> {
  const before = attempts.length;
  await new Promise<void>((resolve) => {
    const socket = new net.Socket();
    socket.once('error', () => resolve());
    socket.once('close', () => resolve());
    socket.connect({
      host: SELF_TEST_HOST,
      port: 9,
      lookup: (_host: string, _options: unknown, callback: (error: Error) => void) =>
        process.nextTick(callback, new Error('network guard self-test: no lookup')),
    } as net.TcpSocketConnectOpts);
  });
  const index = attempts.findIndex((a, i) => i >= before && a.host === SELF_TEST_HOST);
  if (index < 0)
    throw new Error(
      'the network guard did not record its self-test connection: outbound connections from this host would go unnoticed',
    );
  attempts.splice(index, 1);
}
