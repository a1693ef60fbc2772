/**
 * Request-weight (per IP, per minute) and order-count (per account, per 10 s and per day) limits,
 * in fixed windows aligned to the server clock like Binance's X-MBX-* counters.
 */
import { ApiError, Errors } from './errors';

export interface RateLimitSettings {
  /** REQUEST_WEIGHT per minute; default 6000. */
  weightPerMinute?: number;
  /** ORDERS per 10 seconds; default 100. */
  ordersPer10s?: number;
  /** ORDERS per day; default 200000. */
  ordersPerDay?: number;
  /** Market stream connection attempts per IP per 5 minutes; default 300. */
  streamConnectionsPer5Min?: number;
  /**
   * Requests an IP may send after its first 429 of a minute before it is banned (418), as Binance
   * bans clients that do not back off; default 10.
   */
  requestsAfter429BeforeBan?: number;
}

interface Window {
  start: number;
  used: number;
  /** Requests refused for being over the limit in this window. */
  refused: number;
}

/** An IP ban: until when, and which ban of this IP it is (each doubles, from 2 minutes to 3 days). */
interface Ban {
  until: number;
  count: number;
}

export const DEFAULT_REQUESTS_AFTER_429_BEFORE_BAN = 10;
const FIRST_BAN = 2 * 60_000;
const LONGEST_BAN = 3 * 86_400_000;

const MINUTE = 60_000;
const TEN_SECONDS = 10_000;
const DAY = 86_400_000;
const FIVE_MINUTES = 300_000;

function current(windows: Map<string, Window>, key: string, now: number, length: number): Window {
  const start = now - (now % length);
  let w = windows.get(key);
  if (!w || w.start !== start) {
    w = { start, used: 0, refused: 0 };
    windows.set(key, w);
  }
  return w;
}

export class WeightLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly bans = new Map<string, Ban>();
  constructor(
    public limit: number,
    readonly requestsAfter429BeforeBan = DEFAULT_REQUESTS_AFTER_429_BEFORE_BAN,
  ) {}

  /**
   * Charges `weight`; throws 429/-1003 (with Retry-After) once the minute's limit is passed, and
   * 418/-1003 for an IP that kept sending after its 429s (and until its ban ends).
   */
  charge(ip: string, weight: number, now: number): number {
    const ban = this.bans.get(ip);
    if (ban !== undefined && ban.until > now) throw banned(ban, now, undefined);
    const w = current(this.windows, ip, now, MINUTE);
    w.used += weight;
    if (w.used > this.limit) {
      w.refused++;
      const ignored = w.refused - 1; // requests sent after the first 429
      if (ignored > this.requestsAfter429BeforeBan) {
        const count = (ban?.count ?? 0) + 1;
        const next = { until: now + Math.min(FIRST_BAN * 2 ** (count - 1), LONGEST_BAN), count };
        this.bans.set(ip, next);
        throw banned(next, now, ignored);
      }
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
    this.bans.clear();
  }
}

/** The 418 answer; its facts tell the request inspector why and for how long. */
function banned(ban: Ban, now: number, requestsAfter429: number | undefined): ApiError {
  const error = Errors.banned(ban.until, Math.max(1, Math.ceil((ban.until - now) / 1000)));
  error.facts = { bannedUntil: String(ban.until), banNumber: String(ban.count) };
  if (requestsAfter429 !== undefined) error.facts.requestsAfter429 = String(requestsAfter429);
  return error;
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
