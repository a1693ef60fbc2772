import * as vscode from 'vscode';
import {
  BINANCE_ENVIRONMENTS,
  canonicalEnvironment,
  Environment,
  environmentFromId,
  LIVE,
  SPOT_TESTNET,
} from '../../core/environments';
import type { StateStore } from '../../app/stateStore';
import type { Credential } from '../../core/credentials';
import { Settings } from '../shared/settings';

const ACTIVE_ENVIRONMENT_KEY = 'testnetDesk.environment.active';

/** The stored keys (local sandboxes are offered while a key of theirs is stored). */
export interface EnvironmentKeys {
  list(environmentId?: string): readonly Credential[];
}

/**
 * Which environment the views and commands talk to. The Spot Testnet is the default; Live is
 * offered only while `testnetDesk.live.enabled` is on and is read-only unless
 * `testnetDesk.live.allowTrading` is on too. The choice is kept in globalState (it is not secret).
 */
export class EnvironmentService implements vscode.Disposable {
  readonly #state: StateStore;
  readonly #store: EnvironmentKeys;
  readonly #settings: () => Pick<Settings, 'liveEnabled' | 'liveAllowTrading'>;
  readonly #onDidChange = new vscode.EventEmitter<Environment>();
  #active: Environment;
  #runningSandbox: Environment | undefined;

  /** Fires with the new active environment (also when the live settings change what is allowed). */
  readonly onDidChange = this.#onDidChange.event;

  constructor(
    state: StateStore,
    store: EnvironmentKeys,
    settings: () => Pick<Settings, 'liveEnabled' | 'liveAllowTrading'>,
  ) {
    this.#state = state;
    this.#store = store;
    this.#settings = settings;
    this.#active = this.#restore();
  }

  get active(): Environment {
    return this.#active;
  }

  /** The sandbox this window runs, if any. */
  get runningSandbox(): Environment | undefined {
    return this.#runningSandbox;
  }

  /** Environments the user may switch to, in menu order. */
  available(): Environment[] {
    const result: Environment[] = BINANCE_ENVIRONMENTS.filter((env) => env !== LIVE || this.#settings().liveEnabled);
    const locals = new Map<string, Environment>();
    if (this.#runningSandbox) locals.set(this.#runningSandbox.id, this.#runningSandbox);
    for (const credential of this.#store.list()) {
      if (credential.environment.kind === 'local') locals.set(credential.environment.id, credential.environment);
    }
    return [...result, ...locals.values()];
  }

  /** Whether orders may be placed or cancelled in `environment`. */
  canTrade(environment: Environment = this.#active): boolean {
    return environment.kind !== 'live' || this.#settings().liveAllowTrading;
  }

  async setActive(requested: Environment): Promise<void> {
    const environment = canonicalEnvironment(requested);
    if (environment.kind === 'live' && !this.#settings().liveEnabled) {
      throw new Error('Live is turned off. Enable the setting "testnetDesk.live.enabled" in your user settings first.');
    }
    this.#active = environment;
    // Listeners follow in this same turn (the session rebuilds its client), so nothing sent after
    // this call can still go to the previous environment; the choice is persisted afterwards.
    this.#onDidChange.fire(environment);
    await this.#state.update(ACTIVE_ENVIRONMENT_KEY, environment.id);
  }

  /** Called by the sandbox controller when this window starts or stops its sandbox. */
  setRunningSandbox(environment: Environment | undefined): void {
    this.#runningSandbox = environment && canonicalEnvironment(environment);
  }

  /**
   * After the keys are loaded: a local sandbox restored from an earlier session that is not running
   * here and has no key left is of no use, so fall back to the Spot Testnet.
   */
  async dropUnusableLocal(): Promise<void> {
    const env = this.#active;
    if (env.kind !== 'local' || env.id === this.#runningSandbox?.id) return;
    if (this.#store.list(env.id).length === 0) await this.setActive(SPOT_TESTNET);
  }

  /** Re-checks the active environment against the settings (Live may have been turned off). */
  settingsChanged(): void {
    if (this.#active.kind === 'live' && !this.#settings().liveEnabled) {
      void this.setActive(SPOT_TESTNET);
      return;
    }
    this.#onDidChange.fire(this.#active);
  }

  dispose(): void {
    this.#onDidChange.dispose();
  }

  #restore(): Environment {
    const id = this.#state.get<string>(ACTIVE_ENVIRONMENT_KEY);
    if (!id) return SPOT_TESTNET;
    try {
      const env = environmentFromId(id);
      if (env.kind === 'live' && !this.#settings().liveEnabled) return SPOT_TESTNET;
      return env;
    } catch {
      return SPOT_TESTNET;
    }
  }
}
