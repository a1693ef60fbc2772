/**
 * The data folder's log (sandbox.log): one timestamped line per event, written synchronously so the
 * last lines before a crash are on disk. Past 10 MB it is copied to sandbox.log.1 and truncated in
 * place (not renamed), so a launcher that handed the same file to the process as stderr keeps
 * appending to the live file. Lines never carry keys, signatures or query strings (see httpServer.ts).
 */
import { closeSync, copyFileSync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';

export const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

export interface LogFile {
  write(line: string): void;
  close(): void;
}

export function openLogFile(file: string, rotateBytes = LOG_ROTATE_BYTES): LogFile {
  let fd: number | undefined = openSync(file, 'a', 0o600);
  const rotateIfLarge = (): void => {
    if (fd === undefined || fstatSync(fd).size < rotateBytes) return;
    copyFileSync(file, `${file}.1`);
    ftruncateSync(fd, 0);
  };
  rotateIfLarge();
  return {
    write(line: string): void {
      if (fd === undefined) return;
      try {
        writeSync(fd, `${new Date().toISOString()} ${line}\n`);
        rotateIfLarge();
      } catch {
        // A full disk must not take the exchange down; the line is lost.
      }
    },
    close(): void {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
