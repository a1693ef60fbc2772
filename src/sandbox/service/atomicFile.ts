/**
 * Files that must never be seen half-written (keys, the lock, the discovery file): written to a
 * temporary file in the same folder, flushed to disk, then renamed over the target, so a reader or
 * a crash sees the old content or the new one, never a mix.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A name beside `file` that no other writer (process or call) uses. */
export function temporaryName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Creates `file` exclusively with `data`, flushed; throws EEXIST if it exists. */
export function writeNewFile(file: string, data: string | Buffer, mode: number): void {
  const fd = openSync(file, 'wx', mode);
  try {
    // openSync's mode is filtered by the umask; the keys must be 0600 whatever it is.
    if (process.platform !== 'win32') fchmodSync(fd, mode);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeFileAtomic(file: string, data: string, mode = 0o600): void {
  writeBytesAtomic(file, data, mode);
}

/** writeFileAtomic for any bytes (a snapshot, an export). */
export function writeBytesAtomic(file: string, data: string | Buffer, mode = 0o600): void {
  const temporary = temporaryName(file);
  writeNewFile(temporary, data, mode);
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncFolder(dirname(file));
}

/** Makes a rename durable. Windows cannot open a folder; its rename is durable enough for this. */
export function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
