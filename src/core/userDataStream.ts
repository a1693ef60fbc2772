/**
 * The WebSocket API user data stream of one key (`userDataStream.subscribe.signature`, which works
 * with every key type): connect, sign the subscription, parse the events, reconnect with backoff.
 * It sits beside the Spot REST client and, like it, takes every URL from the Signer for the key's
 * own environment. Typed events out; what to do with them is the app's business.
 */
import type WebSocket from 'ws';
import type { Balance, Order } from './api';
import { backoffDelayMs } from './backoff';
import type { Credential } from './credentials';
import { canonicalEnvironment, type Environment } from './environments';
import { describeError, KEY_REFUSED_CODES, scrubSensitive } from './errors';
import { Emitter } from './events';
import { ReconnectingSocket } from './reconnectingSocket';
import { Signer } from './signer';
import {
  AccountPosition,
  balancesFromPosition,
  Execution,
  ExecutionReport,
  executionFromReport,
  orderFromReport,
  StreamEvent,
} from './userDataEvents';

export type UserDataStreamState = 'off' | 'connecting' | 'connected' | 'backoff';

export type UserDataEvent =
  /** The connection state changed; `retryInMs` with `backoff`: when the next attempt starts. */
  | { type: 'state'; state: UserDataStreamState; retryInMs?: number }
  /** The subscription was accepted: events flow from now on (anything before it was missed). */
  | { type: 'subscribed' }
  /** The server refused the subscription (text scrubbed). `keyRefused`: the key itself, so no reconnect. */
  | { type: 'refused'; reason: string; keyRefused: boolean }
  /** Nothing could be signed or sent: e.g. the Signer refused a key of another environment. */
  | { type: 'failed'; reason: string }
  /** The socket reported an error (text scrubbed); a reconnect follows. */
  | { type: 'connectionError'; reason: string }
  /** executionReport: the order as it stands now, and what happened to it. */
  | { type: 'order'; order: Order; execution: Execution }
  /** outboundAccountPosition: the balances of the assets that changed. */
  | { type: 'balances'; balances: Balance[] }
  /** balanceUpdate: a deposit or transfer (no totals in it: reload the balances). */
  | { type: 'balanceUpdate' };

export interface UserDataStreamOptions {
  /** Read once, as an id: the registry's environment for it names the host (with the key's consent). */
  environment: Environment;
  credential: Credential;
  /** The server's clock now (local time plus the offset the REST client measured), for the signed timestamp. */
  serverNow: () => number;
  /** Delay before reconnect attempt n; default 1 s, 2 s, 4 s … 60 s with jitter. */
  backoffMs?: (attempt: number) => number;
}

const SUBSCRIBE_ID = 'testnetDesk-subscribe';

export class UserDataStream {
  readonly #environment: Environment;
  readonly #credential: Credential;
  readonly #serverNow: () => number;
  readonly #events = new Emitter<UserDataEvent>();
  readonly #connection: ReconnectingSocket;
  #state: UserDataStreamState = 'off';
  #signer: Signer | undefined;

  constructor(options: UserDataStreamOptions) {
    this.#environment = canonicalEnvironment(options.environment);
    this.#credential = options.credential;
    this.#serverNow = options.serverNow;
    const backoffMs = options.backoffMs ?? ((attempt: number) => backoffDelayMs(attempt));
    this.#connection = new ReconnectingSocket({
      url: () => this.#signerOrThrow().wsApiUrl(this.#environment),
      backoffMs,
      connecting: () => this.#setState('connecting'),
      opened: (socket) => this.#subscribe(socket),
      message: (text) => this.#onMessage(text),
      error: (error) => this.#emit({ type: 'connectionError', reason: this.#scrub(error.message) }),
      closed: (retryInMs) => (retryInMs === undefined ? this.#setState('off') : this.#setState('backoff', retryInMs)),
    });
  }

  /** The registry's environment this stream talks to. */
  get environment(): Environment {
    return this.#environment;
  }

  get state(): UserDataStreamState {
    return this.#state;
  }

  /** Adds a listener; returns the function that removes it. */
  onEvent(listener: (event: UserDataEvent) => void): () => void {
    const subscription = this.#events.event(listener);
    return () => subscription.dispose();
  }

  start(): void {
    // The Signer checks the key against the environment and names the host (the registry's), before
    // a connection is opened: a key of another environment connects nowhere.
    try {
      const signer = new Signer(this.#credential);
      signer.wsApiUrl(this.#environment);
      this.#signer = signer;
    } catch (error) {
      this.#emit({ type: 'failed', reason: describeError(error).message });
      return;
    }
    this.#connection.start();
  }

  stop(): void {
    this.#signer = undefined;
    this.#connection.stop();
    this.#setState('off');
  }

  #signerOrThrow(): Signer {
    if (!this.#signer) throw new Error('The user data stream is not started.');
    return this.#signer;
  }

  #subscribe(socket: WebSocket): void {
    try {
      const params = this.#signerOrThrow().signWsParams(this.#environment, {}, { timestamp: this.#serverNow() });
      socket.send(JSON.stringify({ id: SUBSCRIBE_ID, method: 'userDataStream.subscribe.signature', params }));
    } catch (error) {
      this.#emit({ type: 'failed', reason: describeError(error).message });
      socket.close();
    }
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
        this.#connection.healthy();
        this.#setState('connected');
        this.#emit({ type: 'subscribed' });
        return;
      }
      const code = message.error?.code;
      // The key itself was refused: reconnecting cannot help (and costs weight each time).
      const keyRefused = code !== undefined && KEY_REFUSED_CODES.has(code);
      if (keyRefused) this.#connection.noReconnect();
      // The server's text may echo a parameter (the signature, the API key): scrubbed like REST errors.
      const reason = this.#scrub(`${code ?? message.status} ${message.error?.msg ?? ''}`.trim());
      this.#emit({ type: 'refused', reason, keyRefused });
      this.#connection.socket?.close();
      return;
    }
    const event = message.event;
    if (!event) return;
    switch (event.e) {
      case 'outboundAccountPosition':
        this.#emit({ type: 'balances', balances: balancesFromPosition(event as AccountPosition) });
        break;
      case 'executionReport':
        this.#emit({
          type: 'order',
          order: orderFromReport(event as ExecutionReport),
          execution: executionFromReport(event as ExecutionReport),
        });
        break;
      case 'balanceUpdate':
        this.#emit({ type: 'balanceUpdate' });
        break;
      case 'eventStreamTerminated':
      case 'serverShutdown':
        // Reconnect (with backoff) and subscribe again.
        this.#connection.socket?.close();
        break;
      default:
        break;
    }
  }

  #scrub(text: string): string {
    return scrubSensitive(text, [], [this.#credential.apiKey]);
  }

  #setState(state: UserDataStreamState, retryInMs?: number): void {
    this.#state = state;
    this.#emit(retryInMs === undefined ? { type: 'state', state } : { type: 'state', state, retryInMs });
  }

  #emit(event: UserDataEvent): void {
    this.#events.fire(event);
  }
}
