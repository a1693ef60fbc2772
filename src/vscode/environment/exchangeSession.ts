import * as vscode from 'vscode';
import { Environment } from '../../core/environments';
import { EnvironmentService } from './environmentService';
import { ClientFactory, ExchangeClient } from '../../app/exchange';
import { SecretCredentialStore } from '../keys/secretCredentialStore';

/**
 * The client for the active environment. It is rebuilt when the environment or the settings
 * change; the credential is looked up at every signed call, so a key added, switched or removed
 * (here or in another window) takes effect on the next request.
 */
export class ExchangeSession implements vscode.Disposable {
  readonly #onDidChange = new vscode.EventEmitter<Environment>();
  readonly #subscriptions: vscode.Disposable[];
  #client: ExchangeClient;

  /** Fires after the client was rebuilt (new environment or settings) or the active key changed. */
  readonly onDidChange = this.#onDidChange.event;

  constructor(
    private readonly environments: EnvironmentService,
    private readonly store: SecretCredentialStore,
    private readonly factory: ClientFactory,
  ) {
    this.#client = this.#build();
    this.#subscriptions = [
      environments.onDidChange(() => this.rebuild()),
      store.onDidChange(() => this.#onDidChange.fire(this.environment)),
    ];
  }

  get client(): ExchangeClient {
    return this.#client;
  }

  get environment(): Environment {
    return this.#client.environment;
  }

  /** Whether the active environment has a key to sign with. */
  get hasKey(): boolean {
    return this.store.activeFor(this.environment.id) !== undefined;
  }

  rebuild(): void {
    this.#client = this.#build();
    this.#onDidChange.fire(this.environment);
  }

  dispose(): void {
    for (const s of this.#subscriptions) s.dispose();
    this.#onDidChange.dispose();
  }

  #build(): ExchangeClient {
    const environment = this.environments.active;
    return this.factory(environment, () => this.store.activeFor(environment.id));
  }
}
