/**
 * Live updates for the account model from the user data stream (src/core/userDataStream.ts),
 * without extra requests. It runs once a view has been shown (an unused sidebar opens no
 * connection), while the setting allows it and the environment has a key; it restarts when the
 * account's identity changes. While it is down the refresh policy polls. No `vscode`.
 */
import type { Order } from '../../core/api';
import type { Credential } from '../../core/credentials';
import type { Environment } from '../../core/environments';
import { describeError } from '../../core/errors';
import type { Disposable, Event } from '../../core/events';
import type { Execution } from '../../core/userDataEvents';
import { UserDataEvent, UserDataStream, UserDataStreamState } from '../../core/userDataStream';
import type { Log } from '../log';
import type { AccountBalances } from './accountBalances';
import type { AccountOrders } from './accountOrders';

/** What live updates read of the session: the key to subscribe with and the client's clock offset. */
export interface LiveUpdatesSession {
  readonly environment: Environment;
  readonly hasKey: boolean;
  readonly credential: Credential | undefined;
  readonly client: { readonly clockOffsetMs: number };
  readonly onDidChangeIdentity: Event<unknown>;
}

/** The refresh policy: whether a view was shown, and the refreshes a stream event calls for. */
export interface LiveUpdatesRefresh {
  readonly everShown: boolean;
  readonly onDidShowView: Event<void>;
  /** Polling runs only while the stream is not connected. */
  setStreamConnected(connected: boolean): void;
  refreshAllIfOlderThan(ms: number): Promise<void>;
  refreshBalances(): Promise<void>;
}

export interface LiveUpdatesOptions {
  session: LiveUpdatesSession;
  model: { balances: Pick<AccountBalances, 'applyPositions'>; orders: Pick<AccountOrders, 'applyUpdate'> };
  refresh: LiveUpdatesRefresh;
  /** The `testnetDesk.liveUpdates.enabled` setting. */
  enabled: () => boolean;
  log: Log;
  /** Told of every execution report (the Activity feed), with the environment's label. */
  activity?: { add(environment: string, order: Order, execution: Execution): unknown };
}

/** Several balanceUpdate events often arrive together (a deposit, a transfer): one reload for them. */
const BALANCE_RELOAD_DELAY_MS = 500;
/** A reconnect catches up with a refresh, unless one started this recently. */
const CATCH_UP_UNLESS_NEWER_MS = 2000;

export class LiveUpdates implements Disposable {
  readonly #options: LiveUpdatesOptions;
  readonly #subscriptions: Disposable[];
  #stream: UserDataStream | undefined;
  #stopListening: (() => void) | undefined;
  #wanted = false;
  #balanceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: LiveUpdatesOptions) {
    this.#options = options;
    this.#subscriptions = [
      options.session.onDidChangeIdentity(() => this.restart()),
      options.refresh.onDidShowView(() => {
        if (this.state === 'off') this.restart();
      }),
    ];
  }

  get state(): UserDataStreamState {
    return this.#stream?.state ?? 'off';
  }

  /** (Re)connects for the active environment and key, or stops when there is nothing to stream. */
  restart(): void {
    this.#close();
    this.#wanted = this.#shouldRun();
    if (this.#wanted) this.#open();
  }

  /** Settings changed: starts or stops only when that changes whether the stream should run. */
  settingsChanged(): void {
    if (this.#shouldRun() !== this.#wanted) this.restart();
  }

  dispose(): void {
    this.#wanted = false;
    this.#close();
    for (const s of this.#subscriptions) s.dispose();
  }

  #shouldRun(): boolean {
    const { enabled, session, refresh } = this.#options;
    return enabled() && session.hasKey && refresh.everShown;
  }

  #open(): void {
    const { session, log } = this.#options;
    const credential = session.credential;
    if (!credential) return;
    let stream: UserDataStream;
    try {
      stream = new UserDataStream({
        environment: session.environment,
        credential,
        serverNow: () => Date.now() + session.client.clockOffsetMs,
      });
    } catch (error) {
      log.error(`Live updates: ${describeError(error).message}`);
      return;
    }
    this.#stream = stream;
    this.#stopListening = stream.onEvent((event) => this.#onEvent(stream.environment, event));
    stream.start();
  }

  #onEvent(environment: Environment, event: UserDataEvent): void {
    const { model, refresh, log } = this.#options;
    switch (event.type) {
      case 'state':
        if (event.state === 'connected') refresh.setStreamConnected(true);
        if (event.state === 'off' || event.state === 'backoff') refresh.setStreamConnected(false);
        if (event.state === 'backoff')
          log.info(
            `Live updates disconnected from ${environment.label}; reconnecting in ${Math.round((event.retryInMs ?? 0) / 1000)} s (polling meanwhile while a view is visible).`,
          );
        return;
      case 'subscribed':
        log.info(`Live updates connected (${environment.label}).`);
        // Catch up on anything that happened while disconnected.
        void refresh.refreshAllIfOlderThan(CATCH_UP_UNLESS_NEWER_MS);
        return;
      case 'refused':
        log.warn(`Live updates refused: ${event.reason}`);
        // A key or environment change restarts the stream; meanwhile polling keeps the views current.
        if (event.keyRefused)
          log.warn('Live updates stay off until the key or environment changes; the views are polled instead.');
        return;
      case 'failed':
        log.error(`Live updates: ${event.reason}`);
        return;
      case 'connectionError':
        log.warn(`Live updates connection error (${environment.label}): ${event.reason}`);
        return;
      case 'order':
        model.orders.applyUpdate(event.order);
        this.#options.activity?.add(environment.label, event.order, event.execution);
        return;
      case 'balances':
        model.balances.applyPositions(event.balances);
        return;
      case 'balanceUpdate':
        if (this.#balanceTimer) return;
        this.#balanceTimer = setTimeout(() => {
          this.#balanceTimer = undefined;
          void refresh.refreshBalances();
        }, BALANCE_RELOAD_DELAY_MS);
        return;
    }
  }

  #close(): void {
    this.#stopListening?.();
    this.#stopListening = undefined;
    this.#stream?.stop();
    this.#stream = undefined;
    if (this.#balanceTimer) clearTimeout(this.#balanceTimer);
    this.#balanceTimer = undefined;
    this.#options.refresh.setStreamConnected(false);
  }
}
