import { BookLevel, BookSide } from './bookSide';

/** GET /api/v3/depth answer (decimal strings as sent). */
export interface DepthSnapshot {
  lastUpdateId: number;
  bids: readonly BookLevel[];
  asks: readonly BookLevel[];
}

/** A diff depth stream event (`<symbol>@depth` / `@depth@100ms`): levels changed from update U to u. */
export interface DepthDiff {
  U: number;
  u: number;
  b: readonly BookLevel[];
  a: readonly BookLevel[];
}

/**
 * `awaiting-snapshot`: diff events are buffered until a snapshot arrives. `synced`: the book is
 * the exchange's. `resync-needed`: an update id was skipped; the book is emptied, events are
 * buffered again (from the one that showed the gap) and a fresh snapshot is needed.
 */
export type BookSyncState = 'awaiting-snapshot' | 'synced' | 'resync-needed';

/** Levels an applied diff changed, with their new quantity (zero: removed). */
export interface BookChange {
  bids: BookLevel[];
  asks: BookLevel[];
}

export type DiffOutcome =
  | { kind: 'buffered' }
  | { kind: 'stale' }
  | { kind: 'applied'; change: BookChange }
  | { kind: 'gap'; expectedU: number; gotU: number };

export type SnapshotOutcome =
  /** Loaded; buffered events older than it were dropped, the rest applied. */
  | { kind: 'synced'; applied: number; dropped: number }
  /** The snapshot ends before the first buffered event starts: fetch another. Nothing changed. */
  | { kind: 'too-old'; lastUpdateId: number; firstBufferedU: number }
  /** The buffered events after the snapshot are not contiguous: state is resync-needed. */
  | { kind: 'gap'; expectedU: number; gotU: number };

const DEFAULT_MAX_BUFFERED = 1000;

/**
 * A local order book kept with the documented procedure ("How to manage a local order book
 * correctly", web-socket-streams.md): buffer diff events, load a REST snapshot, drop events with
 * u <= lastUpdateId, the first applied event must straddle lastUpdateId + 1, each next one must
 * start at the previous u + 1, and a quantity of zero removes a level. Pure: the caller feeds it
 * events and snapshots (see marketStreams.ts) and fetches a snapshot when it asks for one.
 */
export class LocalOrderBook {
  readonly bids = new BookSide('bids');
  readonly asks = new BookSide('asks');
  #state: BookSyncState = 'awaiting-snapshot';
  #lastUpdateId: number | undefined;
  /** True until the first event after a snapshot is applied (it may start before lastUpdateId + 1). */
  #straddleNext = false;
  #buffer: DepthDiff[] = [];
  readonly #maxBuffered: number;

  constructor(options: { maxBuffered?: number } = {}) {
    this.#maxBuffered = options.maxBuffered ?? DEFAULT_MAX_BUFFERED;
  }

  get state(): BookSyncState {
    return this.#state;
  }

  /** Update id of the book (the snapshot's lastUpdateId, then each applied event's u); undefined before a snapshot. */
  get lastUpdateId(): number | undefined {
    return this.#lastUpdateId;
  }

  get bufferedCount(): number {
    return this.#buffer.length;
  }

  /** Best `n` levels of each side, best first. */
  top(n: number): { bids: BookLevel[]; asks: BookLevel[] } {
    return { bids: this.bids.top(n), asks: this.asks.top(n) };
  }

  applyDiff(event: DepthDiff): DiffOutcome {
    if (this.#state !== 'synced') {
      this.#bufferEvent(event);
      return { kind: 'buffered' };
    }
    return this.#apply(event);
  }

  applySnapshot(snapshot: DepthSnapshot): SnapshotOutcome {
    const first = this.#buffer[0];
    // The first event still to apply must start at or before lastUpdateId + 1; if even the oldest
    // buffered one starts later, the snapshot misses the updates in between.
    if (first && first.U > snapshot.lastUpdateId + 1) {
      return { kind: 'too-old', lastUpdateId: snapshot.lastUpdateId, firstBufferedU: first.U };
    }
    this.bids.load(snapshot.bids);
    this.asks.load(snapshot.asks);
    this.#lastUpdateId = snapshot.lastUpdateId;
    this.#state = 'synced';
    this.#straddleNext = true;
    const pending = this.#buffer;
    this.#buffer = [];
    let applied = 0;
    let dropped = 0;
    for (const [i, event] of pending.entries()) {
      const outcome = this.#apply(event);
      if (outcome.kind === 'gap') {
        this.#buffer.push(...pending.slice(i + 1));
        return outcome;
      }
      if (outcome.kind === 'stale') dropped++;
      else applied++;
    }
    return { kind: 'synced', applied, dropped };
  }

  /** Forgets the book and the buffer (e.g. on a new connection, whose events start anywhere). */
  reset(): void {
    this.bids.clear();
    this.asks.clear();
    this.#buffer = [];
    this.#lastUpdateId = undefined;
    this.#state = 'awaiting-snapshot';
  }

  #apply(event: DepthDiff): DiffOutcome {
    const id = this.#lastUpdateId as number;
    if (event.u <= id) return { kind: 'stale' };
    const contiguous = this.#straddleNext ? event.U <= id + 1 : event.U === id + 1;
    if (!contiguous) {
      this.#resyncFrom(event);
      return { kind: 'gap', expectedU: id + 1, gotU: event.U };
    }
    const change: BookChange = { bids: [], asks: [] };
    for (const [price, quantity] of event.b) if (this.bids.set(price, quantity)) change.bids.push([price, quantity]);
    for (const [price, quantity] of event.a) if (this.asks.set(price, quantity)) change.asks.push([price, quantity]);
    this.#lastUpdateId = event.u;
    this.#straddleNext = false;
    return { kind: 'applied', change };
  }

  #resyncFrom(event: DepthDiff): void {
    this.bids.clear();
    this.asks.clear();
    this.#lastUpdateId = undefined;
    this.#state = 'resync-needed';
    this.#buffer = [];
    this.#bufferEvent(event);
  }

  #bufferEvent(event: DepthDiff): void {
    this.#buffer.push(event);
    // Bounded while no snapshot comes; dropping the oldest makes a late snapshot 'too-old', never wrong.
    if (this.#buffer.length > this.#maxBuffered) this.#buffer.shift();
  }
}
