import * as vscode from 'vscode';
import WebSocket from 'ws';
import { backoffDelayMs } from '../../core/backoff';
import { canonicalEnvironment } from '../../core/environments';
import { describeError, scrubSensitive } from '../../core/errors';
import { Signer } from '../../core/signer';
import type { Log } from '../../app/log';
import type { AccountModel } from '../../app/account/accountModel';
import { ExchangeSession } from '../environment/exchangeSession';
import { RefreshCoordinator } from './refreshCoordinator';
import { SecretCredentialStore } from '../keys/secretCredentialStore';
import { Settings } from '../shared/settings';
import {
  AccountPosition,
  balancesFromPosition,
  ExecutionReport,
  orderFromReport,
  StreamEvent,
} from '../../core/userDataEvents';
import { KEY_REFUSED_CODES } from '../../app/viewError';

export type StreamState = 'off' | 'connecting' | 'connected' | 'backoff';

const SUBSCRIBE_ID = 'testnetDesk-subscribe';

/**
 * Live updates from the WebSocket API user data stream (`userDataStream.subscribe.signature`,
 * which works with every key type), applied to the trees without extra requests. Reconnects with
 * exponential backoff; while it is down the coordinator polls (only while a view is visible).
 * It starts once a view has been shown, so an unused sidebar opens no connection.
 */
export class UserDataStream implements vscode.Disposable {
  #socket: WebSocket | undefined;
  #state: StreamState = 'off';
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #generation = 0;
  #wanted = false;
  #balanceTimer: NodeJS.Timeout | undefined;
  readonly #subscriptions: vscode.Disposable[];

  constructor(
    private readonly session: ExchangeSession,
    private readonly store: SecretCredentialStore,
    private readonly model: Pick<AccountModel, 'balances' | 'orders'>,
    private readonly coordinator: RefreshCoordinator,
    private readonly settings: () => Settings,
    private readonly log: Log,
  ) {
    let signature = this.#signature();
    this.#subscriptions = [
      session.onDidChange(() => {
        const next = this.#signature();
        if (next !== signature) {
          signature = next;
          this.restart();
        }
      }),
      coordinator.onDidShowView(() => {
        if (this.#state === 'off') this.restart();
      }),
    ];
  }

  get state(): StreamState {
    return this.#state;
  }

  /** (Re)connects for the active environment and key, or stops when there is nothing to stream. */
  restart(): void {
    this.#close();
    this.#wanted = this.settings().liveUpdates && this.session.hasKey && this.coordinator.everShown;
    this.#attempt = 0;
    if (this.#wanted) this.#connect();
  }

  dispose(): void {
    this.#wanted = false;
    this.#close();
    for (const s of this.#subscriptions) s.dispose();
  }

  #connect(): void {
    const generation = ++this.#generation;
    const environment = canonicalEnvironment(this.session.environment);
    const credential = this.store.activeFor(environment.id);
    if (!credential) return;
    // The Signer checks the key against the environment and names the host (the registry's), before
    // a connection is opened: a key of another environment connects nowhere.
    let signer: Signer;
    let url: string;
    try {
      signer = new Signer(credential);
      url = signer.wsApiUrl(environment);
    } catch (error) {
      this.log.error(`Live updates: ${describeError(error).message}`);
      return;
    }
    this.#setState('connecting');
    const socket = new WebSocket(url, { handshakeTimeout: 10_000 });
    this.#socket = socket;
    socket.on('open', () => {
      if (generation !== this.#generation) return;
      try {
        const offset = (this.session.client as { clockOffsetMs?: number }).clockOffsetMs ?? 0;
        const params = signer.signWsParams(environment, {}, { timestamp: Date.now() + offset });
        socket.send(JSON.stringify({ id: SUBSCRIBE_ID, method: 'userDataStream.subscribe.signature', params }));
      } catch (error) {
        this.log.error(`Live updates: ${describeError(error).message}`);
        socket.close();
      }
    });
    socket.on('message', (data) => {
      if (generation !== this.#generation) return;
      this.#onMessage(String(data));
    });
    socket.on('error', (error) => {
      if (generation === this.#generation)
        this.log.warn(
          scrubSensitive(
            `Live updates connection error (${environment.label}): ${error.message}`,
            [],
            [credential.apiKey],
          ),
        );
    });
    socket.on('close', () => {
      if (generation !== this.#generation) return;
      this.#socket = undefined;
      this.coordinator.setStreamConnected(false);
      if (!this.#wanted) return this.#setState('off');
      const delay = backoffDelayMs(this.#attempt++);
      this.#setState('backoff');
      this.log.info(
        `Live updates disconnected from ${environment.label}; reconnecting in ${Math.round(delay / 1000)} s (polling meanwhile while a view is visible).`,
      );
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        if (this.#wanted && generation === this.#generation) this.#connect();
      }, delay);
    });
  }

  #onMessage(text: string): void {
    let message: { id?: unknown; status?: number; error?: { code?: number; msg?: string }; event?: StreamEvent };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.id === SUBSCRIBE_ID) {
      if (message.status === 200) {
        this.#attempt = 0;
        this.#setState('connected');
        this.coordinator.setStreamConnected(true);
        this.log.info(`Live updates connected (${this.session.environment.label}).`);
        // Catch up on anything that happened while disconnected.
        void this.coordinator.refreshAllIfOlderThan(2000);
      } else {
        // The server's text may echo a parameter (the signature, the API key): scrubbed like REST errors.
        const apiKey = this.store.activeFor(this.session.environment.id)?.apiKey;
        this.log.warn(
          scrubSensitive(
            `Live updates refused: ${message.error?.code ?? message.status} ${message.error?.msg ?? ''}`.trim(),
            [],
            [apiKey],
          ),
        );
        if (message.error?.code !== undefined && KEY_REFUSED_CODES.has(message.error.code)) {
          // The key itself was refused: reconnecting cannot help (and costs weight each time). A key
          // or environment change restarts the stream; meanwhile polling keeps the views current.
          this.#wanted = false;
          this.log.warn('Live updates stay off until the key or environment changes; the views are polled instead.');
        }
        this.#socket?.close();
      }
      return;
    }
    const event = message.event;
    if (!event) return;
    switch (event.e) {
      case 'outboundAccountPosition':
        this.model.balances.applyPositions(balancesFromPosition(event as AccountPosition));
        break;
      case 'executionReport':
        this.model.orders.applyUpdate(orderFromReport(event as ExecutionReport));
        break;
      case 'balanceUpdate':
        // A deposit or transfer; several often arrive together: reload the balances once.
        if (!this.#balanceTimer) {
          this.#balanceTimer = setTimeout(() => {
            this.#balanceTimer = undefined;
            void this.coordinator.refreshBalances();
          }, 500);
        }
        break;
      case 'eventStreamTerminated':
      case 'serverShutdown':
        // Reconnect (with backoff) and subscribe again.
        this.#socket?.close();
        break;
      default:
        break;
    }
  }

  #setState(state: StreamState): void {
    this.#state = state;
  }

  #close(): void {
    this.#generation++;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    if (this.#balanceTimer) clearTimeout(this.#balanceTimer);
    this.#balanceTimer = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      socket.removeAllListeners('close');
      socket.on('error', () => undefined);
      socket.close();
    }
    this.coordinator.setStreamConnected(false);
    this.#setState('off');
  }

  #signature(): string {
    const env = this.session.environment;
    return `${env.id}|${this.store.activeFor(env.id)?.id ?? ''}`;
  }
}
