/**
 * Request-weight (per IP, per minute) and order-count (per account, per 10 s and per day) limits,
 * in fixed windows aligned to the server clock like Binance's X-MBX-* counters.
 */
import { Errors } from './errors';

export interface RateLimitSettings {
  /** REQUEST_WEIGHT per minute; default 6000. */
  weightPerMinute?: number;
  /** ORDERS per 10 seconds; default 100. */
  ordersPer10s?: number;
  /** ORDERS per day; default 200000. */
  ordersPerDay?: number;
  /** Market stream connection attempts per IP per 5 minutes; default 300. */
  streamConnectionsPer5Min?: number;
}

interface Window {
  start: number;
  used: number;
}

const MINUTE = 60_000;
const TEN_SECONDS = 10_000;
const DAY = 86_400_000;
const FIVE_MINUTES = 300_000;

function current(windows: Map<string, Window>, key: string, now: number, length: number): Window {
  const start = now - (now % length);
  let w = windows.get(key);
  if (!w || w.start !== start) {
    w = { start, used: 0 };
    windows.set(key, w);
  }
  return w;
}

export class WeightLimiter {
  private readonly windows = new Map<string, Window>();
  constructor(public limit: number) {}

  /** Charges `weight`; throws 429/-1003 (with Retry-After) once the minute's limit is passed. */
  charge(ip: string, weight: number, now: number): number {
    const w = current(this.windows, ip, now, MINUTE);
    w.used += weight;
    if (w.used > this.limit) {
      throw Errors.tooMuchWeight(this.limit, Math.max(1, Math.ceil((w.start + MINUTE - now) / 1000)));
    }
    return w.used;
  }

  refund(ip: string, weight: number, now: number): number {
    const w = current(this.windows, ip, now, MINUTE);
    w.used = Math.max(0, w.used - weight);
    return w.used;
  }

  used(ip: string, now: number): number {
    return current(this.windows, ip, now, MINUTE).used;
  }

  reset(): void {
    this.windows.clear();
  }
}

export class OrderLimiter {
  private readonly tenSeconds = new Map<string, Window>();
  private readonly days = new Map<string, Window>();
  constructor(
    public per10s: number,
    public perDay: number,
  ) {}

  /** Throws 429/-1015 if one more order would pass a limit. */
  check(accountId: number, now: number): void {
    const key = String(accountId);
    const s = current(this.tenSeconds, key, now, TEN_SECONDS);
    if (s.used >= this.per10s)
      throw Errors.tooManyOrders(
        this.per10s,
        '10 SECOND',
        Math.max(1, Math.ceil((s.start + TEN_SECONDS - now) / 1000)),
      );
    const d = current(this.days, key, now, DAY);
    if (d.used >= this.perDay)
      throw Errors.tooManyOrders(this.perDay, '1 DAY', Math.max(1, Math.ceil((d.start + DAY - now) / 1000)));
  }

  /** Counts one accepted order; returns the X-MBX-ORDER-COUNT-* headers. */
  record(accountId: number, now: number): Record<string, string> {
    const key = String(accountId);
    const s = current(this.tenSeconds, key, now, TEN_SECONDS);
    const d = current(this.days, key, now, DAY);
    s.used++;
    d.used++;
    return { 'X-MBX-ORDER-COUNT-10S': String(s.used), 'X-MBX-ORDER-COUNT-1D': String(d.used) };
  }

  /** Current counts, for GET /api/v3/rateLimit/order. */
  counts(accountId: number, now: number): { tenSeconds: number; day: number } {
    const key = String(accountId);
    return {
      tenSeconds: current(this.tenSeconds, key, now, TEN_SECONDS).used,
      day: current(this.days, key, now, DAY).used,
    };
  }

  reset(): void {
    this.tenSeconds.clear();
    this.days.clear();
  }
}

/**
 * Market stream connection attempts per IP (reference §7: "300 connections per 5 min per IP").
 * An attempt past the limit is refused with HTTP 429 before the WebSocket upgrade.
 */
export class ConnectionLimiter {
  private readonly windows = new Map<string, Window>();
  constructor(public limit = 300) {}

  /** Counts one attempt; false when it is over the limit (then it is not served). */
  attempt(ip: string, now: number): { allowed: boolean; retryAfterSeconds: number } {
    const w = current(this.windows, ip, now, FIVE_MINUTES);
    w.used++;
    return {
      allowed: w.used <= this.limit,
      retryAfterSeconds: Math.max(1, Math.ceil((w.start + FIVE_MINUTES - now) / 1000)),
    };
  }

  reset(): void {
    this.windows.clear();
  }
}
