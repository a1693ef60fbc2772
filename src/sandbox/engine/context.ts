/** What the engine's parts share: ledger, order history, order lists, events and sequence counters. */
import { ZERO } from '../decimal';
import type { EventHub } from './events';
import type { Ledger } from './ledger';
import { lockAssetOf, Market } from './market';
import type { OrderHistory } from './orderHistory';
import type { OrderLists } from './orderListStore';
import type { EngineOrder } from './types';

export interface EngineContext {
  readonly ledger: Ledger;
  readonly history: OrderHistory;
  readonly lists: OrderLists;
  readonly hub: EventHub;
  readonly counters: {
    /** Global arrival sequence (time priority). */
    seq: number;
    /** Increases with every book change (the depth snapshot's lastUpdateId). */
    updates: number;
    /** Orders and trades walked through by queries and matching (see Engine.ordersVisited). */
    visited: number;
  };
}

/** Returns whatever the order still has locked to free; the order is no longer open. */
export function release(ctx: EngineContext, market: Market, order: EngineOrder): void {
  ctx.ledger.unlock(ctx.ledger.account(order.accountId), lockAssetOf(market, order.side), order.locked);
  order.locked = ZERO;
  order.onBook = false;
  ctx.history.closeOrder(order);
}
