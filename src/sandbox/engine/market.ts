/** One symbol's state: its book, waiting stop orders, public trade tape, candles and id counters. */
import { SymbolConfig } from '../config';
import { Dec, dec } from '../decimal';
import { FilterRules, filterRules } from '../filters';
import { CandleStore } from '../klines';
import { OrderBook } from './orderBook';
import type { EngineOrder, PublicTrade, Side } from './types';

export const PUBLIC_TRADES_KEPT = 1000;

export interface Market {
  readonly config: SymbolConfig;
  readonly rules: FilterRules;
  lastPrice: Dec;
  /** Recent public trades, oldest first, at most PUBLIC_TRADES_KEPT. */
  readonly trades: PublicTrade[];
  readonly book: OrderBook;
  nextOrderId: number;
  nextTradeId: number;
  nextAggId: number;
  /** Taker order (seq) of the last aggregate, to extend it with the next fill at the same price. */
  lastAggTaker: number;
  /** The highest order id dropped by retention (0 while none was): older ids may have existed. */
  forgottenUpTo: number;
  /** Klines from this symbol's trades, bounded per interval. */
  readonly candles: CandleStore;
  /** Stop orders waiting for their trigger, in arrival order. */
  readonly stops: Set<EngineOrder>;
  /** Lowest and highest trade price since the stop orders were last checked. */
  tradeLow?: Dec;
  tradeHigh?: Dec;
}

export function createMarket(config: SymbolConfig, candlesKept: number): Market {
  return {
    config,
    rules: filterRules(config),
    lastPrice: dec(config.price),
    trades: [],
    book: new OrderBook(),
    nextOrderId: 1,
    nextTradeId: 1,
    nextAggId: 0,
    lastAggTaker: -1,
    forgottenUpTo: 0,
    candles: new CandleStore(candlesKept),
    stops: new Set(),
  };
}

/** The asset an order of `side` locks: quote for BUY, base for SELL. */
export function lockAssetOf(market: Market, side: Side): string {
  return side === 'BUY' ? market.config.quoteAsset : market.config.baseAsset;
}

/** Takes an order out of the book, or out of the waiting stops if it has not triggered. */
export function removeFromBook(market: Market, order: EngineOrder): void {
  if (!order.working) {
    market.stops.delete(order);
    return;
  }
  market.book.remove(order);
}
