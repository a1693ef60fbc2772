/**
 * Market data WebSocket streams, as on wss://stream.testnet.binance.vision:
 *   /ws                       raw, subscribe with {"method":"SUBSCRIBE","params":[...],"id":1}
 *   /ws/<stream>[/<stream>]   raw, streams given in the path
 *   /stream?streams=a/b       combined: every event wrapped as {"stream": name, "data": event}
 * Streams: <symbol>@trade, <symbol>@aggTrade, <symbol>@kline_<interval>, <symbol>@bookTicker,
 * <symbol>@depth<5|10|20>[@100ms] (partial book), <symbol>@depth[@100ms] (diff depth),
 * <symbol>@miniTicker, !miniTicker@arr, <symbol>@ticker, <symbol>@avgPrice. Symbols are lowercase.
 * Methods (public docs, web-socket-streams.md): SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS,
 * SET_PROPERTY / GET_PROPERTY ("combined"). Limits from the reference (§7): 5 incoming messages
 * per second (more closes the connection), 1024 streams per connection. The server pings every
 * 20 s and drops a connection that has not answered for a minute (reference §1.1 notes, same rule
 * as the WebSocket API). A client too slow to read is disconnected once 1 MiB is queued for it.
 */
import { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { fmt } from './decimal';
import { Engine, MarketEvent, PublicTrade } from './engine';
import { Candle, isKlineInterval, KlineInterval } from './klines';
import { aggregateTrades, averagePrice, ticker24h } from './marketData';

export interface StreamsEnv {
  readonly engine: Engine;
  now(): number;
  log(line: string): void;
  /** Server ping interval (default 20 s); a connection silent for 3 intervals is dropped. */
  pingIntervalMs?: number;
}

type StreamSpec =
  | { kind: 'trade'; symbol: string }
  | { kind: 'aggTrade'; symbol: string }
  | { kind: 'diffDepth'; symbol: string; fast: boolean }
  | { kind: 'ticker'; symbol: string }
  | { kind: 'avgPrice'; symbol: string }
  | { kind: 'kline'; symbol: string; interval: KlineInterval }
  | { kind: 'bookTicker'; symbol: string }
  | { kind: 'depth'; symbol: string; levels: number; fast: boolean }
  | { kind: 'miniTicker'; symbol: string }
  | { kind: 'allMiniTickers' };

interface Conn {
  readonly ws: WebSocket;
  combined: boolean;
  /** Stream name -> parsed spec, in subscription order. */
  readonly streams: Map<string, StreamSpec>;
  lastSeen: number;
  readonly connectedAt: number;
  windowStart: number;
  messages: number;
  /** Per kline stream: open time of the candle last sent and whether it was sent as closed. */
  readonly klines: Map<string, { open: number; final: boolean }>;
  /** Per avgPrice stream: the average price last sent (pushed only when it changes). */
  readonly averages: Map<string, string>;
}

export const MAX_STREAMS_PER_CONNECTION = 1024;
export const MAX_MESSAGES_PER_SECOND = 5;
const MAX_QUEUED_BYTES = 1024 * 1024;
const MAX_FRAME_CHARS = 64 * 1024;
const TICK_MS = 100;
const DAY_MS = 86_400_000;
const METHODS = '`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`';

/** Paths served by this module (upgrade requests). */
export function isStreamPath(path: string): boolean {
  return path === '/ws' || path.startsWith('/ws/') || path === '/stream';
}

class StreamError extends Error {
  constructor(
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}

export class MarketStreams {
  private readonly conns = new Set<Conn>();
  private readonly unsubscribe: () => void;
  private readonly pinger: NodeJS.Timeout;
  private ticker: NodeJS.Timeout | undefined;
  private ticks = 0;
  /** Symbols traded since the last miniTicker push. */
  private readonly dirtyTickers = new Set<string>();
  /** Last best bid/ask pushed per symbol, to push bookTicker only on a change. */
  private readonly lastTop = new Map<string, string>();
  private closing = false;
  /** Trades of the operation being reported, per symbol, until its book event closes it. */
  private readonly pendingTrades = new Map<string, PublicTrade[]>();
  /** Diff depth state per "symbol/fast": the book last reported and its update id. */
  private readonly diffBooks = new Map<string, DiffBook>();

  constructor(private readonly env: StreamsEnv) {
    this.unsubscribe = env.engine.onMarketEvent((event) => this.onMarket(event));
    const pingMs = env.pingIntervalMs ?? 20_000;
    this.pinger = setInterval(() => this.pingAll(pingMs), pingMs);
    this.pinger.unref();
  }

  /** Parses a stream name; undefined for anything not served. */
  parseStream(name: string): StreamSpec | undefined {
    if (name === '!miniTicker@arr') return { kind: 'allMiniTickers' };
    const at = name.indexOf('@');
    if (at <= 0) return undefined;
    const lower = name.slice(0, at);
    const rest = name.slice(at + 1);
    const symbol = lower.toUpperCase();
    if (lower !== lower.toLowerCase() || !this.env.engine.hasSymbol(symbol)) return undefined;
    if (rest === 'trade') return { kind: 'trade', symbol };
    if (rest === 'aggTrade') return { kind: 'aggTrade', symbol };
    if (rest === 'ticker') return { kind: 'ticker', symbol };
    if (rest === 'avgPrice') return { kind: 'avgPrice', symbol };
    if (rest === 'depth' || rest === 'depth@1000ms' || rest === 'depth@100ms')
      return { kind: 'diffDepth', symbol, fast: rest === 'depth@100ms' };
    if (rest === 'bookTicker') return { kind: 'bookTicker', symbol };
    if (rest === 'miniTicker') return { kind: 'miniTicker', symbol };
    if (rest.startsWith('kline_')) {
      const interval = rest.slice('kline_'.length);
      return isKlineInterval(interval) ? { kind: 'kline', symbol, interval } : undefined;
    }
    const depth = /^depth(5|10|20)(@100ms|@1000ms)?$/.exec(rest);
    if (depth) return { kind: 'depth', symbol, levels: Number(depth[1]), fast: depth[2] === '@100ms' };
    return undefined;
  }

  /**
   * Streams requested by an upgrade URL, or an error text (the upgrade is then refused with 400).
   */
  streamsFromUrl(url: string): { combined: boolean; streams: string[] } | string {
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    let names: string[];
    let combined = false;
    try {
      if (path === '/stream') {
        combined = true;
        const streams = new URLSearchParams(q < 0 ? '' : url.slice(q + 1)).get('streams') ?? '';
        names = streams.split('/').filter((s) => s !== '');
      } else {
        names = path
          .slice('/ws'.length)
          .split('/')
          .filter((s) => s !== '')
          .map((s) => decodeURIComponent(s));
      }
    } catch {
      return 'Malformed stream names.';
    }
    // A path segment that is no stream name at all (ccxt connects to /ws/0, /ws/1... and subscribes
    // afterwards, which the live server accepts) is ignored; a stream name that is not served is
    // refused, so a typo does not look like a quiet market.
    names = names.filter((name) => name.includes('@'));
    if (names.length > MAX_STREAMS_PER_CONNECTION)
      return `At most ${MAX_STREAMS_PER_CONNECTION} streams per connection.`;
    for (const name of names) if (!this.parseStream(name)) return `Unknown stream '${name}'.`;
    return { combined, streams: [...new Set(names)] };
  }

  accept(ws: WebSocket, req: IncomingMessage, initial: { combined: boolean; streams: string[] }): void {
    const now = Date.now();
    const conn: Conn = {
      ws,
      combined: initial.combined,
      streams: new Map(),
      lastSeen: now,
      connectedAt: now,
      windowStart: now,
      messages: 0,
      klines: new Map(),
      averages: new Map(),
    };
    for (const name of initial.streams) this.addStream(conn, name, this.parseStream(name)!);
    this.conns.add(conn);
    this.ensureTicker();
    // Ping and pong frames count as incoming messages too (docs' WebSocket limits).
    ws.on('pong', () => this.countMessage(conn));
    ws.on('ping', () => this.countMessage(conn));
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    const drop = (): void => {
      this.conns.delete(conn);
      if (this.conns.size === 0) this.stopTicker();
    };
    ws.on('close', drop);
    ws.on('error', drop);
    void req;
  }

  /** Closes every stream connection with a close frame (1001), then terminates stragglers. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.pinger);
    this.stopTicker();
    this.unsubscribe();
    const pending = [...this.conns].map(
      (conn) =>
        new Promise<void>((resolve) => {
          if (conn.ws.readyState === WebSocket.CLOSED) return resolve();
          conn.ws.once('close', () => resolve());
          try {
            conn.ws.close(1001, 'Server shutting down');
          } catch {
            resolve();
          }
        }),
    );
    await Promise.race([Promise.all(pending), new Promise<void>((resolve) => setTimeout(resolve, 500).unref())]);
    for (const conn of this.conns) conn.ws.terminate();
    this.conns.clear();
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  // ---- incoming ---------------------------------------------------------------------------------

  /** Counts one incoming message; false (and the connection is being closed) past 5 a second. */
  private countMessage(conn: Conn): boolean {
    const now = Date.now();
    conn.lastSeen = now;
    if (now - conn.windowStart >= 1000) {
      conn.windowStart = now;
      conn.messages = 0;
    }
    if (++conn.messages > MAX_MESSAGES_PER_SECOND) {
      // Reference §7: more than 5 incoming messages per second gets the connection closed.
      if (conn.ws.readyState === WebSocket.OPEN) conn.ws.close(1008, 'Too many messages');
      return false;
    }
    return true;
  }

  private onMessage(conn: Conn, data: unknown, isBinary: boolean): void {
    if (!this.countMessage(conn)) return;
    const buffer = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data as Buffer[])
        : Buffer.from(data as ArrayBuffer);
    if (isBinary || buffer.length > MAX_FRAME_CHARS) {
      this.sendJson(conn, {
        error: { code: 3, msg: 'Invalid JSON: frames must be JSON text of at most 64 KiB' },
        id: null,
      });
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(buffer.toString('utf8'));
    } catch (error) {
      this.sendJson(conn, { error: { code: 3, msg: invalidJsonMessage(buffer.toString('utf8'), error) }, id: null });
      return;
    }
    let id: unknown = null;
    try {
      if (frame === null || typeof frame !== 'object' || Array.isArray(frame))
        throw new StreamError(3, 'Invalid JSON: expected an object');
      const f = frame as { id?: unknown; method?: unknown; params?: unknown };
      id = f.id ?? null;
      // Docs: a 64-bit signed integer, an alphanumeric string of at most 36 characters, or null
      // (the error message still says "unsigned integer").
      const validId =
        id === null ||
        (typeof id === 'string' && /^[A-Za-z0-9]{0,36}$/.test(id)) ||
        (typeof id === 'number' && Number.isSafeInteger(id));
      if (!validId) {
        id = null;
        throw new StreamError(2, 'Invalid request: request ID must be an unsigned integer');
      }
      if (f.method === undefined) throw new StreamError(2, 'Invalid request: missing field `method`');
      const result = this.dispatch(conn, f.method, f.params);
      this.sendJson(conn, { result, id });
    } catch (error) {
      if (error instanceof StreamError) this.sendJson(conn, { error: { code: error.code, msg: error.message }, id });
      else {
        this.env.log(`market streams internal error: ${error instanceof Error ? error.message : String(error)}`);
        this.sendJson(conn, { error: { code: 2, msg: 'Invalid request' }, id });
      }
    }
  }

  private dispatch(conn: Conn, method: unknown, params: unknown): unknown {
    switch (method) {
      case 'SUBSCRIBE': {
        const names = this.streamNames(params);
        const fresh = names.filter((n) => !conn.streams.has(n));
        if (conn.streams.size + new Set(fresh).size > MAX_STREAMS_PER_CONNECTION) {
          throw new StreamError(2, `Invalid request: at most ${MAX_STREAMS_PER_CONNECTION} streams per connection`);
        }
        const specs = names.map((n) => [n, this.parseStream(n)] as const);
        const bad = specs.find(([, spec]) => !spec);
        // Sandbox wording: the docs do not say what the live server answers for an unknown stream.
        if (bad) throw new StreamError(2, `Invalid request: unknown stream '${bad[0]}'`);
        for (const [name, spec] of specs) if (!conn.streams.has(name)) this.addStream(conn, name, spec!);
        this.ensureTicker();
        return null;
      }
      case 'UNSUBSCRIBE': {
        for (const name of this.streamNames(params)) {
          conn.streams.delete(name);
          conn.klines.delete(name);
          conn.averages.delete(name);
        }
        return null;
      }
      case 'LIST_SUBSCRIPTIONS':
        return [...conn.streams.keys()];
      case 'SET_PROPERTY': {
        const [name, value] = this.propertyParams(params, 2);
        if (name !== 'combined') throw new StreamError(0, 'Unknown property');
        if (typeof value !== 'boolean') throw new StreamError(1, 'Invalid value type: expected Boolean');
        conn.combined = value;
        return null;
      }
      case 'GET_PROPERTY': {
        const [name] = this.propertyParams(params, 1);
        if (name !== 'combined') throw new StreamError(0, 'Unknown property');
        return conn.combined;
      }
      default:
        // The docs' message; its trailing "at line 1 column N" (a position in the frame) is left out.
        throw new StreamError(
          2,
          `Invalid request: unknown variant \`${String(method).slice(0, 64)}\`, expected one of ${METHODS}`,
        );
    }
  }

  private streamNames(params: unknown): string[] {
    if (!Array.isArray(params) || !params.every((p) => typeof p === 'string'))
      throw new StreamError(2, 'Invalid request: params must be an array of stream names');
    if (params.length > MAX_STREAMS_PER_CONNECTION) throw new StreamError(2, 'Invalid request: too many parameters');
    return params as string[];
  }

  private propertyParams(params: unknown, count: number): unknown[] {
    if (!Array.isArray(params)) throw new StreamError(2, 'Invalid request: params must be an array');
    if (params.length > count) throw new StreamError(2, 'Invalid request: too many parameters');
    if (typeof params[0] !== 'string') throw new StreamError(2, 'Invalid request: property name must be a string');
    return params;
  }

  // ---- outgoing ---------------------------------------------------------------------------------

  private onMarket(event: MarketEvent): void {
    if (this.closing) return;
    // Diff depth books must see every change, listened to or not, so their update ids stay contiguous.
    if (event.kind === 'book' && this.diffBooks.size > 0) this.trackBookChange(event.symbol);
    if (this.conns.size === 0) {
      this.pendingTrades.clear();
      return;
    }
    const now = this.env.now();
    if (event.kind === 'trade') {
      this.dirtyTickers.add(event.symbol);
      const pending = this.pendingTrades.get(event.symbol) ?? [];
      pending.push(event.trade);
      this.pendingTrades.set(event.symbol, pending);
      const trade = tradeEvent(event.symbol, event.trade, now);
      for (const conn of this.conns) {
        for (const [name, spec] of conn.streams) {
          if (spec.kind === 'trade' && spec.symbol === event.symbol) this.send(conn, name, trade);
        }
      }
      return;
    }
    // The book event closes an operation: its fills are one aggregate per taker order and price.
    const trades = this.pendingTrades.get(event.symbol);
    if (trades) {
      this.pendingTrades.delete(event.symbol);
      const aggregates = aggTradeEvents(event.symbol, trades, now);
      for (const conn of this.conns) {
        for (const [name, spec] of conn.streams) {
          if (spec.kind === 'aggTrade' && spec.symbol === event.symbol)
            for (const agg of aggregates) this.send(conn, name, agg);
        }
      }
    }
    const top = this.env.engine.bookTop(event.symbol);
    const key = `${top.bidPrice}/${top.bidQty}/${top.askPrice}/${top.askQty}`;
    if (this.lastTop.get(event.symbol) === key) return;
    this.lastTop.set(event.symbol, key);
    // Spot bookTicker events carry no "e"/"E" (public docs).
    const book = {
      u: this.env.engine.updateId,
      s: event.symbol,
      b: fmt(top.bidPrice),
      B: fmt(top.bidQty),
      a: fmt(top.askPrice),
      A: fmt(top.askQty),
    };
    for (const conn of this.conns) {
      for (const [name, spec] of conn.streams)
        if (spec.kind === 'bookTicker' && spec.symbol === event.symbol) this.send(conn, name, book);
    }
  }

  /**
   * The periodic kline update (docs: every 1000 ms for 1s, 2000 ms for the other intervals): the
   * current candle while its interval runs, once more with x: true when it is over (a candle that
   * was never sent open is sent closed once, if it had trades since the subscription). No candle,
   * no update: like the REST klines, an interval without trades has none.
   */
  private pushKline(conn: Conn, name: string, symbol: string, interval: KlineInterval, now: number): void {
    const list = this.env.engine.candles(symbol, interval);
    const latest = list[list.length - 1];
    if (!latest) return;
    const state = conn.klines.get(name);
    if (!state) return;
    if (!state.final && state.open < latest.openTime) {
      const previous = list.find((c) => c.openTime === state.open);
      if (previous) this.send(conn, name, klineEvent(symbol, interval, previous, true, now));
      state.final = true;
    }
    if (state.open === latest.openTime && state.final) return;
    const closed = latest.closeTime < now;
    this.send(conn, name, klineEvent(symbol, interval, latest, closed, now));
    conn.klines.set(name, { open: latest.openTime, final: closed });
  }

  private ensureTicker(): void {
    if (this.ticker || this.closing) return;
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private tick(): void {
    this.ticks++;
    const second = this.ticks % (1000 / TICK_MS) === 0;
    const twoSeconds = this.ticks % (2000 / TICK_MS) === 0;
    const now = this.env.now();
    const depthCache = new Map<string, unknown>();
    const depth = (symbol: string, levels: number): unknown => {
      const key = `${symbol}/${levels}`;
      let payload = depthCache.get(key);
      if (!payload) {
        const book = this.env.engine.depth(symbol, levels);
        payload = {
          lastUpdateId: this.env.engine.updateId,
          bids: book.bids.map(([p, q]) => [fmt(p), fmt(q)]),
          asks: book.asks.map(([p, q]) => [fmt(p), fmt(q)]),
        };
        depthCache.set(key, payload);
      }
      return payload;
    };
    let minis: Map<string, Record<string, unknown>> | undefined;
    let tickers: Map<string, Record<string, unknown>> | undefined;
    if (second && this.dirtyTickers.size > 0) {
      minis = new Map();
      tickers = new Map();
      for (const symbol of this.dirtyTickers) {
        minis.set(symbol, miniTickerEvent(this.env, symbol, now));
        tickers.set(symbol, tickerEvent(this.env, symbol, now));
      }
      this.dirtyTickers.clear();
    }
    // Only books someone listens to; an idle one catches up in its next event (U stays contiguous).
    const wanted = new Set<string>();
    for (const conn of this.conns)
      for (const spec of conn.streams.values())
        if (spec.kind === 'diffDepth' && (spec.fast || second)) wanted.add(diffKey(spec.symbol, spec.fast));
    const averages = new Map<string, Record<string, unknown>>();
    const diffs = new Map<string, Record<string, unknown> | undefined>();
    for (const key of wanted) {
      const book = this.diffBooks.get(key);
      if (book) diffs.set(key, this.diffEvent(book, now));
    }
    for (const conn of this.conns) {
      for (const [name, spec] of conn.streams) {
        if (spec.kind === 'depth') {
          if (spec.fast || second) this.send(conn, name, depth(spec.symbol, spec.levels));
        } else if (spec.kind === 'kline' && (spec.interval === '1s' ? second : twoSeconds)) {
          this.pushKline(conn, name, spec.symbol, spec.interval, now);
        } else if (spec.kind === 'diffDepth') {
          const diff = diffs.get(diffKey(spec.symbol, spec.fast));
          if (diff) this.send(conn, name, diff);
        } else if (second && spec.kind === 'avgPrice') {
          let avg = averages.get(spec.symbol);
          if (!avg) {
            const a = averagePrice(this.env.engine, spec.symbol, now);
            // Docs' payload; "i" is the averaging window of the avgPrice endpoint (5 minutes).
            avg = { e: 'avgPrice', E: now, s: spec.symbol, i: '5m', w: fmt(a.price), T: a.closeTime };
            averages.set(spec.symbol, avg);
          }
          if (conn.averages.get(name) !== avg.w) {
            conn.averages.set(name, avg.w as string);
            this.send(conn, name, avg);
          }
        } else if (tickers && spec.kind === 'ticker') {
          const ticker = tickers.get(spec.symbol);
          if (ticker) this.send(conn, name, ticker);
        } else if (minis && spec.kind === 'miniTicker') {
          const mini = minis.get(spec.symbol);
          if (mini) this.send(conn, name, mini);
        } else if (minis && spec.kind === 'allMiniTickers') {
          this.send(conn, name, [...minis.values()]);
        }
      }
    }
  }

  private addStream(conn: Conn, name: string, spec: StreamSpec): void {
    conn.streams.set(name, spec);
    this.trackDiff(spec);
    if (spec.kind === 'kline') {
      // Updates start with the candle in progress; a finished one is history (REST klines).
      const list = this.env.engine.candles(spec.symbol, spec.interval);
      const latest = list[list.length - 1];
      const running = latest !== undefined && latest.closeTime >= this.env.now();
      conn.klines.set(name, { open: latest?.openTime ?? -1, final: !running });
    }
  }

  /** Starts diff depth bookkeeping for a symbol and speed (kept while the sandbox runs: bounded by symbols x 2). */
  private trackDiff(spec: StreamSpec): void {
    if (spec.kind !== 'diffDepth') return;
    const key = diffKey(spec.symbol, spec.fast);
    if (this.diffBooks.has(key)) return;
    this.diffBooks.set(key, {
      symbol: spec.symbol,
      fast: spec.fast,
      lastId: this.env.engine.updateId,
      live: this.levels(spec.symbol),
      touched: { bids: new Set(), asks: new Set() },
    });
  }

  private levels(symbol: string): Levels {
    const book = this.env.engine.depth(symbol, 5000);
    const toMap = (side: [bigint, bigint][]): Map<string, string> => new Map(side.map(([p, q]) => [fmt(p), fmt(q)]));
    return { bids: toMap(book.bids), asks: toMap(book.asks) };
  }

  /** Records which price levels a book change touched, for every diff depth book of the symbol. */
  private trackBookChange(symbol: string): void {
    let current: Levels | undefined;
    for (const book of this.diffBooks.values()) {
      if (book.symbol !== symbol) continue;
      current ??= this.levels(symbol);
      for (const side of ['bids', 'asks'] as const) {
        const before = book.live[side];
        const after = current[side];
        for (const [price, qty] of after) if (before.get(price) !== qty) book.touched[side].add(price);
        for (const price of before.keys()) if (!after.has(price)) book.touched[side].add(price);
      }
      book.live = current;
    }
  }

  /**
   * Every level touched since the last event with its quantity now (0 = removed), U = previous
   * u + 1 and u = the current update id, so `U <= lastUpdateId + 1 <= u` holds for a REST depth
   * snapshot taken in between (the documented way to keep a local book). Undefined when nothing
   * changed.
   */
  private diffEvent(book: DiffBook, now: number): Record<string, unknown> | undefined {
    if (book.touched.bids.size === 0 && book.touched.asks.size === 0) return undefined;
    const updateId = this.env.engine.updateId;
    const side = (name: 'bids' | 'asks'): [string, string][] => {
      const prices = [...book.touched[name]].sort((x, y) =>
        name === 'bids' ? Number(y) - Number(x) : Number(x) - Number(y),
      );
      return prices.map((price) => [price, book.live[name].get(price) ?? fmt(0n)]);
    };
    const event = {
      e: 'depthUpdate',
      E: now,
      s: book.symbol,
      U: book.lastId + 1,
      u: updateId,
      b: side('bids'),
      a: side('asks'),
    };
    book.lastId = updateId;
    book.touched = { bids: new Set(), asks: new Set() };
    return event;
  }

  private pingAll(intervalMs: number): void {
    const now = Date.now();
    for (const conn of this.conns) {
      if (conn.ws.readyState !== WebSocket.OPEN) continue;
      // No pong for three ping intervals (a minute by default), or older than 24 h: dropped.
      if (now - conn.lastSeen > 3 * intervalMs || now - conn.connectedAt > DAY_MS) {
        conn.ws.terminate();
        continue;
      }
      conn.ws.ping();
    }
  }

  private send(conn: Conn, stream: string, data: unknown): void {
    this.sendJson(conn, conn.combined ? { stream, data } : data);
  }

  private sendJson(conn: Conn, frame: unknown): void {
    const ws = conn.ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_QUEUED_BYTES) {
      this.env.log('market streams: disconnecting a client that does not read its stream');
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(frame));
  }
}

/** The docs' "Invalid JSON: expected value at line L column C", from the parser's error position. */
function invalidJsonMessage(text: string, error: unknown): string {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  const at = position ? Number(position[1]) : text.length;
  const before = text.slice(0, at).split('\n');
  return `Invalid JSON: expected value at line ${before.length} column ${before[before.length - 1].length + 1}`;
}

interface Levels {
  bids: Map<string, string>;
  asks: Map<string, string>;
}

interface DiffBook {
  readonly symbol: string;
  readonly fast: boolean;
  /** u of the last event sent (or the update id when tracking started). */
  lastId: number;
  /** The book after the latest change. */
  live: Levels;
  /** Price levels changed since the last event. */
  touched: { bids: Set<string>; asks: Set<string> };
}

const diffKey = (symbol: string, fast: boolean): string => `${symbol}/${fast ? 100 : 1000}`;

/** One aggTrade event per aggregate (fills of one taker order at one price), public docs' fields. */
function aggTradeEvents(symbol: string, trades: PublicTrade[], now: number): Record<string, unknown>[] {
  return aggregateTrades(trades).map((x) => ({
    e: 'aggTrade',
    E: now,
    s: symbol,
    a: x.a,
    p: x.p,
    q: fmt(x.q),
    f: x.f,
    l: x.l,
    T: x.T,
    m: x.m,
    M: true,
  }));
}

/** The 24 h rolling ticker event (<symbol>@ticker), public docs' fields. */
function tickerEvent(env: StreamsEnv, symbol: string, now: number): Record<string, unknown> {
  const t = ticker24h(env.engine, symbol, now, 'FULL');
  return {
    e: '24hrTicker',
    E: now,
    s: symbol,
    p: t.priceChange,
    P: t.priceChangePercent,
    w: t.weightedAvgPrice,
    x: t.prevClosePrice,
    c: t.lastPrice,
    Q: t.lastQty,
    b: t.bidPrice,
    B: t.bidQty,
    a: t.askPrice,
    A: t.askQty,
    o: t.openPrice,
    h: t.highPrice,
    l: t.lowPrice,
    v: t.volume,
    q: t.quoteVolume,
    O: t.openTime,
    C: t.closeTime,
    F: t.firstId,
    L: t.lastId,
    n: t.count,
  };
}

function tradeEvent(symbol: string, t: PublicTrade, now: number): Record<string, unknown> {
  // Public docs: the buyer/seller order ids ("b", "a") are no longer sent; "M" is "ignore".
  return {
    e: 'trade',
    E: now,
    s: symbol,
    t: t.id,
    p: fmt(t.price),
    q: fmt(t.qty),
    T: t.time,
    m: t.isBuyerMaker,
    M: true,
  };
}

function klineEvent(
  symbol: string,
  interval: KlineInterval,
  c: Candle,
  closed: boolean,
  now: number,
): Record<string, unknown> {
  return {
    e: 'kline',
    E: now,
    s: symbol,
    k: {
      t: c.openTime,
      T: c.closeTime,
      s: symbol,
      i: interval,
      f: c.firstId,
      L: c.lastId,
      o: fmt(c.open),
      c: fmt(c.close),
      h: fmt(c.high),
      l: fmt(c.low),
      v: fmt(c.volume),
      n: c.count,
      x: closed,
      q: fmt(c.quoteVolume),
      V: fmt(c.takerBuyBase),
      Q: fmt(c.takerBuyQuote),
      B: '0',
    },
  };
}

function miniTickerEvent(env: StreamsEnv, symbol: string, now: number): Record<string, unknown> {
  const t = ticker24h(env.engine, symbol, now, 'MINI');
  return {
    e: '24hrMiniTicker',
    E: now,
    s: symbol,
    c: t.lastPrice,
    o: t.openPrice,
    h: t.highPrice,
    l: t.lowPrice,
    v: t.volume,
    q: t.quoteVolume,
  };
}
