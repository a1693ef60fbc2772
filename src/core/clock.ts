/**
 * Server clock offset. Binance rejects a signed request whose timestamp is ahead of its clock by
 * 1 s or behind by more than recvWindow (-1021), so every timestamp is local time + offset, where
 * the offset is measured against GET /api/v3/time assuming the server read its clock half-way
 * through the round trip.
 */

export interface ClockSample {
  /** Local time just before the request was sent. */
  tSend: number;
  /** Local time just after the response arrived. */
  tRecv: number;
  /** serverTime from the response. */
  serverTime: number;
}

export interface ClockSync {
  offsetMs: number;
  rttMs: number;
}

/** offset = serverTime − (tSend + tRecv) / 2, rtt = tRecv − tSend. */
export function offsetFromSample(sample: ClockSample): ClockSync {
  const rttMs = Math.max(0, sample.tRecv - sample.tSend);
  const offsetMs = Math.round(sample.serverTime - (sample.tSend + sample.tRecv) / 2);
  return { offsetMs, rttMs };
}

export const DEFAULT_RESYNC_INTERVAL_MS = 10 * 60_000;

export class ServerClock {
  #offsetMs = 0;
  #rttMs = 0;
  #syncedAt: number | undefined;
  #inFlight: Promise<ClockSync> | undefined;

  constructor(
    private readonly localNow: () => number = Date.now,
    readonly resyncIntervalMs: number = DEFAULT_RESYNC_INTERVAL_MS,
  ) {}

  get offsetMs(): number {
    return this.#offsetMs;
  }

  get rttMs(): number {
    return this.#rttMs;
  }

  get synced(): boolean {
    return this.#syncedAt !== undefined;
  }

  /** Local time corrected by the measured offset: what to put in `timestamp`. */
  now(): number {
    return Math.round(this.localNow() + this.#offsetMs);
  }

  /** True before the first sync and once the last sync is older than the resync interval. */
  needsSync(): boolean {
    return this.#syncedAt === undefined || this.localNow() - this.#syncedAt >= this.resyncIntervalMs;
  }

  /**
   * Measures the offset with `fetchServerTime` (which performs GET /api/v3/time). Concurrent
   * callers share one measurement.
   */
  sync(fetchServerTime: () => Promise<number>): Promise<ClockSync> {
    this.#inFlight ??= (async () => {
      try {
        const tSend = this.localNow();
        const serverTime = await fetchServerTime();
        const tRecv = this.localNow();
        if (!Number.isFinite(serverTime)) throw new TypeError('serverTime is not a number');
        return this.record({ tSend, tRecv, serverTime });
      } finally {
        this.#inFlight = undefined;
      }
    })();
    return this.#inFlight;
  }

  record(sample: ClockSample): ClockSync {
    const result = offsetFromSample(sample);
    this.#offsetMs = result.offsetMs;
    this.#rttMs = result.rttMs;
    this.#syncedAt = sample.tRecv;
    return result;
  }
}
