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

const attempts: OutboundAttempt[] = [];
let installed = false;

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || h.startsWith('127.') || h === '0:0:0:0:0:0:0:1' || h.startsWith('::ffff:127.');
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
      attempts.push({ host, port, stack: (new Error().stack ?? '').split('\n').slice(2, 8).join('\n') });
    }
    return original.apply(this, args);
  } as typeof net.Socket.prototype.connect;
}

export function outboundAttempts(): readonly OutboundAttempt[] {
  return attempts;
}
