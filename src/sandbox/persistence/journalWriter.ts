/**
 * Appends records to the journal with group commit: the records of one event-loop turn (and those
 * arriving while a write is on its way) go to disk in one write and one fdatasync, and only then
 * are their waiters told they are durable. So an answer sent after `whenDurable()` settles names
 * only records that survive a crash, and under load one sync serves many orders.
 *
 * A failed write or sync (a full disk, an I/O error) is final: every waiter and `onFailure` get the
 * error, and nothing more is written, so what is on disk stays a prefix of what was accepted.
 */
import * as fs from 'node:fs';
import { encodeFrame } from './frames';

/** The file operations the writer uses, so a test can make the disk fail. */
export interface JournalFs {
  write(fd: number, data: Buffer, callback: (error: NodeJS.ErrnoException | null, written: number) => void): void;
  fdatasync(fd: number, callback: (error: NodeJS.ErrnoException | null) => void): void;
}

const nodeFs: JournalFs = {
  write: (fd, data, callback) => fs.write(fd, data, 0, data.length, null, callback),
  fdatasync: (fd, callback) => fs.fdatasync(fd, callback),
};

interface Waiter {
  upTo: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class JournalWriter {
  private pending: Buffer[] = [];
  private appendedCount = 0;
  private durableCount = 0;
  private writing = false;
  private scheduled = false;
  private waiters: Waiter[] = [];
  private failure: Error | undefined;
  private retired = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly fd: number,
    private readonly onFailure: (error: Error) => void,
    private readonly files: JournalFs = nodeFs,
  ) {}

  /** Records appended so far (durable or not). */
  get appended(): number {
    return this.appendedCount;
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  append(payload: Buffer): void {
    if (this.failure) throw this.failure;
    this.pending.push(encodeFrame(payload));
    this.appendedCount++;
    this.schedule();
  }

  /** Settles once the first `count` records are on disk; undefined if they already are. */
  whenDurable(count = this.appendedCount): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (count <= this.durableCount) return undefined;
    return new Promise((resolve, reject) => this.waiters.push({ upTo: count, resolve, reject }));
  }

  /**
   * Everything appended is covered by a snapshot that is already on disk: waiters are durable now,
   * nothing more is written, and the promise settles once no write is on its way (so the file can go).
   */
  retire(): Promise<void> {
    this.retired = true;
    this.pending = [];
    this.durableCount = this.appendedCount;
    this.release();
    if (!this.writing) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Settles when nothing is pending or on its way (for a clean stop). */
  drain(): Promise<void> {
    return this.whenDurable() ?? Promise.resolve();
  }

  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    // The rest of this turn's records join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.writing || this.retired || this.failure || this.pending.length === 0) return;
    const batch = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    const upTo = this.appendedCount;
    this.pending = [];
    this.writing = true;
    this.writeAll(batch, 0, (error) => {
      this.writing = false;
      for (const done of this.idle.splice(0)) done();
      if (this.retired) return;
      if (error) return this.fail(error);
      this.durableCount = upTo;
      this.release();
      this.flush();
    });
  }

  private writeAll(data: Buffer, offset: number, done: (error: Error | null) => void): void {
    this.files.write(this.fd, data.subarray(offset), (error, written) => {
      if (error) return done(error);
      if (offset + written < data.length) return this.writeAll(data, offset + written, done);
      this.files.fdatasync(this.fd, (syncError) => done(syncError));
    });
  }

  private release(): void {
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.upTo <= this.durableCount) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    this.pending = [];
    this.onFailure(error);
  }
}
