import type { UsageSnapshot } from './api';
import { RateLimitBackoffError } from './errors';

/**
 * Rate-limit bookkeeping for the REST client: the usage headers Binance attaches to responses,
 * and the gate that keeps the client silent while a 429/418 Retry-After runs (sending more
 * requests after a 429 is what turns it into an IP ban).
 */

/** Used when a 429/418 arrives without a usable Retry-After header. */
export const DEFAULT_RETRY_AFTER_SECONDS: Readonly<Record<number, number>> = Object.freeze({ 429: 60, 418: 120 });

/**
 * X-MBX-USED-WEIGHT-(n)(S|M|H|D) and X-MBX-ORDER-COUNT-(n)(S|M|H|D), keyed by interval in upper
 * case ("1M", "10S", "1D"). Header names may come in any case.
 */
export function readUsageHeaders(headers: Readonly<Record<string, string>>): UsageSnapshot {
  const usage: UsageSnapshot = { usedWeight: {}, orderCount: {} };
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) continue;
    const weight = /^x-mbx-used-weight-(\d+[smhd])$/.exec(name);
    if (weight) usage.usedWeight[weight[1].toUpperCase()] = n;
    const orders = /^x-mbx-order-count-(\d+[smhd])$/.exec(name);
    if (orders) usage.orderCount[orders[1].toUpperCase()] = n;
  }
  return usage;
}

/** Retry-After in whole seconds (rounded up), or undefined when absent or not a number of seconds. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : undefined;
}

/** Refuses every request until the latest Retry-After has passed. */
export class BackoffGate {
  #until = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Closes the gate for `seconds` from now (never shortens a longer wait already running). */
  engage(seconds: number): void {
    this.#until = Math.max(this.#until, this.now() + seconds * 1000);
  }

  /** Epoch ms until which requests are refused; 0 when open. */
  get until(): number {
    return this.#until > this.now() ? this.#until : 0;
  }

  /** Throws RateLimitBackoffError (nothing is sent) while the gate is closed. */
  check(environmentLabel: string): void {
    const now = this.now();
    if (now < this.#until)
      throw new RateLimitBackoffError(environmentLabel, Math.ceil((this.#until - now) / 1000), this.#until);
  }
}
