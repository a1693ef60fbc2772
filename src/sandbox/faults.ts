/** Per-instance fault injection and request statistics, controllable in-process or over HTTP. */

export interface FailNextOptions {
  /**
   * Process the request first (an order is accepted into the book) and only then answer with the
   * 5xx status, so clients must reconcile an order whose outcome looks unknown.
   */
  afterProcessing?: boolean;
}

export interface SandboxFaults {
  /** The server clock runs `ms` ahead (positive) or behind (negative) the real clock. */
  setClockSkewMs(ms: number): void;
  /** Every API request waits `ms` before it is processed. */
  setLatencyMs(ms: number): void;
  /** The next `n` API requests answer `status` (5xx); see FailNextOptions.afterProcessing. */
  failNext(n: number, status?: number, options?: FailNextOptions): void;
  /** The next POST /api/v3/order is processed (accepted), then its socket is destroyed without a response. */
  dropConnectionAfterNextOrder(): void;
  /** The next `count` API requests answer 429 or 418 with -1003 and `Retry-After: retryAfterSeconds`. */
  forceRateLimit(status: 429 | 418, retryAfterSeconds: number, count?: number): void;
  /** Removes every fault (skew, latency, pending failures, drops, forced limits). */
  clear(): void;
}

export interface SandboxStats {
  /** API requests received (everything except the /sandbox/v1 control endpoints). */
  readonly requests: number;
  /** POST /api/v3/order, /api/v3/order/test and /api/v3/order/cancelReplace requests received. */
  readonly orderRequests: number;
  /** Requests per "METHOD /path". */
  readonly byPath: Record<string, number>;
  reset(): void;
}

export interface PendingFailure {
  status: number;
  afterProcessing: boolean;
}

export interface FaultSnapshot {
  clockSkewMs: number;
  latencyMs: number;
  pendingFailures: PendingFailure[];
  dropConnectionAfterNextOrder: boolean;
  forcedRateLimit: { status: number; retryAfterSeconds: number; remaining: number } | null;
}

export class FaultState implements SandboxFaults {
  clockSkewMs = 0;
  latencyMs = 0;
  private failures: PendingFailure[] = [];
  private dropNextOrder = false;
  private forced: { status: 429 | 418; retryAfterSeconds: number; remaining: number } | undefined;

  setClockSkewMs(ms: number): void {
    if (!Number.isFinite(ms)) throw new TypeError('clock skew must be a finite number of milliseconds');
    this.clockSkewMs = Math.trunc(ms);
  }

  setLatencyMs(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0 || ms > 60_000) throw new TypeError('latency must be 0..60000 ms');
    this.latencyMs = Math.trunc(ms);
  }

  failNext(n: number, status = 503, options: FailNextOptions = {}): void {
    if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new TypeError('failNext count must be an integer 0..10000');
    if (!Number.isInteger(status) || status < 500 || status > 599) throw new TypeError('failNext status must be 5xx');
    for (let i = 0; i < n; i++) this.failures.push({ status, afterProcessing: options.afterProcessing === true });
  }

  dropConnectionAfterNextOrder(): void {
    this.dropNextOrder = true;
  }

  forceRateLimit(status: 429 | 418, retryAfterSeconds: number, count = 1): void {
    if (status !== 429 && status !== 418) throw new TypeError('forced rate limit status must be 429 or 418');
    if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0)
      throw new TypeError('retryAfterSeconds must be a non-negative integer');
    if (!Number.isInteger(count) || count < 1) throw new TypeError('count must be a positive integer');
    this.forced = { status, retryAfterSeconds, remaining: count };
  }

  clear(): void {
    this.clockSkewMs = 0;
    this.latencyMs = 0;
    this.failures = [];
    this.dropNextOrder = false;
    this.forced = undefined;
  }

  takeFailure(): PendingFailure | undefined {
    return this.failures.shift();
  }

  takeForcedRateLimit(): { status: 429 | 418; retryAfterSeconds: number } | undefined {
    if (!this.forced) return undefined;
    const { status, retryAfterSeconds } = this.forced;
    if (--this.forced.remaining <= 0) this.forced = undefined;
    return { status, retryAfterSeconds };
  }

  takeDropOrder(): boolean {
    const drop = this.dropNextOrder;
    this.dropNextOrder = false;
    return drop;
  }

  snapshot(): FaultSnapshot {
    return {
      clockSkewMs: this.clockSkewMs,
      latencyMs: this.latencyMs,
      pendingFailures: [...this.failures],
      dropConnectionAfterNextOrder: this.dropNextOrder,
      forcedRateLimit: this.forced ? { ...this.forced } : null,
    };
  }

  /**
   * Applies a JSON control body (POST /sandbox/v1/faults):
   * { "clear": true, "clockSkewMs": 0, "latencyMs": 0,
   *   "failNext": { "count": 1, "status": 503, "afterProcessing": false },
   *   "dropConnectionAfterNextOrder": true,
   *   "forceRateLimit": { "status": 429, "retryAfterSeconds": 5, "count": 1 } }
   * `clear` runs first; the other keys in the order listed.
   */
  applyJson(body: unknown): void {
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw new TypeError('body must be a JSON object');
    const b = body as Record<string, unknown>;
    if (b.clear === true) this.clear();
    if (b.clockSkewMs !== undefined) this.setClockSkewMs(Number(b.clockSkewMs));
    if (b.latencyMs !== undefined) this.setLatencyMs(Number(b.latencyMs));
    if (b.failNext !== undefined) {
      const f = b.failNext as Record<string, unknown>;
      this.failNext(Number(f?.count ?? 1), f?.status === undefined ? 503 : Number(f.status), {
        afterProcessing: f?.afterProcessing === true,
      });
    }
    if (b.dropConnectionAfterNextOrder === true) this.dropConnectionAfterNextOrder();
    if (b.forceRateLimit !== undefined) {
      const r = b.forceRateLimit as Record<string, unknown>;
      this.forceRateLimit(
        Number(r?.status) as 429 | 418,
        Number(r?.retryAfterSeconds ?? 1),
        r?.count === undefined ? 1 : Number(r.count),
      );
    }
  }
}

export class StatsCounter implements SandboxStats {
  requests = 0;
  orderRequests = 0;
  /** A Map: the method comes from the wire, and no key may reach an Object.prototype member. */
  private readonly paths = new Map<string, number>();

  get byPath(): Record<string, number> {
    return Object.fromEntries(this.paths);
  }

  count(method: string, path: string): void {
    this.requests++;
    const key = `${method} ${path}`;
    this.paths.set(key, (this.paths.get(key) ?? 0) + 1);
    if (
      method === 'POST' &&
      (path === '/api/v3/order' || path === '/api/v3/order/test' || path === '/api/v3/order/cancelReplace')
    )
      this.orderRequests++;
  }

  reset(): void {
    this.requests = 0;
    this.orderRequests = 0;
    this.paths.clear();
  }

  toJSON(): { requests: number; orderRequests: number; byPath: Record<string, number> } {
    return { requests: this.requests, orderRequests: this.orderRequests, byPath: this.byPath };
  }
}
