/**
 * A countdown to a moment, for "Resuming in 12 s". No `vscode` import; the clock and the timer are
 * passed in so a unit test can drive them (test/support/fakeTimers.ts).
 */

/** The clock and one-shot timer a countdown uses. */
export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Calls `onTick` with the whole seconds left (rounded up) at once and again each time that number
 * drops, then `onDone` once `untilMs` has passed. Never calls back synchronously from the
 * constructor (a zero wait ends on the next turn), so the caller has finished its own work first.
 */
export class Countdown {
  #handle: unknown;
  #stopped = false;

  constructor(
    readonly untilMs: number,
    private readonly timers: Timers,
    private readonly onTick: (secondsLeft: number) => void,
    private readonly onDone: () => void,
  ) {
    const left = untilMs - timers.now();
    if (left > 0) this.onTick(Math.ceil(left / 1000));
    this.#schedule(left);
  }

  /** Whole seconds left, rounded up (0 once the moment has passed). */
  get secondsLeft(): number {
    return Math.max(0, Math.ceil((this.untilMs - this.timers.now()) / 1000));
  }

  stop(): void {
    this.#stopped = true;
    if (this.#handle !== undefined) this.timers.clearTimeout(this.#handle);
    this.#handle = undefined;
  }

  /** Waits until the number of seconds shown changes (or the end), whichever comes first. */
  #schedule(left: number): void {
    const wait = left <= 0 ? 0 : left - (Math.ceil(left / 1000) - 1) * 1000;
    this.#handle = this.timers.setTimeout(() => this.#step(), wait);
  }

  #step(): void {
    this.#handle = undefined;
    if (this.#stopped) return;
    const left = this.untilMs - this.timers.now();
    if (left <= 0) {
      this.#stopped = true;
      this.onDone();
      return;
    }
    this.onTick(Math.ceil(left / 1000));
    this.#schedule(left);
  }
}
