/**
 * The inspector's memory: the last `capacity` requests in a ring buffer (the oldest go first), a
 * query with filters, and listeners for the live feed. Bounded whatever the load.
 */
import type { RequestRecord } from './record';

/**
 * A record as kept: its parameters are decoded and redacted only when someone reads them (a query,
 * the feed), so recording a request costs little more than keeping its raw text.
 */
export type StoredRecord = Omit<RequestRecord, 'params'> & { params: () => Record<string, string> };

function materialize(record: StoredRecord): RequestRecord {
  return { ...record, params: record.params() };
}

export const DEFAULT_CAPACITY = 2000;

export interface RecordQuery {
  /** ok: status 200; error: anything else. */
  status?: 'ok' | 'error';
  code?: number;
  /** A substring of the path or WebSocket method. */
  path?: string;
  /** The masked key as shown in the records, or its first characters. */
  apiKey?: string;
  /** Records after this id (to follow on from an earlier answer). */
  after?: number;
  /** At most this many, the newest (default 200). */
  limit?: number;
}

export class RequestRecorder {
  private readonly ring: (StoredRecord | undefined)[];
  private next = 0;
  private size = 0;
  private nextId = 1;
  private readonly listeners = new Set<(record: RequestRecord) => void>();

  constructor(readonly capacity = DEFAULT_CAPACITY) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new Error('the request log needs room for at least 1 record');
    this.ring = new Array<StoredRecord | undefined>(capacity);
  }

  /** Stores a record (its id is assigned here, on the object itself) and tells the listeners. */
  add(record: StoredRecord): StoredRecord {
    const stored = record;
    stored.id = this.nextId++;
    this.#put(stored);
    if (this.listeners.size > 0) {
      const shown = materialize(stored);
      for (const listener of this.listeners) listener(shown);
    }
    return stored;
  }

  /** Records matching `query`, oldest first. */
  query(query: RecordQuery = {}): RequestRecord[] {
    const limit = Math.max(1, Math.min(query.limit ?? 200, this.capacity));
    const out: RequestRecord[] = [];
    for (const record of this.newestFirst()) {
      if (out.length >= limit) break;
      if (query.after !== undefined && record.id <= query.after) break;
      if (matches(record, query)) out.push(materialize(record));
    }
    return out.reverse();
  }

  /** Takes back records kept from an earlier run (oldest first); new ones are numbered after them. */
  restore(records: readonly RequestRecord[]): void {
    for (const record of records.slice(-this.capacity)) {
      const { params } = record;
      this.#put({ ...record, params: () => params });
      this.nextId = Math.max(this.nextId, record.id + 1);
    }
  }

  /** Stored records, newest first (their parameters not decoded). */
  *newestFirst(): Generator<StoredRecord> {
    for (let i = 0; i < this.size; i++) yield this.ring[(this.next - 1 - i + this.capacity) % this.capacity]!;
  }

  /** Writes over the oldest record once the ring is full. */
  #put(record: StoredRecord): void {
    this.ring[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Calls `listener` with every new record; returns the function that stops it. */
  subscribe(listener: (record: RequestRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function matches(record: StoredRecord, query: RecordQuery): boolean {
  if (query.status === 'ok' && record.status !== 200) return false;
  if (query.status === 'error' && record.status === 200) return false;
  if (query.code !== undefined && record.code !== query.code) return false;
  if (query.path !== undefined && !(record.path ?? record.method).includes(query.path)) return false;
  if (query.apiKey !== undefined && !(record.apiKey ?? '').startsWith(query.apiKey.replace(/….*$/, ''))) return false;
  return true;
}
