import * as vscode from 'vscode';
import type { AccountModel, AccountSection } from '../../app/account/accountModel';
import { RESET_EXPLANATION, ResetWatcher } from '../../app/account/resetWatcher';
import type { Log } from '../../app/log';
import type { Credential } from '../../core/credentials';
import { Environment, SPOT_TESTNET } from '../../core/environments';
import type { Event } from '../../core/events';
import { ContextKeys, setContext } from '../shared/contextKeys';
import type { PrompterHolder } from '../shared/prompter';
import type { Settings } from '../shared/settings';

/** What the refresh policy reads of the session: the active environment, its key, and their changes. */
export interface RefreshSession {
  readonly environment: Environment;
  readonly hasKey: boolean;
  readonly credential: Credential | undefined;
  /** Any change (a key renamed, settings): the context keys are recomputed. */
  readonly onDidChange: Event<unknown>;
  /** The environment or its active key changed: the views reload. */
  readonly onDidChangeIdentity: Event<unknown>;
}

export interface RefreshCoordinatorDeps {
  session: RefreshSession;
  environments: { canTrade(environment: Environment): boolean };
  /** The stored keys of an environment (the walkthrough's "Spot Testnet key" step). */
  keys: { list(environmentId: string): readonly unknown[] };
  model: Pick<AccountModel, 'balances' | 'orders'>;
  resets: Pick<ResetWatcher, 'check'>;
  settings: () => Pick<Settings, 'pollSeconds'>;
  prompter: PrompterHolder;
  log: Log;
}

/** What the policy reads of a tree view: whether it is on screen. */
export type WatchedView = Pick<vscode.TreeView<unknown>, 'visible' | 'onDidChangeVisibility'>;

/** A view whose rate-limit pause ends: it loads its part of the account again. */
export interface PausingView {
  readonly onDidPauseEnd: Event<void>;
}

/**
 * Decides when the account model reloads: when a view first becomes visible, when the environment
 * or the active key changes, on Refresh, after a view's rate-limit pause, and (as a fallback while
 * no live stream is connected) on a timer that runs only while a view is visible. Also keeps the
 * context keys current.
 */
export class RefreshCoordinator implements vscode.Disposable {
  readonly #deps: RefreshCoordinatorDeps;
  readonly #subscriptions: vscode.Disposable[] = [];
  readonly #views: WatchedView[] = [];
  #stale = true;
  #timer: NodeJS.Timeout | undefined;
  #streamConnected = false;
  #debounce: NodeJS.Timeout | undefined;
  #everShown = false;
  #lastRefreshAt = 0;
  readonly #onDidShowView = new vscode.EventEmitter<void>();

  /** Fires when a watched view becomes visible. */
  readonly onDidShowView = this.#onDidShowView.event;

  constructor(deps: RefreshCoordinatorDeps) {
    this.#deps = deps;
    this.#subscriptions.push(
      deps.session.onDidChange(() => this.updateContext()),
      deps.session.onDidChangeIdentity(() => this.#identityChanged()),
    );
    this.updateContext();
  }

  /**
   * Registers a view whose visibility starts loading and polling; with `pauses`, the end of its
   * rate-limit wait reloads `section` by itself (no Refresh needed).
   */
  watch(view: WatchedView, pauses?: { view: PausingView; section: AccountSection }): void {
    this.#views.push(view);
    this.#subscriptions.push(
      view.onDidChangeVisibility(() => {
        if (view.visible) this.#shown();
        this.#schedulePolling();
      }),
    );
    if (pauses) {
      const reload = pauses.section === 'balances' ? () => this.refreshBalances() : () => this.refreshOrders();
      this.#subscriptions.push(pauses.view.onDidPauseEnd(() => this.#pauseEnded(reload)));
    }
    if (view.visible) this.#everShown = true;
  }

  /** Whether a view has been visible at least once (live updates wait for that). */
  get everShown(): boolean {
    return this.#everShown;
  }

  get anyViewVisible(): boolean {
    return this.#views.some((v) => v.visible);
  }

  /** Reloads both parts of the account; on the Spot Testnet, explains a monthly reset if it looks like one. */
  async refreshAll(): Promise<void> {
    this.#stale = false;
    this.#lastRefreshAt = Date.now();
    this.updateContext();
    const { balances, orders } = this.#deps.model;
    const [balancesOk, ordersOk] = await Promise.all([balances.refresh(), orders.refresh()]);
    if (balancesOk) this.#checkReset(ordersOk ? orders.openOrders.length : undefined);
  }

  /** Refreshes unless a full refresh started less than `ms` ago (e.g. right after a reconnect). */
  async refreshAllIfOlderThan(ms: number): Promise<void> {
    if (Date.now() - this.#lastRefreshAt >= ms) await this.refreshAll();
  }

  async refreshBalances(): Promise<void> {
    if (await this.#deps.model.balances.refresh()) this.#checkReset(undefined);
  }

  async refreshOrders(): Promise<void> {
    await this.#deps.model.orders.refresh();
  }

  /** The live stream reports whether it is connected; polling runs only while it is not. */
  setStreamConnected(connected: boolean): void {
    this.#streamConnected = connected;
    this.#schedulePolling();
  }

  settingsChanged(): void {
    this.updateContext();
    this.#schedulePolling();
    if (this.anyViewVisible) void this.refreshAll();
    else this.#stale = true;
  }

  updateContext(): void {
    const { session, environments, keys } = this.#deps;
    const env = session.environment;
    void setContext(ContextKeys.hasKey, session.hasKey);
    void setContext(ContextKeys.environmentKind, env.kind);
    void setContext(ContextKeys.canTrade, environments.canTrade(env));
    void setContext(ContextKeys.hasTestnetKey, keys.list(SPOT_TESTNET.id).length > 0);
  }

  dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#debounce) clearTimeout(this.#debounce);
    for (const s of this.#subscriptions) s.dispose();
    this.#onDidShowView.dispose();
  }

  #shown(): void {
    this.#everShown = true;
    if (this.#stale) void this.refreshAll();
    this.#onDidShowView.fire();
  }

  #pauseEnded(reload: () => Promise<void>): void {
    // Hidden views load when shown, like after any other change.
    if (this.anyViewVisible) void reload();
    else this.#stale = true;
  }

  /** The model has forgotten the previous account (it follows the same event); load the new one. */
  #identityChanged(): void {
    this.#stale = true;
    // Changes often come in bursts (a key stored, then made active); reload once.
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      // Hidden views load when shown; without a key, refreshing only sets the welcome state (no I/O).
      if (this.anyViewVisible || !this.#deps.session.hasKey) void this.refreshAll();
    }, 150);
  }

  #checkReset(openOrderCount: number | undefined): void {
    const { session, model, resets, log, prompter } = this.#deps;
    const env = session.environment;
    const key = session.credential;
    if (!key) return;
    if (resets.check(env, key.id, model.balances.balances, openOrderCount)) {
      log.info(RESET_EXPLANATION);
      // Plain text: a view message shows no icons.
      model.balances.setNotice(RESET_EXPLANATION);
      void prompter.current.showInformationMessage(RESET_EXPLANATION, {});
    }
  }

  #schedulePolling(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    const seconds = this.#deps.settings().pollSeconds;
    if (seconds <= 0 || this.#streamConnected || !this.anyViewVisible) return;
    this.#timer = setInterval(
      () => {
        if (this.anyViewVisible && !this.#streamConnected) void this.refreshAll();
      },
      Math.max(5, seconds) * 1000,
    );
  }
}
