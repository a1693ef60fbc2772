import * as vscode from 'vscode';
import { SPOT_TESTNET } from '../../core/environments';
import { BalancesProvider } from '../balances/balancesProvider';
import { ContextKeys, setContext } from '../shared/contextKeys';
import { EnvironmentService } from '../environment/environmentService';
import { ExchangeSession } from '../environment/exchangeSession';
import { OrdersProvider } from '../orders/ordersProvider';
import { PrompterHolder } from '../shared/prompter';
import { RESET_EXPLANATION, ResetWatcher } from '../../app/account/resetWatcher';
import { SecretCredentialStore } from '../keys/secretCredentialStore';
import { Settings } from '../shared/settings';

/**
 * Decides when the views reload: when a view first becomes visible, when the environment or the
 * active key changes, on Refresh, and (as a fallback while no live stream is connected) on a
 * timer that runs only while a view is visible. Also keeps the context keys current.
 */
export class RefreshCoordinator implements vscode.Disposable {
  readonly #subscriptions: vscode.Disposable[] = [];
  readonly #views: vscode.TreeView<unknown>[] = [];
  #signature = '';
  #stale = true;
  #timer: NodeJS.Timeout | undefined;
  #streamConnected = false;
  #debounce: NodeJS.Timeout | undefined;
  #everShown = false;
  #lastRefreshAt = 0;
  readonly #onDidShowView = new vscode.EventEmitter<void>();

  /** Fires when a watched view becomes visible. */
  readonly onDidShowView = this.#onDidShowView.event;

  constructor(
    private readonly session: ExchangeSession,
    private readonly environments: EnvironmentService,
    private readonly store: SecretCredentialStore,
    private readonly balances: BalancesProvider,
    private readonly orders: OrdersProvider,
    private readonly resets: ResetWatcher,
    private readonly settings: () => Settings,
    private readonly prompter: PrompterHolder,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.#subscriptions.push(
      session.onDidChange(() => this.#sessionChanged()),
      // A rate-limit wait is over: the view that waited loads again by itself (no Refresh needed).
      balances.status.onDidPauseEnd(() => this.#pauseEnded(() => this.refreshBalances())),
      orders.status.onDidPauseEnd(() => this.#pauseEnded(() => this.refreshOrders())),
    );
    this.#signature = this.#currentSignature();
    this.updateContext();
  }

  /** Registers a view whose visibility starts loading and polling. */
  watch(view: vscode.TreeView<unknown>): void {
    this.#views.push(view);
    this.#subscriptions.push(
      view.onDidChangeVisibility(() => {
        if (view.visible) this.#shown();
        this.#schedulePolling();
      }),
    );
    if (view.visible) this.#everShown = true;
  }

  /** Whether a view has been visible at least once (live updates wait for that). */
  get everShown(): boolean {
    return this.#everShown;
  }

  get anyViewVisible(): boolean {
    return this.#views.some((v) => v.visible);
  }

  /** Reloads both views; on the Spot Testnet, explains a monthly reset if it looks like one. */
  async refreshAll(): Promise<void> {
    this.#stale = false;
    this.#lastRefreshAt = Date.now();
    this.updateContext();
    const [balancesOk, ordersOk] = await Promise.all([this.balances.refresh(), this.orders.refresh()]);
    if (balancesOk) this.#checkReset(ordersOk ? this.orders.openOrders.length : undefined);
  }

  /** Refreshes unless a full refresh started less than `ms` ago (e.g. right after a reconnect). */
  async refreshAllIfOlderThan(ms: number): Promise<void> {
    if (Date.now() - this.#lastRefreshAt >= ms) await this.refreshAll();
  }

  async refreshBalances(): Promise<void> {
    if (await this.balances.refresh()) this.#checkReset(undefined);
  }

  async refreshOrders(): Promise<void> {
    await this.orders.refresh();
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
    const env = this.session.environment;
    void setContext(ContextKeys.hasKey, this.session.hasKey);
    void setContext(ContextKeys.environmentKind, env.kind);
    void setContext(ContextKeys.canTrade, this.environments.canTrade(env));
    void setContext(ContextKeys.hasTestnetKey, this.store.list(SPOT_TESTNET.id).length > 0);
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

  #sessionChanged(): void {
    this.updateContext();
    const signature = this.#currentSignature();
    if (signature === this.#signature) return; // e.g. a label changed: nothing to reload
    this.#signature = signature;
    this.balances.reset();
    this.orders.reset();
    this.#stale = true;
    // Several store events arrive together (index + item); reload once.
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      // Hidden views load when shown; without a key, refreshing only sets the welcome state (no I/O).
      if (this.anyViewVisible || !this.session.hasKey) void this.refreshAll();
    }, 150);
  }

  #currentSignature(): string {
    const env = this.session.environment;
    return `${env.id}|${this.store.activeFor(env.id)?.id ?? ''}`;
  }

  #checkReset(openOrderCount: number | undefined): void {
    const env = this.session.environment;
    const key = this.store.activeFor(env.id);
    if (!key) return;
    if (this.resets.check(env, key.id, this.balances.balances, openOrderCount)) {
      this.log.info(RESET_EXPLANATION);
      // Plain text: a view message shows no icons.
      this.balances.setNotice(RESET_EXPLANATION);
      void this.prompter.current.showInformationMessage(RESET_EXPLANATION, {});
    }
  }

  #schedulePolling(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    const seconds = this.settings().pollSeconds;
    if (seconds <= 0 || this.#streamConnected || !this.anyViewVisible) return;
    this.#timer = setInterval(
      () => {
        if (this.anyViewVisible && !this.#streamConnected) void this.refreshAll();
      },
      Math.max(5, seconds) * 1000,
    );
  }
}
