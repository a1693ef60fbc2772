// The data folder's lock: one owner, a clear refusal naming it, left-over locks (dead pid,
// unreadable) taken over, only the owner releases, and exactly one winner when processes race.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ExitCode } from '../../../src/sandbox/service/exitCodes';
import { acquireLock, DataDirLockedError, readLock } from '../../../src/sandbox/service/lock';

const owner = (pid: number) => ({ pid, startedAt: '2026-01-01T00:00:00.000Z', version: '0.1.0' });

function lockFile(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-lock-'));
  return { dir, file: join(dir, 'sandbox.lock') };
}

/** A pid that is certainly running and is not this process. */
const OTHER_LIVE_PID = process.ppid;

describe('sandbox data folder lock', () => {
  it('writes the owner into the lock and records the port once listening', () => {
    const { dir, file } = lockFile();
    const lock = acquireLock(file, dir, owner(OTHER_LIVE_PID));
    const held = readLock(file)!;
    assert.equal(held.pid, OTHER_LIVE_PID);
    assert.equal(held.port, null);
    lock.setPort(27182);
    assert.equal(readLock(file)!.port, 27182);
    assert.equal(readLock(file)!.token, held.token);
    assert.deepEqual(readdirSync(dir), ['sandbox.lock'], 'no temporary file is left behind');
  });

  it('refuses a second owner while the first one runs, naming its pid and port, and leaves the lock alone', () => {
    const { dir, file } = lockFile();
    acquireLock(file, dir, owner(OTHER_LIVE_PID)).setPort(4242);
    const before = readFileSync(file, 'utf8');
    assert.throws(
      () => acquireLock(file, dir, owner(process.pid)),
      (error: unknown) =>
        error instanceof DataDirLockedError &&
        error.exitCode === ExitCode.dataDirLocked &&
        error.message.includes(`Another sandbox (pid ${OTHER_LIVE_PID}, port 4242)`) &&
        error.message.includes(`delete ${file}`),
    );
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('takes over a lock whose process is gone, and an unreadable one', () => {
    const { dir, file } = lockFile();
    acquireLock(file, dir, owner(OTHER_LIVE_PID));
    const dead = new Set([OTHER_LIVE_PID]);
    const second = acquireLock(file, dir, owner(process.pid), (pid) => !dead.has(pid));
    assert.equal(readLock(file)!.token, second.info.token);
    writeFileSync(file, '{"pid": 12');
    const third = acquireLock(file, dir, owner(process.pid));
    assert.equal(readLock(file)!.token, third.info.token);
  });

  it('releases only its own lock', () => {
    const { dir, file } = lockFile();
    const first = acquireLock(file, dir, owner(OTHER_LIVE_PID));
    const second = acquireLock(file, dir, owner(process.pid), () => false); // first counted as dead
    first.release();
    assert.ok(existsSync(file), "the first owner must not remove the second one's lock");
    second.release();
    assert.equal(existsSync(file), false);
  });

  it('lets exactly one of several processes racing for the same folder win', async function () {
    this.timeout(20000);
    const { dir, file } = lockFile();
    const lockModule = resolve(__dirname, '../../../src/sandbox/service/lock.js');
    // Each contender takes the lock and keeps it (and its process) for a second, or prints the refusal.
    const script = `
      const { acquireLock } = require(${JSON.stringify(lockModule)});
      try {
        acquireLock(${JSON.stringify(file)}, ${JSON.stringify(dir)}, { pid: process.pid, startedAt: 'x', version: 'x' });
        console.log('won');
        setTimeout(() => {}, 1000);
      } catch (error) {
        console.log(error.name === 'ServiceError' ? 'refused' : 'error: ' + error.message);
      }`;
    const outcomes = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<string>((done) =>
            execFile(process.execPath, ['-e', script], (_error, stdout) => done(stdout.trim())),
          ),
      ),
    );
    assert.deepEqual(
      outcomes.filter((o) => o === 'won'),
      ['won'],
      JSON.stringify(outcomes),
    );
    assert.equal(outcomes.filter((o) => o === 'refused').length, 5, JSON.stringify(outcomes));
  });
});
