/**
 * Connects a sandbox to its durable store: at start, the state to begin with (an import, the
 * folder's snapshot and journal, or a fresh exchange); then every accepted command and new key to
 * the journal, a snapshot every CHECKPOINT_RECORDS records and at a clean stop, and export, import
 * and reset while running.
 */
import type { Engine } from '../engine';
import { captureState, replayRecords, restoreState, RuntimeKeys } from '../sandboxState';
import { SANDBOX_VERSION } from '../service/version';
import { DurableStore, StoreDamagedError } from './durableStore';
import type { JournalFs } from './journalWriter';
import type { SandboxState } from './stateFile';

/** A snapshot this often keeps start-up short (a replay costs about as much as the orders did). */
export const CHECKPOINT_RECORDS = 50_000;

export interface Persistence {
  readonly store: DurableStore;
  /** Becomes `state` now (import, reset) and makes it durable before returning. */
  replace(state: SandboxState): void;
  /** A snapshot now (if nothing failed), then the journal closed. */
  close(): Promise<void>;
}

export interface StateOptions {
  /** Start from this state (an import) instead of the folder's. */
  initial: SandboxState | undefined;
  /** A new exchange's state, for a folder without one. */
  fresh: () => SandboxState;
  engine: Engine;
  keys: RuntimeKeys;
  log: (line: string) => void;
  onFailure: ((error: Error) => void) | undefined;
  files?: JournalFs;
}

export function openState(folder: string, options: StateOptions): Persistence {
  const { initial, fresh, engine, keys, log, onFailure } = options;
  let failed = false;
  const { store, stored } = DurableStore.open(folder, {
    sandboxVersion: SANDBOX_VERSION,
    files: options.files,
    onFailure: (error) => {
      failed = true;
      log(`the state cannot be written (${error.message}); no order is answered from now on`);
      onFailure?.(error);
    },
  });
  for (const note of stored.notes) log(`state: ${note}`);
  const checkpoint = (): void => store.checkpoint(captureState(engine, keys));

  if (initial) {
    restoreState(engine, keys, initial);
    log('state: started from the imported file (it replaces what the data folder held)');
    checkpoint();
  } else if (stored.snapshot) {
    restoreState(engine, keys, stored.snapshot);
    try {
      replayRecords(engine, keys, stored.records);
    } catch (error) {
      throw new StoreDamagedError(
        `The journal in ${folder} cannot be replayed (${(error as Error).message}). Nothing was changed. ` +
          'Restore the data folder from a backup or an export, or start with another --data folder.',
      );
    }
    log(`state: restored (${stored.records.length} journal records replayed)`);
    // Replayed records go into a fresh snapshot, so the next start need not replay them again.
    if (stored.records.length > 0) checkpoint();
    else store.startJournal();
  } else {
    restoreState(engine, keys, fresh());
    checkpoint();
  }

  let checkpointQueued = false;
  const append = (record: Parameters<DurableStore['append']>[0]): void => {
    store.append(record);
    if (store.sinceCheckpoint >= CHECKPOINT_RECORDS && !checkpointQueued) {
      checkpointQueued = true;
      // Between commands, so the snapshot sees a settled engine.
      setImmediate(() => {
        checkpointQueued = false;
        if (!failed) checkpoint();
      });
    }
  };
  engine.setCommandListener((command) => append({ kind: 'engine', command }));
  keys.journalTo(append);

  return {
    store,
    replace(state: SandboxState): void {
      if (failed) throw new Error('the state cannot be written; restart the sandbox');
      restoreState(engine, keys, state);
      checkpoint();
    },
    async close(): Promise<void> {
      engine.setCommandListener(undefined);
      if (!failed) checkpoint();
      await store.close();
    },
  };
}
