/**
 * The last lines of the sandbox's log, for the "stopped unexpectedly" message. The sandbox never
 * logs a key, a signature or a query string; these lines are redacted again anyway, because they
 * are shown in a notification and copied to the output channel: a PEM block, anything that looks
 * like a key (a long run of letters and digits) and sensitive parameters are masked.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** At most this much of the file's end is read. */
const TAIL_BYTES = 64 * 1024;

export function readLogTail(file: string, maxLines: number): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split(/\r?\n/);
    if (length < size) lines.shift(); // the first one is cut
    return lines
      .map((line) => line.trimEnd())
      .filter((line) => line.length > 0)
      .slice(-maxLines)
      .map(redactLogLine);
  } finally {
    closeSync(fd);
  }
}

const PEM = /-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)/g;
const SENSITIVE_PARAM = /\b(signature|apikey|secret|secretkey|privatekey)=[^\s&]*/gi;
/** 32 or more key-like characters in a row (no '/', so paths stay readable): Binance keys and secrets are 64. */
const KEY_LIKE = /[A-Za-z0-9+=_-]{32,}/g;

export function redactLogLine(line: string): string {
  return line
    .replace(PEM, '<private key redacted>')
    .replace(SENSITIVE_PARAM, '$1=<redacted>')
    .replace(KEY_LIKE, (run) => `${run.slice(0, 4)}…<redacted>`);
}
