/**
 * The inspector's records kept in a data folder, so a restart does not empty the Requests view:
 * records are appended as JSON lines once a second (off the request path, at most the recorder's
 * capacity per flush, since older ones have already left the ring) and at a clean stop; when the
 * file holds `capacity` records it becomes requests.1.jsonl and a new one starts, so the folder
 * holds at most twice the capacity. On start the newest `capacity` records come back. Records hold
 * no secret (redact.ts), and the files are the owner's only. A crash loses at most the last second.
 */
import { appendFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import type { RequestRecord } from './record';
import type { RequestRecorder } from './recorder';

const FLUSH_EVERY_MS = 1000;

export interface RecordFile {
  /** Writes what is not written yet (also called by the timer). */
  flush(): void;
  /** Stops the timer after a last flush. */
  close(): void;
}

export function openRecordFile(file: string, recorder: RequestRecorder, log: (line: string) => void): RecordFile {
  const previous = `${file.replace(/\.jsonl$/, '')}.1.jsonl`;
  const text = readText(file);
  const current = lines(text);
  // A line torn by a crash is ended, so the next record starts on a line of its own.
  if (text !== '' && !text.endsWith('\n')) appendFileSync(file, '\n');
  const kept = [...parse(previous, lines(readText(previous)), log), ...parse(file, current, log)].slice(
    -recorder.capacity,
  );
  recorder.restore(kept);
  let written = kept.length === 0 ? 0 : kept[kept.length - 1].id;
  let linesInFile = current.length;
  let failed = false;

  const flush = (): void => {
    if (failed) return;
    const fresh = recorder.query({ after: written, limit: recorder.capacity });
    if (fresh.length === 0) return;
    try {
      if (linesInFile >= recorder.capacity) {
        renameSync(file, previous);
        linesInFile = 0;
      }
      appendFileSync(file, fresh.map((record) => `${JSON.stringify(record)}\n`).join(''), { mode: 0o600 });
      linesInFile += fresh.length;
      written = fresh[fresh.length - 1].id;
    } catch (error) {
      failed = true; // the records stay in memory; one line, not one a second
      log(`request records are no longer written to ${file}: ${(error as Error).message}`);
    }
  };
  const timer = setInterval(flush, FLUSH_EVERY_MS);
  timer.unref();
  return {
    flush,
    close() {
      clearInterval(timer);
      flush();
    },
  };
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

function parse(file: string, text: readonly string[], log: (line: string) => void): RequestRecord[] {
  const records: RequestRecord[] = [];
  for (const line of text) {
    try {
      const record = JSON.parse(line) as RequestRecord;
      if (Number.isSafeInteger(record.id) && typeof record.method === 'string') records.push(record);
    } catch {
      // a line torn by a crash: counted below
    }
  }
  if (records.length < text.length)
    log(`${file}: ${text.length - records.length} unreadable request record(s) left out`);
  return records;
}
