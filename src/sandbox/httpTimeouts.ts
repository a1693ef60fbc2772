/**
 * How long the sandbox's HTTP server waits for a request (node:http `headersTimeout`,
 * `requestTimeout`, `keepAliveTimeout`). Without them a client that opens a request and never
 * finishes it holds its connection (and a pending handler) for Node's default 5 minutes.
 */
import { ServerOptions } from 'node:http';

export interface HttpTimeouts {
  /** The request line and headers must arrive within this many ms (default 10 000). */
  headersMs?: number;
  /** The whole request, body included, must arrive within this many ms (default 30 000). */
  requestMs?: number;
  /** An idle keep-alive connection is closed after this many ms (default 5 000, Node's own). */
  keepAliveMs?: number;
}

/**
 * Generous for any live client on loopback: bodies are capped at 64 KiB, so 30 s only cuts off a
 * client that stopped sending; a client sending its request slowly but steadily still gets through.
 */
export const DEFAULT_HTTP_TIMEOUTS: Required<HttpTimeouts> = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
};

/** Node checks for expired requests on a timer; at most every second, and often enough for short test timeouts. */
const MAX_CHECK_INTERVAL_MS = 1_000;

export function resolveHttpTimeouts(wanted: HttpTimeouts = {}): Required<HttpTimeouts> {
  const resolved = { ...DEFAULT_HTTP_TIMEOUTS };
  for (const name of ['headersMs', 'requestMs', 'keepAliveMs'] as const) {
    const value = wanted[name];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(`httpTimeouts.${name} must be a positive whole number of milliseconds (got ${String(value)})`);
    resolved[name] = value;
  }
  // Node refuses a headers timeout longer than the request timeout.
  if (resolved.headersMs > resolved.requestMs)
    throw new Error(
      `httpTimeouts.headersMs (${resolved.headersMs}) must not exceed httpTimeouts.requestMs (${resolved.requestMs})`,
    );
  return resolved;
}

export function serverOptions(timeouts: Required<HttpTimeouts>): ServerOptions {
  return {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // headersMs <= requestMs, so a quarter of it bounds the overshoot of both.
    connectionsCheckingInterval: Math.max(10, Math.min(MAX_CHECK_INTERVAL_MS, Math.floor(timeouts.headersMs / 4))),
  };
}
