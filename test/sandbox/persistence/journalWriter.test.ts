import * as assert from 'node:assert/strict';
import { JournalFs, JournalWriter } from '../../../src/sandbox/persistence/journalWriter';

/** A disk the test drives: writes and syncs complete when the test says so. */
class ScriptedDisk implements JournalFs {
  readonly written: Buffer[] = [];
  syncs = 0;
  private readonly queue: (() => void)[] = [];
  failWith: NodeJS.ErrnoException | undefined;

  write(_fd: number, data: Buffer, callback: (error: NodeJS.ErrnoException | null, written: number) => void): void {
    this.queue.push(() => {
      if (this.failWith) return callback(this.failWith, 0);
      // Half of a large batch at a time, as a real write may do.
      const n = data.length > 64 ? Math.ceil(data.length / 2) : data.length;
      this.written.push(Buffer.from(data.subarray(0, n)));
      callback(null, n);
    });
  }

  fdatasync(_fd: number, callback: (error: NodeJS.ErrnoException | null) => void): void {
    this.queue.push(() => {
      this.syncs++;
      callback(null);
    });
  }

  /** Completes queued operations until none is left. */
  async settle(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      const next = this.queue.shift();
      if (!next) return;
      next();
    }
  }
}

const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

describe('sandbox journal writer (group commit)', () => {
  it('writes the records of one turn in one batch and one sync, and only then calls them durable', async () => {
    const disk = new ScriptedDisk();
    const writer = new JournalWriter(3, () => assert.fail('no failure expected'), disk);
    let durable = 0;
    for (let i = 0; i < 50; i++) {
      writer.append(Buffer.from(`order ${i}`));
      void writer.whenDurable(i + 1)?.then(() => durable++);
    }
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.resolve();
    assert.equal(durable, 0, 'nothing is durable before its sync');
    await disk.settle();
    assert.equal(disk.syncs, 1, 'one sync for the whole turn');
    assert.equal(durable, 50);
    assert.equal(writer.whenDurable(50), undefined, 'already durable');
    const bytes = Buffer.concat(disk.written);
    assert.ok(bytes.includes(Buffer.from('order 0')) && bytes.includes(Buffer.from('order 49')), 'the whole batch');
  });

  it('batches what arrives during a write into the next write', async () => {
    const disk = new ScriptedDisk();
    const writer = new JournalWriter(3, () => assert.fail('no failure expected'), disk);
    writer.append(Buffer.from('a'));
    await new Promise((resolve) => setImmediate(resolve)); // the first write is on its way
    for (let i = 0; i < 10; i++) writer.append(Buffer.from(`b${i}`));
    const late = writer.whenDurable(11)!;
    await disk.settle();
    await late;
    assert.equal(disk.syncs, 2, 'the first record alone, then the ten that came meanwhile');
  });

  it('on a full disk tells every waiter and the owner once, and writes nothing more', async () => {
    const disk = new ScriptedDisk();
    const failures: Error[] = [];
    const writer = new JournalWriter(3, (error) => failures.push(error), disk);
    disk.failWith = enospc;
    writer.append(Buffer.from('order'));
    const rejected = assert.rejects(writer.whenDurable(1)!, /ENOSPC/);
    await disk.settle();
    await rejected;
    assert.equal(failures.length, 1);
    assert.throws(() => writer.append(Buffer.from('more')), /ENOSPC/, 'nothing is accepted after the failure');
    assert.equal(disk.written.length, 0);
  });
});
