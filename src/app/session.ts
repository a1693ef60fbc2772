/**
 * The client for the active environment, and the one place that says whether the account changed.
 * No `vscode`: the environment service and the key store reach it through narrow interfaces.
 */
import type { Credential } from '../core/credentials';
import type { Environment } from '../core/environments';
import { type Disposable, Emitter, type Event } from '../core/events';
import type { ClientFactory, ExchangeClient } from './exchange';

/** Which environment is active, and when that (or what it allows) changes. */
export interface SessionEnvironments {
  readonly active: Environment;
  readonly onDidChange: Event<unknown>;
}

/** Which key is active in an environment, and when any key changes (in this window or another). */
export interface SessionKeys {
  activeFor(environmentId: string): Credential | undefined;
  readonly onDidChange: Event<unknown>;
}

/**
 * The client is rebuilt whenever the environment service reports a change (a switch, or settings
 * such as recvWindow); the credential is looked up at every signed call, so a key added, switched
 * or removed (here or in another window) takes effect on the next request.
 *
 * "Did the account change?" is answered here only: `onDidChangeIdentity` fires once when the
 * environment or its active key changed, and drives the account model, the refresh policy and the
 * live updates. A renamed key, another environment's key or a rebuilt client changes no identity.
 */
export class ExchangeSession implements Disposable {
  readonly #environments: SessionEnvironments;
  readonly #keys: SessionKeys;
  readonly #factory: ClientFactory;
  readonly #onDidChange = new Emitter<Environment>();
  readonly #onDidChangeIdentity = new Emitter<Environment>();
  readonly #subscriptions: Disposable[];
  #client: ExchangeClient;
  #identity: string;

  /** Fires after the client was rebuilt or any key changed (context keys, status texts). */
  readonly onDidChange = this.#onDidChange.event;
  /** Fires once when the active environment or its active key changed. */
  readonly onDidChangeIdentity = this.#onDidChangeIdentity.event;

  constructor(environments: SessionEnvironments, keys: SessionKeys, factory: ClientFactory) {
    this.#environments = environments;
    this.#keys = keys;
    this.#factory = factory;
    this.#client = this.#build();
    this.#identity = this.#currentIdentity();
    this.#subscriptions = [
      environments.onDidChange(() => {
        this.#client = this.#build();
        this.#changed();
      }),
      keys.onDidChange(() => this.#changed()),
    ];
  }

  get client(): ExchangeClient {
    return this.#client;
  }

  get environment(): Environment {
    return this.#client.environment;
  }

  /** The key the active environment signs with, if any. */
  get credential(): Credential | undefined {
    return this.#keys.activeFor(this.environment.id);
  }

  /** Whether the active environment has a key to sign with. */
  get hasKey(): boolean {
    return this.credential !== undefined;
  }

  dispose(): void {
    for (const s of this.#subscriptions) s.dispose();
    this.#onDidChange.dispose();
    this.#onDidChangeIdentity.dispose();
  }

  #changed(): void {
    const identity = this.#currentIdentity();
    if (identity !== this.#identity) {
      this.#identity = identity;
      this.#onDidChangeIdentity.fire(this.environment);
    }
    this.#onDidChange.fire(this.environment);
  }

  #currentIdentity(): string {
    return `${this.environment.id}|${this.credential?.id ?? ''}`;
  }

  #build(): ExchangeClient {
    const environment = this.#environments.active;
    return this.#factory(environment, () => this.#keys.activeFor(environment.id));
  }
}
