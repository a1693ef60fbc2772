/**
 * The sandbox's durable state in its data folder (state/): a snapshot (snapshot.state, see
 * stateFile.ts) and the journal of what was accepted after it (journal-N.log, N the snapshot's
 * generation). Start-up reads the snapshot and replays the journal; a checkpoint writes a new
 * snapshot and starts the next journal, so start-up time depends on the state kept, not on how
 * long the sandbox has run. Exchange matching engines persist this way (a command log replayed
 * over periodic snapshots); see the README's design section for why not an embedded database.
 *
 * Crash safety: journal records are durable before they are acknowledged (journalWriter.ts); the
 * snapshot is written to a temporary file, synced and renamed; the next journal is created only
 * after that, and the old one removed last. Whatever the moment of a crash, the folder holds a
 * snapshot and the journal that continues it.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { writeBytesAtomic } from '../service/atomicFile';
import { ENGINE_COMMAND_KINDS, type EngineCommand } from '../engine/commands';
import { decodeFrames } from './frames';
import { JournalFs, JournalWriter } from './journalWriter';
import { AddedKey, decodeState, encodeState, SandboxState, StateFileError } from './stateFile';

export type JournalRecord = { kind: 'engine'; command: EngineCommand } | { kind: 'key'; key: AddedKey };

/** What a data folder held at start: its snapshot (none in a new folder) and the records after it. */
export interface StoredState {
  snapshot: SandboxState | undefined;
  records: JournalRecord[];
  /** What start-up noticed and dealt with (a torn last record dropped), for the log. */
  notes: string[];
}

/** A data folder's state cannot be read; nothing was changed. */
export class StoreDamagedError extends Error {
  override readonly name = 'StoreDamagedError';
}

const SNAPSHOT = 'snapshot.state';
const journalName = (generation: number): string => `journal-${generation}.log`;
const JOURNAL_PATTERN = /^journal-(\d+)\.log$/;

export interface StoreOptions {
  sandboxVersion: string;
  /** Called once if a journal write fails; the owner stops the sandbox (see journalWriter.ts). */
  onFailure: (error: Error) => void;
  /** For tests that make the disk fail. */
  files?: JournalFs;
}

export class DurableStore {
  private writer: JournalWriter | undefined;
  private fd: number | undefined;
  /** Records appended to earlier journals (all durable in the snapshot), so counts never go back. */
  private before = 0;

  private constructor(
    readonly folder: string,
    private generation: number,
    private readonly options: StoreOptions,
  ) {}

  /**
   * Reads the state of `folder` (created if missing). Cuts a journal's torn last record (a write a
   * crash interrupted, never acknowledged); refuses, changing nothing, a damaged or newer snapshot
   * or a journal damaged in the middle.
   */
  static open(folder: string, options: StoreOptions): { store: DurableStore; stored: StoredState } {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const snapshotFile = join(folder, SNAPSHOT);
    let snapshot: SandboxState | undefined;
    let generation = 0;
    if (existsSync(snapshotFile)) {
      try {
        const decoded = decodeState(readFileSync(snapshotFile), snapshotFile);
        snapshot = decoded.state;
        generation = decoded.header.generation;
      } catch (error) {
        if (error instanceof StateFileError)
          throw new StoreDamagedError(
            `${error.message} Nothing was changed; restore it from a backup or an export, or start with another --data folder.`,
          );
        throw error;
      }
    }
    const notes: string[] = [];
    const journalFile = join(folder, journalName(generation));
    const records = existsSync(journalFile) ? readJournal(journalFile, notes) : [];
    const store = new DurableStore(folder, generation, options);
    // Journals older than the snapshot are covered by it (a crash came before their removal).
    for (const name of readdirSync(folder)) {
      const match = JOURNAL_PATTERN.exec(name);
      if (match && Number(match[1]) < generation) rmSync(join(folder, name), { force: true });
    }
    return { store, stored: { snapshot, records, notes } };
  }

  /** Starts appending to the current journal (after start-up replayed what it held). */
  startJournal(): void {
    this.fd = openSync(join(this.folder, journalName(this.generation)), 'a', 0o600);
    this.writer = new JournalWriter(this.fd, this.options.onFailure, this.options.files);
  }

  /** Records appended since the store opened, over every journal. */
  get appended(): number {
    return this.before + (this.writer?.appended ?? 0);
  }

  /** Records appended since the last snapshot. */
  get sinceCheckpoint(): number {
    return this.writer?.appended ?? 0;
  }

  append(record: JournalRecord): void {
    this.journal().append(serialize(record));
  }

  /** Settles once every record appended so far is on disk; undefined if they already are. */
  whenDurable(count = this.appended): Promise<void> | undefined {
    if (count <= this.before) return undefined;
    return this.journal().whenDurable(count - this.before);
  }

  /**
   * Writes `state` as the new snapshot and starts an empty journal after it. Synchronous up to the
   * switch, so no record can fall between the snapshot and the next journal; records still on
   * their way to the old journal are durable in the snapshot.
   */
  checkpoint(state: SandboxState): void {
    const next = this.generation + 1;
    writeBytesAtomic(join(this.folder, SNAPSHOT), encodeState(state, this.options.sandboxVersion, next));
    const oldWriter = this.writer;
    const oldFd = this.fd;
    const oldFile = join(this.folder, journalName(this.generation));
    this.before = this.appended;
    this.generation = next;
    this.startJournal();
    if (oldWriter && oldFd !== undefined)
      void oldWriter.retire().then(() => {
        closeSync(oldFd);
        rmSync(oldFile, { force: true });
      });
    else rmSync(oldFile, { force: true });
  }

  /** Waits for the journal's pending writes and closes it. */
  async close(): Promise<void> {
    const writer = this.writer;
    if (!writer) return;
    if (!writer.failed) await writer.drain().catch(() => undefined);
    this.writer = undefined;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private journal(): JournalWriter {
    if (!this.writer) throw new Error('the journal is not open');
    return this.writer;
  }
}

function readJournal(file: string, notes: string[]): JournalRecord[] {
  const data = readFileSync(file);
  const decoded = decodeFrames(data);
  if (decoded.end.kind === 'damaged')
    throw new StoreDamagedError(
      `${file} is damaged at byte ${decoded.end.at} (record ${decoded.end.index + 1}: ${decoded.end.reason}), and ` +
        `${data.length - decoded.end.at} bytes follow it. Nothing was changed. Restore the data folder from a backup or an ` +
        'export, or start with another --data folder.',
    );
  const records = decoded.payloads.map((payload, index) => {
    const record = deserialize(payload) as JournalRecord;
    const valid =
      (record?.kind === 'engine' && ENGINE_COMMAND_KINDS.has(record.command?.kind)) ||
      (record?.kind === 'key' && typeof record.key?.apiKey === 'string');
    if (!valid)
      throw new StoreDamagedError(
        `${file} holds a record the sandbox does not know (record ${index + 1}). Nothing was changed. ` +
          'It may come from a newer sandbox: update Testnet Desk, or start with another --data folder.',
      );
    return record;
  });
  if (decoded.end.kind === 'torn') {
    truncateSync(file, decoded.validBytes);
    notes.push(
      `the journal ended with an incomplete record (${data.length - decoded.validBytes} bytes, a write cut by a crash; ` +
        'it was never acknowledged): removed',
    );
  }
  return records;
}
