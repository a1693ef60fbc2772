import WebSocket from 'ws';
import { backoffDelayMs } from '../backoff';
import { canonicalEnvironment, Environment } from '../environments';
import { Emitter } from '../events';
import { ReconnectingSocket } from '../reconnectingSocket';
import { KlineInterval, isKlineInterval, Kline, parseStreamPayload, PublicTrade, Ticker24h } from './marketEvents';
import { BookChange, BookSyncState, DepthSnapshot, LocalOrderBook } from './orderBook';

export type MarketConnectionState = 'connecting' | 'open' | 'backoff' | 'closed';

export type MarketEvent =
  | { type: 'kline'; kline: Kline }
  | { type: 'trade'; trade: PublicTrade }
  | { type: 'ticker'; ticker: Ticker24h }
  /** The book changed (`change`) or its sync state did (synced after a snapshot, resync-needed on a gap). */
  | { type: 'book'; state: BookSyncState; change?: BookChange }
  | { type: 'connection'; state: MarketConnectionState; retryInMs?: number }
  /** Something went wrong that the client recovers from by itself (a refused snapshot, a bad frame). */
  | { type: 'problem'; message: string };

export interface MarketStreamOptions {
  /** Every URL comes from here: streamUrl for the streams, and `fetchDepth` is the environment's client. */
  environment: Environment;
  symbol: string;
  interval: KlineInterval;
  /** REST depth snapshot (GET /api/v3/depth) of the same environment, e.g. `(s) => client.depth(s, 1000)`. */
  fetchDepth: (symbol: string) => Promise<DepthSnapshot>;
  /** Delay before reconnect attempt n (and before re-fetching a snapshot after a failed fetch). */
  backoffMs?: (attempt: number) => number;
  /** Delay before fetching another snapshot when one was too old or the buffer had a gap; default 250 ms. */
  resnapshotDelayMs?: number;
  /** A connection with no frame and no ping for this long is dropped and re-opened; default 65 s (pings come every 20 s). */
  silenceTimeoutMs?: number;
}

const SYMBOL = /^[A-Z0-9]{2,20}$/;
/** The stream servers close a connection sending more than 5 messages a second. */
const CONTROL_SPACING_MS = 250;

/**
 * The combined-stream URL for `streams` on `environment`: its streamUrl (…/ws) with the path
 * /stream?streams=a/b/c. Only the environment decides the host.
 */
export function combinedStreamUrl(environment: Environment, streams: readonly string[]): string {
  // The registry's object for this environment's id: a copy or proxy can name it, never pick its host.
  const canonical = canonicalEnvironment(environment);
  const url = new URL(canonical.streamUrl);
  if (!url.pathname.endsWith('/ws'))
    throw new Error(`${canonical.label}: streamUrl ${canonical.streamUrl} does not end in /ws.`);
  url.pathname = `${url.pathname.slice(0, -'/ws'.length)}/stream`;
  url.search = `?streams=${streams.join('/')}`;
  return url.toString();
}

/**
 * Market data of one symbol over one combined-stream connection: candles of the chosen interval,
 * diff depth kept in a LocalOrderBook (snapshot fetched after each (re)connect and after a gap),
 * trades and the 24 h ticker. Reconnects with backoff; changing the interval re-subscribes on the
 * same connection. Public data only: no key is involved.
 */
export class MarketStreams {
  readonly book = new LocalOrderBook();
  readonly symbol: string;
  readonly #environment: Environment;
  readonly #fetchDepth: (symbol: string) => Promise<DepthSnapshot>;
  readonly #backoffMs: (attempt: number) => number;
  readonly #resnapshotDelayMs: number;
  readonly #silenceTimeoutMs: number;
  readonly #events = new Emitter<MarketEvent>();
  readonly #connection: ReconnectingSocket;
  #interval: KlineInterval;
  #state: MarketConnectionState = 'closed';
  /** Generation of the connection whose book a snapshot loop is syncing, if any. */
  #syncingFor: number | undefined;
  #lastSeen = 0;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #nextControlAt = 0;
  #controlId = 0;
  readonly #timers = new Map<ReturnType<typeof setTimeout>, () => void>();

  constructor(options: MarketStreamOptions) {
    if (!SYMBOL.test(options.symbol))
      throw new Error(`"${options.symbol}" is not a symbol; use the exchange's name in capitals, e.g. BTCUSDT.`);
    if (!isKlineInterval(options.interval)) throw new Error(`"${String(options.interval)}" is not a kline interval.`);
    this.symbol = options.symbol;
    this.#environment = canonicalEnvironment(options.environment);
    this.#interval = options.interval;
    this.#fetchDepth = options.fetchDepth;
    this.#backoffMs = options.backoffMs ?? ((attempt) => backoffDelayMs(attempt));
    this.#resnapshotDelayMs = options.resnapshotDelayMs ?? 250;
    this.#silenceTimeoutMs = options.silenceTimeoutMs ?? 65_000;
    this.#connection = new ReconnectingSocket({
      url: () => combinedStreamUrl(this.#environment, this.#streams()),
      backoffMs: this.#backoffMs,
      connecting: () => {
        this.book.reset(); // a new connection's diff events start anywhere: buffer them for a new snapshot
        this.#setState('connecting');
      },
      opened: (_socket, generation) => {
        this.#connection.healthy();
        this.#lastSeen = Date.now();
        this.#setState('open');
        this.#startWatchdog(generation);
        void this.#syncBook(generation);
      },
      message: (text, generation) => {
        this.#lastSeen = Date.now();
        this.#onFrame(text, generation);
      },
      pinged: () => (this.#lastSeen = Date.now()),
      error: (error) =>
        this.#emit({ type: 'problem', message: `${this.#environment.label} market streams: ${error.message}` }),
      closed: (retryInMs) => {
        this.#stopWatchdog();
        if (retryInMs === undefined) this.#setState('closed');
        else this.#setState('backoff', retryInMs);
      },
    });
  }

  get state(): MarketConnectionState {
    return this.#state;
  }

  get interval(): KlineInterval {
    return this.#interval;
  }

  /** Adds a listener; returns the function that removes it. */
  onEvent(listener: (event: MarketEvent) => void): () => void {
    const subscription = this.#events.event(listener);
    return () => subscription.dispose();
  }

  start(): void {
    this.#connection.start();
  }

  close(): void {
    this.#stopWatchdog();
    this.#connection.stop();
    for (const [timer, resolve] of this.#timers) {
      clearTimeout(timer);
      resolve();
    }
    this.#timers.clear();
    this.#setState('closed');
  }

  /** Switches the candle stream: UNSUBSCRIBE the old interval, SUBSCRIBE the new one (or use it on the next connect). */
  setInterval(interval: KlineInterval): void {
    if (!isKlineInterval(interval)) throw new Error(`"${String(interval)}" is not a kline interval.`);
    if (interval === this.#interval) return;
    const previous = this.#klineStream();
    this.#interval = interval;
    if (this.#state !== 'open') return;
    const generation = this.#connection.generation;
    this.#sendControl('UNSUBSCRIBE', [previous], generation);
    this.#sendControl('SUBSCRIBE', [this.#klineStream()], generation);
  }

  #klineStream(): string {
    return `${this.symbol.toLowerCase()}@kline_${this.#interval}`;
  }

  #streams(): string[] {
    const s = this.symbol.toLowerCase();
    return [this.#klineStream(), `${s}@depth@100ms`, `${s}@trade`, `${s}@ticker`];
  }

  #onFrame(text: string, generation: number): void {
    let frame: { stream?: unknown; data?: unknown; id?: unknown; error?: { msg?: string } };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      this.#emit({ type: 'problem', message: 'A market stream frame was not JSON; ignored.' });
      return;
    }
    if (frame.error) {
      this.#emit({ type: 'problem', message: `The stream server refused a request: ${frame.error.msg ?? '?'}` });
      return;
    }
    let payload: ReturnType<typeof parseStreamPayload>;
    try {
      payload = parseStreamPayload(frame.data);
    } catch (error) {
      this.#emit({ type: 'problem', message: `A ${String(frame.stream)} event was malformed (${String(error)}).` });
      return;
    }
    if (!payload) return;
    switch (payload.kind) {
      case 'kline':
        // After an interval change the old subscription may still deliver a frame or two.
        if (payload.kline.symbol === this.symbol && payload.kline.interval === this.#interval)
          this.#emit({ type: 'kline', kline: payload.kline });
        return;
      case 'trade':
        if (payload.trade.symbol === this.symbol) this.#emit({ type: 'trade', trade: payload.trade });
        return;
      case 'ticker':
        if (payload.ticker.symbol === this.symbol) this.#emit({ type: 'ticker', ticker: payload.ticker });
        return;
      case 'depth': {
        if (payload.symbol !== this.symbol) return;
        const outcome = this.book.applyDiff(payload.diff);
        if (outcome.kind === 'applied') this.#emit({ type: 'book', state: 'synced', change: outcome.change });
        else if (outcome.kind === 'gap') {
          this.#emit({ type: 'book', state: 'resync-needed' });
          void this.#syncBook(generation);
        }
        return;
      }
    }
  }

  /** Fetches snapshots until the book is synced (or the connection is replaced). */
  async #syncBook(generation: number): Promise<void> {
    // One loop per connection; a loop for a replaced connection ends at its next generation check.
    if (this.#syncingFor === generation) return;
    this.#syncingFor = generation;
    try {
      let failures = 0;
      while (generation === this.#connection.generation && this.book.state !== 'synced') {
        let snapshot: DepthSnapshot;
        try {
          snapshot = await this.#fetchDepth(this.symbol);
        } catch (error) {
          this.#emit({ type: 'problem', message: `Order book snapshot failed: ${(error as Error).message}` });
          await this.#delay(this.#backoffMs(failures++));
          continue;
        }
        if (generation !== this.#connection.generation) return;
        const outcome = this.book.applySnapshot(snapshot);
        if (outcome.kind === 'synced') {
          this.#emit({ type: 'book', state: 'synced' });
          return;
        }
        // Too old (events ran ahead of it) or a gap in the buffer: a later snapshot catches up.
        if (outcome.kind === 'gap') this.#emit({ type: 'book', state: 'resync-needed' });
        await this.#delay(this.#resnapshotDelayMs);
      }
    } finally {
      if (this.#syncingFor === generation) this.#syncingFor = undefined;
    }
  }

  #sendControl(method: 'SUBSCRIBE' | 'UNSUBSCRIBE', params: string[], generation: number): void {
    const now = Date.now();
    const at = Math.max(now, this.#nextControlAt);
    this.#nextControlAt = at + CONTROL_SPACING_MS;
    const id = ++this.#controlId;
    void this.#delay(at - now).then(() => {
      const socket = this.#connection.socket;
      if (generation === this.#connection.generation && socket?.readyState === WebSocket.OPEN)
        socket.send(JSON.stringify({ method, params, id }));
    });
  }

  #startWatchdog(generation: number): void {
    this.#stopWatchdog();
    this.#watchdog = setInterval(
      () => {
        if (generation !== this.#connection.generation) return;
        // Half-open connections send nothing; dropping it makes 'close' reconnect.
        if (Date.now() - this.#lastSeen > this.#silenceTimeoutMs) this.#connection.socket?.terminate();
      },
      Math.min(this.#silenceTimeoutMs, 15_000),
    );
  }

  #stopWatchdog(): void {
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#watchdog = undefined;
  }

  /** A timer that close() cancels (resolving it, so no await is left hanging). */
  #delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.set(timer, resolve);
    });
  }

  #setState(state: MarketConnectionState, retryInMs?: number): void {
    this.#state = state;
    this.#emit({ type: 'connection', state, ...(retryInMs !== undefined ? { retryInMs } : {}) });
  }

  #emit(event: MarketEvent): void {
    this.#events.fire(event);
  }
}
