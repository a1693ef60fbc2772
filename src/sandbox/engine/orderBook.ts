/**
 * One symbol's resting orders: bids best (highest) price first, asks best (lowest) first, ties
 * by arrival (seq). Stop orders that have not triggered are not here (see stopOrders.ts).
 */
import { Dec, ZERO } from '../decimal';
import type { EngineOrder, Side } from './types';

export interface BookTop {
  bidPrice: Dec;
  bidQty: Dec;
  askPrice: Dec;
  askQty: Dec;
}

export class OrderBook {
  private readonly bids: EngineOrder[] = [];
  private readonly asks: EngineOrder[] = [];

  insert(order: EngineOrder): void {
    const book = order.side === 'BUY' ? this.bids : this.asks;
    const better = (a: EngineOrder, b: EngineOrder): boolean =>
      a.price === b.price ? a.seq < b.seq : order.side === 'BUY' ? a.price > b.price : a.price < b.price;
    let i = book.length;
    while (i > 0 && better(order, book[i - 1])) i--;
    book.splice(i, 0, order);
  }

  remove(order: EngineOrder): void {
    const book = order.side === 'BUY' ? this.bids : this.asks;
    const i = book.indexOf(order);
    if (i >= 0) book.splice(i, 1);
  }

  /** A resting order traded `qty` (its executedQty already includes it). */
  filled(_order: EngineOrder, _qty: Dec): void {
    // Quantities are read from the orders themselves.
  }

  /** The orders a taker of `side` meets, in priority order. */
  makersFor(side: Side): Iterable<EngineOrder> {
    return side === 'BUY' ? this.asks : this.bids;
  }

  /** Best price of one side of the book, if any order rests there. */
  bestPrice(side: Side): Dec | undefined {
    return (side === 'BUY' ? this.bids : this.asks)[0]?.price;
  }

  /** True if `order` (a limit order of its side) would match at once. */
  wouldCross(order: EngineOrder): boolean {
    const best = this.bestPrice(order.side === 'BUY' ? 'SELL' : 'BUY');
    if (best === undefined) return false;
    return order.side === 'BUY' ? best <= order.price : best >= order.price;
  }

  /** Aggregated price levels [price, quantity], best first. */
  depth(limit: number): { bids: [Dec, Dec][]; asks: [Dec, Dec][] } {
    return { bids: levels(this.bids, limit), asks: levels(this.asks, limit) };
  }

  top(): BookTop {
    const { bids, asks } = this.depth(1);
    return {
      bidPrice: bids[0]?.[0] ?? ZERO,
      bidQty: bids[0]?.[1] ?? ZERO,
      askPrice: asks[0]?.[0] ?? ZERO,
      askQty: asks[0]?.[1] ?? ZERO,
    };
  }
}

function levels(orders: EngineOrder[], limit: number): [Dec, Dec][] {
  const out: [Dec, Dec][] = [];
  for (const o of orders) {
    const remaining = o.origQty - o.executedQty;
    const last = out[out.length - 1];
    if (last && last[0] === o.price) last[1] += remaining;
    else {
      if (out.length >= limit) break;
      out.push([o.price, remaining]);
    }
  }
  return out;
}
