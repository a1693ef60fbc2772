/**
 * What the market panel knows, rebuilt from the host's messages (protocol.ts), and what each
 * message changed. No DOM: the view's components render from it, incrementally from each change
 * or in full after a snapshot, and unit tests drive it in plain Node.
 */
import type { Order, SymbolInfo } from '../../../core/api';
import * as D from '../../../core/decimal';
import { BookSide } from '../../../core/market/bookSide';
import type { Kline, KlineInterval, PublicTrade, Ticker24h } from '../../../core/market/marketEvents';
import type { BookChange, BookSyncState } from '../../../core/market/orderBook';
import type { CommissionRate } from '../../../core/market/ticketHints';
import type {
  BookContent,
  ConnectionState,
  HostMessage,
  OrderResultMessage,
  OwnFill,
  PanelEnvironment,
} from '../protocol';

/** Candles kept for the chart (the REST snapshot asks for up to 500; the stream appends). */
export const MAX_BARS = 1000;
/** Recent public trades kept and listed. */
export const MAX_TRADES = 30;
/** Own fills kept for markers. */
export const MAX_FILLS = 500;

export type ModelChange =
  /** A snapshot: everything is new. */
  | { kind: 'reset' }
  /** All candles were replaced (another interval). */
  | { kind: 'klines' }
  /** One candle changed: the last one (`appended` when it is new) or, rarely, an older one. */
  | { kind: 'bar'; bar: Kline; appended: boolean; historical: boolean }
  | { kind: 'bookChange'; change: BookChange }
  /** The whole book was replaced or emptied (resync). */
  | { kind: 'book' }
  | { kind: 'trade'; trade: PublicTrade; dropped?: PublicTrade }
  | { kind: 'ticker' }
  | { kind: 'orders'; added: Order[]; removed: Order[]; changed: Order[] }
  | { kind: 'fill'; fill: OwnFill }
  | { kind: 'balances' }
  | { kind: 'connection' }
  | { kind: 'orderResult'; result: OrderResultMessage }
  | { kind: 'ignored'; reason: string };

const HOST_TYPES: ReadonlySet<string> = new Set([
  'snapshot',
  'klines',
  'kline',
  'bookChange',
  'book',
  'trade',
  'ticker',
  'orders',
  'fill',
  'balances',
  'connection',
  'orderResult',
]);

/** Whether `data` is a host message of a version this view reads (anything else is ignored). */
export function isHostMessage(data: unknown): data is HostMessage {
  if (typeof data !== 'object' || data === null) return false;
  const { type, v } = data as { type?: unknown; v?: unknown };
  return v === 1 && typeof type === 'string' && HOST_TYPES.has(type);
}

export class PanelModel {
  symbol: SymbolInfo | undefined;
  environment: PanelEnvironment | undefined;
  readOnly = true;
  readOnlyReason: string | undefined;
  interval: KlineInterval = '1m';
  /** Oldest first. */
  klines: Kline[] = [];
  readonly bids = new BookSide('bids');
  readonly asks = new BookSide('asks');
  bookState: BookSyncState = 'awaiting-snapshot';
  lastUpdateId: number | undefined;
  /** Newest first. */
  trades: PublicTrade[] = [];
  ticker: Ticker24h | undefined;
  openOrders: Order[] = [];
  /** Oldest first. */
  fills: OwnFill[] = [];
  /** Free balance per asset. */
  freeBalances: Record<string, string> = {};
  commission: CommissionRate | undefined;
  connection: ConnectionState = 'connecting';

  get ready(): boolean {
    return this.symbol !== undefined;
  }

  apply(message: unknown): ModelChange {
    if (!isHostMessage(message)) return { kind: 'ignored', reason: 'not a version 1 host message' };
    if (message.type !== 'snapshot' && !this.ready) return { kind: 'ignored', reason: 'no snapshot yet' };
    switch (message.type) {
      case 'snapshot':
        this.symbol = message.symbol;
        this.environment = message.environment;
        this.readOnly = message.readOnly;
        this.readOnlyReason = message.readOnlyReason;
        this.interval = message.interval;
        this.klines = message.klines.slice(-MAX_BARS);
        this.#loadBook(message.book.state, message.book.content);
        this.trades = message.trades.slice(-MAX_TRADES).reverse();
        this.ticker = message.ticker;
        this.openOrders = [...message.openOrders];
        this.fills = message.fills.slice(-MAX_FILLS);
        this.#setBalances(message.balances);
        this.commission = message.commission;
        this.connection = message.connection;
        return { kind: 'reset' };
      case 'klines':
        this.interval = message.interval;
        this.klines = message.klines.slice(-MAX_BARS);
        return { kind: 'klines' };
      case 'kline':
        return this.#mergeBar(message.kline);
      case 'bookChange':
        for (const [price, quantity] of message.change.bids) this.bids.set(price, quantity);
        for (const [price, quantity] of message.change.asks) this.asks.set(price, quantity);
        this.lastUpdateId = message.lastUpdateId;
        return { kind: 'bookChange', change: message.change };
      case 'book':
        this.#loadBook(message.state, message.content);
        return { kind: 'book' };
      case 'trade': {
        if (message.trade.symbol !== this.symbol?.symbol) return { kind: 'ignored', reason: 'another symbol' };
        // Trades that came while the snapshot loaded may already be in it.
        if (this.trades.length > 0 && message.trade.id <= this.trades[0].id)
          return { kind: 'ignored', reason: 'trade already known' };
        this.trades.unshift(message.trade);
        const dropped = this.trades.length > MAX_TRADES ? this.trades.pop() : undefined;
        return { kind: 'trade', trade: message.trade, ...(dropped ? { dropped } : {}) };
      }
      case 'ticker':
        if (message.ticker.symbol !== this.symbol?.symbol) return { kind: 'ignored', reason: 'another symbol' };
        this.ticker = message.ticker;
        return { kind: 'ticker' };
      case 'orders':
        return this.#replaceOrders(message.openOrders);
      case 'fill':
        if (this.fills.some((f) => f.tradeId === message.fill.tradeId))
          return { kind: 'ignored', reason: 'fill already known' };
        this.fills.push(message.fill);
        if (this.fills.length > MAX_FILLS) this.fills.shift();
        return { kind: 'fill', fill: message.fill };
      case 'balances':
        this.#setBalances(message.balances);
        return { kind: 'balances' };
      case 'connection':
        this.connection = message.state;
        return { kind: 'connection' };
      case 'orderResult':
        return { kind: 'orderResult', result: message };
    }
  }

  /** Best prices, for the ticket's maker/taker guess and the spread row. */
  bestBid(): string | undefined {
    return this.bids.best()?.[0];
  }

  bestAsk(): string | undefined {
    return this.asks.best()?.[0];
  }

  /** The last traded price: the ticker's, else the last candle's close. */
  lastPrice(): string | undefined {
    return this.ticker?.lastPrice ?? this.klines[this.klines.length - 1]?.close;
  }

  #loadBook(state: BookSyncState, content: BookContent | undefined): void {
    this.bookState = state;
    this.bids.load(content?.bids ?? []);
    this.asks.load(content?.asks ?? []);
    this.lastUpdateId = content?.lastUpdateId;
  }

  #setBalances(balances: readonly { asset: string; free: string }[]): void {
    this.freeBalances = Object.fromEntries(balances.map((b) => [b.asset, b.free]));
  }

  #mergeBar(bar: Kline): ModelChange {
    if (bar.symbol !== this.symbol?.symbol || bar.interval !== this.interval)
      return { kind: 'ignored', reason: 'a candle of another symbol or interval' };
    const last = this.klines[this.klines.length - 1];
    if (!last || bar.openTime > last.openTime) {
      this.klines.push(bar);
      if (this.klines.length > MAX_BARS) this.klines.shift();
      return { kind: 'bar', bar, appended: true, historical: false };
    }
    if (bar.openTime === last.openTime) {
      this.klines[this.klines.length - 1] = bar;
      return { kind: 'bar', bar, appended: false, historical: false };
    }
    const index = barIndexAt(this.klines, bar.openTime);
    if (index === undefined || this.klines[index].openTime !== bar.openTime)
      return { kind: 'ignored', reason: 'a candle older than the chart or between its bars' };
    this.klines[index] = bar;
    return { kind: 'bar', bar, appended: false, historical: true };
  }

  #replaceOrders(next: Order[]): ModelChange {
    const before = new Map(this.openOrders.map((o) => [o.orderId, o]));
    const after = new Map(next.map((o) => [o.orderId, o]));
    const added = next.filter((o) => !before.has(o.orderId));
    const removed = this.openOrders.filter((o) => !after.has(o.orderId));
    const changed = next.filter((o) => {
      const old = before.get(o.orderId);
      return old !== undefined && !sameOrderView(old, o);
    });
    this.openOrders = [...next];
    return { kind: 'orders', added, removed, changed };
  }
}

/** Index of the last candle opened at or before `time` (ms), by binary search; undefined before the first. */
export function barIndexAt(klines: readonly Kline[], time: number): number | undefined {
  let lo = 0;
  let hi = klines.length - 1;
  let found: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (klines[mid].openTime <= time) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** What a price line and the orders list show of an order. */
function sameOrderView(a: Order, b: Order): boolean {
  return (
    a.status === b.status &&
    D.eq(a.price, b.price) &&
    D.eq(a.origQty, b.origQty) &&
    D.eq(a.executedQty, b.executedQty) &&
    D.eq(a.stopPrice ?? '0', b.stopPrice ?? '0')
  );
}
