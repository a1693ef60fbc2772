/**
 * A snapshot of the whole engine as one object graph: the parts' own structures, sharing their
 * orders, trades and lists by reference (an order sits in its book level, its account's open set
 * and its symbol's index at once). It is meant for a structured-clone serializer (node:v8), which
 * keeps those shared references, Maps, Sets and bigints as they are, so a restored engine is the
 * same engine, not an approximation of it. The store (../persistence) adds the format header.
 */
import type { SymbolConfig } from '../config';
import type { Dec } from '../decimal';
import type { Candle, KlineInterval } from '../klines';
import type { LedgerState } from './ledger';
import type { OrderBookState } from './orderBook';
import type { OrderHistoryState } from './orderHistory';
import type { OrderListsState } from './orderListStore';
import type { EngineOrder, PublicTrade } from './types';

export interface MarketState {
  config: SymbolConfig;
  lastPrice: Dec;
  trades: PublicTrade[];
  book: OrderBookState;
  nextOrderId: number;
  nextTradeId: number;
  nextAggId: number;
  lastAggTaker: number;
  forgottenUpTo: number;
  candles: Map<KlineInterval, Candle[]>;
  stops: Set<EngineOrder>;
  tradeLow?: Dec;
  tradeHigh?: Dec;
}

export interface EngineState {
  counters: { seq: number; updates: number };
  ledger: LedgerState;
  history: OrderHistoryState;
  lists: OrderListsState;
  markets: MarketState[];
}
