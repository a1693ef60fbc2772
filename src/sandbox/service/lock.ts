/**
 * One sandbox per data folder. The lock file (sandbox.lock) holds the owner's pid, start time,
 * port and a random token; it appears complete or not at all (written to a temporary file, then
 * hard-linked into place, which fails if a lock exists). A lock whose pid no longer runs was left
 * by a sandbox that died (kill -9, power loss): the next one takes it over. The lock is not a
 * guarantee against pid reuse: if the pid now belongs to another program the refusal says which
 * file to delete.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { temporaryName, writeFileAtomic, writeNewFile } from './atomicFile';
import { ExitCode, ServiceError } from './exitCodes';

export interface LockInfo {
  readonly pid: number;
  readonly startedAt: string;
  /** null until the sandbox listens. */
  readonly port: number | null;
  readonly version: string;
  readonly token: string;
}

/** Whether a process with this pid exists (EPERM: it does, and belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(file: string): LockInfo | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const info = JSON.parse(text) as Partial<LockInfo>;
    if (typeof info.pid === 'number' && typeof info.token === 'string') return info as LockInfo;
  } catch {
    // fall through: unreadable
  }
  // No live sandbox writes an unreadable lock (it appears whole): treat it as left over.
  return { pid: 0, startedAt: '', port: null, version: '', token: `unreadable:${text.length}` };
}

export class DataDirLock {
  #info: LockInfo;
  #released = false;

  constructor(
    readonly file: string,
    info: LockInfo,
  ) {
    this.#info = info;
  }

  get info(): LockInfo {
    return this.#info;
  }

  /** Records the port once listening (the lock stays in place throughout: rename replaces it). */
  setPort(port: number): void {
    if (!this.#ownsFile()) return;
    this.#info = { ...this.#info, port };
    writeFileAtomic(this.file, serialize(this.#info), 0o600);
  }

  /** Removes the lock if it is still this sandbox's. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#ownsFile()) rmSync(this.file, { force: true });
  }

  #ownsFile(): boolean {
    return readLock(this.file)?.token === this.#info.token;
  }
}

export class DataDirLockedError extends ServiceError {
  constructor(
    readonly holder: LockInfo,
    file: string,
    dir: string,
  ) {
    const where = holder.port ? `, port ${holder.port}` : ', still starting';
    super(
      `Another sandbox (pid ${holder.pid}${where}) is using the data folder ${dir}. Nothing was changed. ` +
        'Stop it first (Ctrl+C in its terminal, "Binance: Stop Local Sandbox", or POST /sandbox/v1/shutdown), ' +
        `or start this one with another --data folder. If pid ${holder.pid} is not a sandbox, delete ${file}.`,
      ExitCode.dataDirLocked,
    );
  }
}

export function acquireLock(
  file: string,
  dir: string,
  owner: Omit<LockInfo, 'token' | 'port'>,
  alive: (pid: number) => boolean = isProcessAlive,
): DataDirLock {
  const info: LockInfo = { ...owner, port: null, token: randomBytes(12).toString('hex') };
  // Each round either takes the lock, refuses, or clears one left-over lock; a few rounds cover a race.
  for (let round = 0; round < 5; round++) {
    if (createExclusive(file, serialize(info))) return new DataDirLock(file, info);
    const held = readLock(file);
    if (!held) continue; // released meanwhile
    if (held.pid !== process.pid && held.pid > 0 && alive(held.pid)) throw new DataDirLockedError(held, file, dir);
    takeOver(file, held);
  }
  throw new ServiceError(
    `Could not take the lock ${file}: other sandboxes keep starting on ${dir}. Try again.`,
    ExitCode.dataDirLocked,
  );
}

function serialize(info: LockInfo): string {
  return `${JSON.stringify(info)}\n`;
}

/** Puts a complete lock file in place unless one exists; false if one does. */
function createExclusive(file: string, content: string): boolean {
  const temporary = temporaryName(file);
  writeNewFile(temporary, content, 0o600);
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    // A file system without hard links: an exclusive create, written at once.
    try {
      writeNewFile(file, content, 0o600);
      return true;
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Removes a left-over lock, but only the one that was read: it is moved aside first (atomic), and
 * if what was moved is a fresh lock another sandbox took meanwhile, it is linked back.
 */
function takeOver(file: string, stale: LockInfo): void {
  const aside = temporaryName(file);
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readLock(aside);
  if (moved && moved.token !== stale.token) {
    try {
      linkSync(aside, file);
    } catch {
      // A third sandbox locked meanwhile; the next round reads and refuses against it.
    }
  }
  rmSync(aside, { force: true });
}
