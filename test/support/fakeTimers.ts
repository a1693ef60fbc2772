/** A clock and one-shot timers that move only when a test calls advance() (src/app/countdown.ts Timers). */
import type { Timers } from '../../src/app/countdown';

interface Pending {
  at: number;
  callback: () => void;
  id: number;
}

export class FakeTimers implements Timers {
  #now: number;
  #pending: Pending[] = [];
  #nextId = 1;

  constructor(startMs = Date.UTC(2026, 0, 15, 12, 0, 0)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#pending.push({ at: this.#now + Math.max(0, ms), callback, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending = this.#pending.filter((p) => p.id !== handle);
  }

  /** Timers still waiting to fire. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Moves the clock forward by `ms`, firing every timer that falls due, in order (and those they set). */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#pending = this.#pending.filter((p) => p !== due);
      this.#now = Math.max(this.#now, due.at);
      due.callback();
      // Let promise callbacks started by the timer (a refresh) run before the next one fires.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.#now = end;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
