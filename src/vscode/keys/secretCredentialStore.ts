import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { StateStore } from '../../app/stateStore';
import { Credential, CredentialError, CredentialInput, StoredCredential } from '../../core/credentials';
import { canonicalEnvironment, EnvironmentError } from '../../core/environments';

/**
 * Keeps API keys in VS Code's SecretStorage and nowhere else.
 *
 * Layout (these names are frozen: renaming them would make users lose their keys):
 * - secret `testnetDesk.keys.index`        JSON array of credential ids
 * - secret `testnetDesk.keys.item.<id>`    JSON StoredCredential (the only form holding the secret)
 * - secret `testnetDesk.keys.pending.<environmentId>`  a generated Ed25519 private key waiting for its API key
 * - globalState `testnetDesk.keys.active`  { environmentId: credentialId }: which key is active where (not secret)
 *
 * The index lives in SecretStorage too, so a key added or removed in another window fires
 * secrets.onDidChange here and the views follow.
 */
const INDEX_KEY = 'testnetDesk.keys.index';
const ITEM_PREFIX = 'testnetDesk.keys.item.';
const PENDING_PREFIX = 'testnetDesk.keys.pending.';
const ACTIVE_STATE_KEY = 'testnetDesk.keys.active';

export interface PendingKeyPair {
  environmentId: string;
  label: string;
  privateKeyPem: string;
  publicKeyPem: string;
  createdAt: number;
}

export interface CredentialLog {
  warn(message: string): void;
}

/** The part of VS Code's SecretStorage the store uses (an in-memory one fits it in tests). */
export type SecretStore = Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'>;

export class SecretCredentialStore implements vscode.Disposable {
  readonly #secrets: SecretStore;
  readonly #state: StateStore;
  readonly #log: CredentialLog;
  readonly #onDidChange = new vscode.EventEmitter<void>();
  readonly #subscription: vscode.Disposable;
  #credentials: Credential[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  #loaded: Promise<void>;

  /** Fires after the set of keys, a label or the active key changed (in this window or another). */
  readonly onDidChange = this.#onDidChange.event;

  constructor(secrets: SecretStore, state: StateStore, log: CredentialLog) {
    this.#secrets = secrets;
    this.#state = state;
    this.#log = log;
    this.#subscription = secrets.onDidChange((e) => {
      if (e.key === INDEX_KEY || e.key.startsWith(ITEM_PREFIX)) void this.reload();
    });
    this.#loaded = this.reload();
  }

  /** Resolves once the first load from SecretStorage has finished. */
  ready(): Promise<void> {
    return this.#loaded;
  }

  /** Re-reads every key from SecretStorage. */
  reload(): Promise<void> {
    return this.#serialize(async () => {
      const ids = await this.#readIndex();
      const loaded: Credential[] = [];
      for (const id of ids) {
        const json = await this.#secrets.get(ITEM_PREFIX + id);
        if (!json) continue;
        try {
          loaded.push(Credential.fromStored(JSON.parse(json) as StoredCredential));
        } catch (error) {
          // A CredentialError/EnvironmentError message never contains key material; a JSON.parse
          // SyntaxError quotes the start of the text, which may be the secret, so it is not shown.
          const why =
            error instanceof CredentialError || error instanceof EnvironmentError
              ? error.message
              : 'the stored entry is not readable';
          this.#log.warn(`Skipped stored key ${id}: ${why}`);
        }
      }
      this.#credentials = loaded;
      this.#onDidChange.fire();
    });
  }

  list(environmentId?: string): readonly Credential[] {
    const all = [...this.#credentials].sort((a, b) => a.label.localeCompare(b.label));
    return environmentId === undefined ? all : all.filter((c) => c.environment.id === environmentId);
  }

  get(id: string): Credential | undefined {
    return this.#credentials.find((c) => c.id === id);
  }

  /** The key used for `environmentId`: the one chosen, else the first by label. */
  activeFor(environmentId: string): Credential | undefined {
    const chosen = this.#activeMap()[environmentId];
    const keys = this.list(environmentId);
    return keys.find((c) => c.id === chosen) ?? keys[0];
  }

  /** Stores a new key. The caller must have validated it against its environment first. */
  add(input: Omit<CredentialInput, 'id'>, options: { makeActive?: boolean } = {}): Promise<Credential> {
    return this.#serialize(async () => {
      // The same API key added again for the same environment replaces the stored one (no duplicates).
      const environment = canonicalEnvironment(input.environment);
      const existing = this.#credentials.find((c) => c.environment === environment && c.apiKey === input.apiKey.trim());
      const credential = Credential.create({ ...input, environment, id: existing?.id ?? randomUUID() });
      const ids = await this.#readIndex();
      // Secret first, then the index entry that makes it visible. If the index write fails, the
      // secret just written is deleted again: no secret may stay behind that no list shows.
      await this.#secrets.store(ITEM_PREFIX + credential.id, JSON.stringify(credential.toStored()));
      if (!ids.includes(credential.id)) {
        try {
          await this.#secrets.store(INDEX_KEY, JSON.stringify([...ids, credential.id]));
        } catch (error) {
          try {
            await this.#secrets.delete(ITEM_PREFIX + credential.id);
          } catch {
            this.#log.warn(
              `The key index could not be written and the new key's entry ${credential.id} could not be deleted again.`,
            );
          }
          throw error;
        }
      }
      this.#credentials = [...this.#credentials.filter((c) => c.id !== credential.id), credential];
      if (options.makeActive !== false || !this.#activeMap()[credential.environment.id]) {
        await this.#setActiveInState(credential.environment.id, credential.id);
      }
      this.#onDidChange.fire();
      return credential;
    });
  }

  rename(id: string, label: string): Promise<Credential> {
    return this.#serialize(async () => {
      const current = this.get(id);
      if (!current) throw new Error('That key no longer exists. It may have been removed in another window.');
      const renamed = current.withLabel(label);
      await this.#secrets.store(ITEM_PREFIX + id, JSON.stringify(renamed.toStored()));
      this.#credentials = this.#credentials.map((c) => (c.id === id ? renamed : c));
      this.#onDidChange.fire();
      return renamed;
    });
  }

  remove(id: string): Promise<void> {
    return this.removeWhere((c) => c.id === id).then(() => undefined);
  }

  /** Removes every key matching `predicate` (for example stale keys of a stopped sandbox). */
  removeWhere(predicate: (credential: Credential) => boolean): Promise<Credential[]> {
    return this.#serialize(async () => {
      const doomed = this.#credentials.filter(predicate);
      if (doomed.length === 0) return [];
      // Each secret is deleted before its index entry, so a failure leaves a key either fully there
      // (still listed, can be removed again) or fully gone: never a secret that no list shows.
      const removed: Credential[] = [];
      const failed: Credential[] = [];
      for (const credential of doomed) {
        try {
          await this.#secrets.delete(ITEM_PREFIX + credential.id);
          removed.push(credential);
        } catch {
          failed.push(credential);
        }
      }
      const removedIds = new Set(removed.map((c) => c.id));
      if (removedIds.size > 0) {
        const ids = await this.#readIndex();
        try {
          await this.#secrets.store(INDEX_KEY, JSON.stringify(ids.filter((id) => !removedIds.has(id))));
        } catch {
          // The secrets are gone already; an index entry without its item is skipped on every load.
          this.#log.warn('The key index could not be updated; removed keys are skipped when keys are loaded.');
        }
        this.#credentials = this.#credentials.filter((c) => !removedIds.has(c.id));
        const active = { ...this.#activeMap() };
        for (const [env, id] of Object.entries(active)) if (removedIds.has(id)) delete active[env];
        await this.#state.update(ACTIVE_STATE_KEY, active);
        this.#onDidChange.fire();
      }
      if (failed.length > 0) {
        throw new Error(
          `Secret storage refused to delete ${failed.map((c) => `"${c.label}"`).join(', ')}; ${failed.length === 1 ? 'it is' : 'they are'} still stored and listed. Try removing again.`,
        );
      }
      return removed;
    });
  }

  setActive(environmentId: string, id: string): Promise<void> {
    return this.#serialize(async () => {
      const credential = this.get(id);
      if (!credential || credential.environment.id !== environmentId) {
        throw new Error('That key does not belong to this environment.');
      }
      await this.#setActiveInState(environmentId, id);
      this.#onDidChange.fire();
    });
  }

  /**
   * The secret or private key of one credential, read from SecretStorage. Only for the bot-settings
   * copy, after the user confirmed it in a modal; never logged.
   */
  async readSecretMaterial(id: string): Promise<{ secret?: string; privateKeyPem?: string } | undefined> {
    const json = await this.#secrets.get(ITEM_PREFIX + id);
    if (!json) return undefined;
    let stored: StoredCredential;
    try {
      stored = JSON.parse(json) as StoredCredential;
    } catch {
      // JSON.parse's message quotes the start of the text, which would be the secret.
      throw new CredentialError('The stored key is not readable. Remove it and add the key again.');
    }
    return { secret: stored.secret, privateKeyPem: stored.privateKeyPem };
  }

  /** Keeps a generated key pair until the user has registered it and pasted the API key. */
  async storePending(pending: PendingKeyPair): Promise<void> {
    await this.#secrets.store(PENDING_PREFIX + pending.environmentId, JSON.stringify(pending));
  }

  async getPending(environmentId: string): Promise<PendingKeyPair | undefined> {
    const json = await this.#secrets.get(PENDING_PREFIX + environmentId);
    if (!json) return undefined;
    try {
      return JSON.parse(json) as PendingKeyPair;
    } catch {
      return undefined;
    }
  }

  async deletePending(environmentId: string): Promise<void> {
    await this.#secrets.delete(PENDING_PREFIX + environmentId);
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#onDidChange.dispose();
  }

  async #readIndex(): Promise<string[]> {
    const json = await this.#secrets.get(INDEX_KEY);
    if (!json) return [];
    try {
      const parsed: unknown = JSON.parse(json);
      return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      this.#log.warn('The stored key index was unreadable; starting with no keys.');
      return [];
    }
  }

  #activeMap(): Record<string, string> {
    return this.#state.get<Record<string, string>>(ACTIVE_STATE_KEY) ?? {};
  }

  async #setActiveInState(environmentId: string, id: string): Promise<void> {
    await this.#state.update(ACTIVE_STATE_KEY, { ...this.#activeMap(), [environmentId]: id });
  }

  /** Runs storage operations one at a time so two quick edits cannot lose an index entry. */
  #serialize<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(operation, operation);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
