/**
 * The sandbox's state beyond the engine: the keys made while it runs (an extra account's HMAC key,
 * a public key registered for the default account). Together with the engine they are what a
 * snapshot, an export and the journal hold; the data folder's own keys (keys.json) and a seed's
 * keys are not, they belong to the folder and the seed.
 */
import { KeyStore } from './auth';
import type { Engine } from './engine';
import type { JournalRecord } from './persistence/durableStore';
import type { AddedKey, SandboxState } from './persistence/stateFile';

export class RuntimeKeys {
  private added: AddedKey[] = [];
  /** Where each new key is journaled (nowhere in memory). */
  private journal: (record: JournalRecord) => void = () => undefined;

  constructor(private readonly keys: KeyStore) {}

  journalTo(journal: (record: JournalRecord) => void): void {
    this.journal = journal;
  }

  /** Registers a key made now, and journals it. */
  add(key: AddedKey): void {
    this.register(key);
    this.journal({ kind: 'key', key });
  }

  list(): AddedKey[] {
    return [...this.added];
  }

  /** Replaces every runtime key with `keys` (a restored or imported state's). */
  replaceAll(keys: AddedKey[]): void {
    for (const key of this.added) this.keys.remove(key.apiKey);
    this.added = [];
    for (const key of keys) this.register(key);
  }

  /** Registers a key without journaling it (a replay). */
  register(key: AddedKey): void {
    if (key.kind === 'hmac') this.keys.addHmac(key.accountId, key.apiKey, key.secret);
    else this.keys.addPublicKey(key.accountId, key.publicKeyPem, key.apiKey);
    this.added.push(key);
  }
}

export function captureState(engine: Engine, keys: RuntimeKeys): SandboxState {
  return { engine: engine.state(), addedKeys: keys.list() };
}

/** Becomes `state` (deserialized, taken over). */
export function restoreState(engine: Engine, keys: RuntimeKeys, state: SandboxState): void {
  engine.restore(state.engine);
  keys.replaceAll(state.addedKeys);
}

/** Does the journal's records again, in order, without journaling them. */
export function replayRecords(engine: Engine, keys: RuntimeKeys, records: JournalRecord[]): void {
  for (const record of records) {
    if (record.kind === 'engine') engine.apply(record.command);
    else keys.register(record.key);
  }
}
