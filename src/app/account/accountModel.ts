/**
 * The account of the active environment and key, as the views show it: balances, open orders,
 * history pages, each part's status, and a generation counter that moves on every reset. Fed by
 * refreshes (the refresh policy calls them) and by stream events (live updates); the views only
 * render it. No `vscode`.
 */
import type { Environment } from '../../core/environments';
import { type Disposable, Emitter, type Event } from '../../core/events';
import type { Log } from '../log';
import type { StateStore } from '../stateStore';
import { AccountBalances, BalancesClient } from './accountBalances';
import { AccountOrders, OrdersClient } from './accountOrders';
import type { ChangeCause, SectionHost, SectionSource } from './refreshSection';

export type AccountSection = 'balances' | 'orders';

export interface AccountChange {
  readonly section: AccountSection;
  readonly cause: ChangeCause;
}

export type AccountClient = BalancesClient & OrdersClient;

export interface AccountModelOptions {
  /** The active environment, whether it has a key, and its client (the session). */
  source: SectionSource<AccountClient>;
  /** The environment or the active key changed (the session's event): everything is forgotten. */
  identityChanged: Event<unknown>;
  state: StateStore;
  /** The quote asset balances are valued in ("" for none), read at each refresh. */
  valuationAsset: () => string;
  log: Log;
  /** Wraps a section's requests (a view shows its progress meanwhile); default: just runs them. */
  progress?: <R>(section: AccountSection, task: () => Promise<R>) => PromiseLike<R>;
  now?: () => number;
}

export class AccountModel {
  readonly balances: AccountBalances;
  readonly orders: AccountOrders;
  readonly #source: SectionSource<AccountClient>;
  readonly #onDidChange = new Emitter<AccountChange>();
  readonly #subscription: Disposable;
  #generation = 0;

  /** Fires after any change of a section's data or status. */
  readonly onDidChange: Event<AccountChange> = this.#onDidChange.event;

  constructor(options: AccountModelOptions) {
    this.#source = options.source;
    const progress = options.progress ?? ((_section, task) => task());
    const now = options.now ?? Date.now;
    const host = (section: AccountSection): SectionHost<AccountClient> => ({
      source: options.source,
      progress: (task) => progress(section, task),
      log: options.log,
      changed: (cause) => this.#onDidChange.fire({ section, cause }),
      now,
    });
    this.balances = new AccountBalances({ ...host('balances'), valuationAsset: options.valuationAsset });
    this.orders = new AccountOrders({ ...host('orders'), state: options.state });
    this.#subscription = options.identityChanged(() => this.reset());
  }

  /** The environment the model shows (ids of rows include it). */
  get environment(): Environment {
    return this.#source.environment;
  }

  /** Moves on every reset: anything begun under an older generation belongs to another key or environment. */
  get generation(): number {
    return this.#generation;
  }

  /** Forgets everything: the environment or the active key changed. */
  reset(): void {
    this.#generation++;
    this.balances.reset();
    this.orders.reset();
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#onDidChange.dispose();
  }
}
