/**
 * The WebSocket API user data stream of one key (`userDataStream.subscribe.signature`, which works
 * with every key type): connect, sign the subscription, parse the events, reconnect with backoff.
 * It sits beside the Spot REST client and, like it, takes every URL from the Signer for the key's
 * own environment. Typed events out; what to do with them is the app's business.
 */
import WebSocket from 'ws';
import type { Balance, Order } from './api';
import { backoffDelayMs } from './backoff';
import type { Credential } from './credentials';
import { canonicalEnvironment, type Environment } from './environments';
import { describeError, KEY_REFUSED_CODES, scrubSensitive } from './errors';
import { Signer } from './signer';
import { AccountPosition, balancesFromPosition, ExecutionReport, orderFromReport, StreamEvent } from './userDataEvents';

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
  /** executionReport: the order as it stands now. */
  | { type: 'order'; order: Order }
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
const HANDSHAKE_TIMEOUT_MS = 10_000;

export class UserDataStream {
  readonly #environment: Environment;
  readonly #credential: Credential;
  readonly #serverNow: () => number;
  readonly #backoffMs: (attempt: number) => number;
  readonly #listeners = new Set<(event: UserDataEvent) => void>();
  #socket: WebSocket | undefined;
  #state: UserDataStreamState = 'off';
  #wanted = false;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;

  constructor(options: UserDataStreamOptions) {
    this.#environment = canonicalEnvironment(options.environment);
    this.#credential = options.credential;
    this.#serverNow = options.serverNow;
    this.#backoffMs = options.backoffMs ?? ((attempt) => backoffDelayMs(attempt));
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
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#wanted) return;
    this.#wanted = true;
    this.#attempt = 0;
    this.#connect();
  }

  stop(): void {
    this.#wanted = false;
    this.#generation++;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      socket.removeAllListeners('close');
      socket.on('error', () => undefined);
      socket.close();
    }
    this.#setState('off');
  }

  #connect(): void {
    const generation = ++this.#generation;
    const environment = this.#environment;
    // The Signer checks the key against the environment and names the host (the registry's), before
    // a connection is opened: a key of another environment connects nowhere.
    let signer: Signer;
    let url: string;
    try {
      signer = new Signer(this.#credential);
      url = signer.wsApiUrl(environment);
    } catch (error) {
      this.#emit({ type: 'failed', reason: describeError(error).message });
      return;
    }
    this.#setState('connecting');
    const socket = new WebSocket(url, { handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
    this.#socket = socket;
    socket.on('open', () => {
      if (generation !== this.#generation) return;
      try {
        const params = signer.signWsParams(environment, {}, { timestamp: this.#serverNow() });
        socket.send(JSON.stringify({ id: SUBSCRIBE_ID, method: 'userDataStream.subscribe.signature', params }));
      } catch (error) {
        this.#emit({ type: 'failed', reason: describeError(error).message });
        socket.close();
      }
    });
    socket.on('message', (data) => {
      if (generation === this.#generation) this.#onMessage(String(data));
    });
    socket.on('error', (error) => {
      if (generation === this.#generation) this.#emit({ type: 'connectionError', reason: this.#scrub(error.message) });
    });
    socket.on('close', () => {
      if (generation !== this.#generation) return;
      this.#socket = undefined;
      if (!this.#wanted) return this.#setState('off');
      const delay = this.#backoffMs(this.#attempt++);
      this.#setState('backoff', delay);
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
        this.#emit({ type: 'subscribed' });
        return;
      }
      const code = message.error?.code;
      // The key itself was refused: reconnecting cannot help (and costs weight each time).
      const keyRefused = code !== undefined && KEY_REFUSED_CODES.has(code);
      if (keyRefused) this.#wanted = false;
      // The server's text may echo a parameter (the signature, the API key): scrubbed like REST errors.
      const reason = this.#scrub(`${code ?? message.status} ${message.error?.msg ?? ''}`.trim());
      this.#emit({ type: 'refused', reason, keyRefused });
      this.#socket?.close();
      return;
    }
    const event = message.event;
    if (!event) return;
    switch (event.e) {
      case 'outboundAccountPosition':
        this.#emit({ type: 'balances', balances: balancesFromPosition(event as AccountPosition) });
        break;
      case 'executionReport':
        this.#emit({ type: 'order', order: orderFromReport(event as ExecutionReport) });
        break;
      case 'balanceUpdate':
        this.#emit({ type: 'balanceUpdate' });
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

  #scrub(text: string): string {
    return scrubSensitive(text, [], [this.#credential.apiKey]);
  }

  #setState(state: UserDataStreamState, retryInMs?: number): void {
    this.#state = state;
    this.#emit(retryInMs === undefined ? { type: 'state', state } : { type: 'state', state, retryInMs });
  }

  #emit(event: UserDataEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}
