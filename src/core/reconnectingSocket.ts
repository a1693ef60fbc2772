/**
 * One WebSocket that reconnects with backoff until it is stopped: the connection lifecycle the
 * market streams and the user data stream share. Each connection has its own generation, and the
 * events of a replaced or stopped connection are dropped, so a late `close` never reconnects a
 * stream that was stopped, and work begun for an old connection can tell it is stale.
 */
import WebSocket from 'ws';

export interface ReconnectingSocketHandlers {
  /** The URL of the next attempt (built anew each time). */
  url(): string;
  /** Delay before reconnect attempt n (n counts failures since the last healthy connection). */
  backoffMs(attempt: number): number;
  /** A new attempt starts (its generation is current from now on). */
  connecting(generation: number): void;
  opened(socket: WebSocket, generation: number): void;
  message(text: string, generation: number): void;
  /** The server pinged (the connection is alive). */
  pinged?(): void;
  error(error: Error): void;
  /** The connection closed: it reconnects after `retryInMs`, or (undefined) not at all. */
  closed(retryInMs: number | undefined): void;
}

const HANDSHAKE_TIMEOUT_MS = 10_000;

export class ReconnectingSocket {
  readonly #handlers: ReconnectingSocketHandlers;
  #socket: WebSocket | undefined;
  #wanted = false;
  #attempt = 0;
  #generation = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(handlers: ReconnectingSocketHandlers) {
    this.#handlers = handlers;
  }

  /** The current connection's generation (it moves on with each attempt and with stop()). */
  get generation(): number {
    return this.#generation;
  }

  get socket(): WebSocket | undefined {
    return this.#socket;
  }

  start(): void {
    if (this.#wanted) return;
    this.#wanted = true;
    this.#attempt = 0;
    this.#connect();
  }

  /** Closes the connection for good; nothing it started reports back. */
  stop(): void {
    this.#wanted = false;
    this.#generation++;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    socket.removeAllListeners();
    socket.on('error', () => undefined);
    if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    else socket.close();
  }

  /** The connection works (e.g. a subscription was accepted): the next backoff starts from the first delay. */
  healthy(): void {
    this.#attempt = 0;
  }

  /** Once this connection closes, do not reconnect (e.g. the server refused the key itself). */
  noReconnect(): void {
    this.#wanted = false;
  }

  #connect(): void {
    const generation = ++this.#generation;
    const handlers = this.#handlers;
    handlers.connecting(generation);
    const socket = new WebSocket(handlers.url(), { handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
    this.#socket = socket;
    socket.on('open', () => {
      if (generation === this.#generation) handlers.opened(socket, generation);
    });
    socket.on('message', (data) => {
      if (generation === this.#generation) handlers.message(String(data), generation);
    });
    socket.on('ping', () => {
      if (generation === this.#generation) handlers.pinged?.();
    });
    socket.on('error', (error) => {
      if (generation === this.#generation) handlers.error(error);
    });
    socket.on('close', () => {
      if (generation !== this.#generation) return;
      this.#socket = undefined;
      if (!this.#wanted) return handlers.closed(undefined);
      const delay = handlers.backoffMs(this.#attempt++);
      handlers.closed(delay);
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        if (this.#wanted && generation === this.#generation) this.#connect();
      }, delay);
    });
  }
}
