/**
 * One symbol's resting orders: price levels in a B+ tree (sorted-btree, as the client's book
 * uses), bids best (highest) price first, asks best (lowest) first, so inserting, removing and
 * finding the best level cost O(log n) whatever the book's size. Within a level, orders keep
 * their arrival (seq) order. Price keys are the exact decimals of decimal.ts (bigint units).
 * Stop orders that have not triggered are not here (see stopOrders.ts).
 */
import BTree from 'sorted-btree';
import { Dec, ZERO } from '../decimal';
import type { EngineOrder, Side } from './types';

export interface BookTop {
  bidPrice: Dec;
  bidQty: Dec;
  askPrice: Dec;
  askQty: Dec;
}

/** A snapshot of a book: its levels, best first (the live objects). */
export interface OrderBookState {
  bids: Level[];
  asks: Level[];
}

interface Level {
  readonly price: Dec;
  /** Sum of the orders' remaining quantities. */
  qty: Dec;
  /** Orders in time priority (insertion order is arrival order). */
  orders: Set<EngineOrder>;
  /** seq of the last order inserted. */
  lastSeq: number;
}

const ascending = (a: Dec, b: Dec): number => (a < b ? -1 : a > b ? 1 : 0);
const descending = (a: Dec, b: Dec): number => (a > b ? -1 : a < b ? 1 : 0);

const remaining = (o: EngineOrder): Dec => o.origQty - o.executedQty;

export class OrderBook {
  private readonly bids = new BTree<Dec, Level>(undefined, descending);
  private readonly asks = new BTree<Dec, Level>(undefined, ascending);

  /** Number of resting orders on both sides. */
  size = 0;

  state(): OrderBookState {
    return { bids: [...this.bids.values()], asks: [...this.asks.values()] };
  }

  restore(state: OrderBookState): void {
    this.bids.clear();
    this.asks.clear();
    this.size = 0;
    for (const level of state.bids) this.bids.set(level.price, level);
    for (const level of state.asks) this.asks.set(level.price, level);
    for (const level of [...state.bids, ...state.asks]) this.size += level.orders.size;
  }

  insert(order: EngineOrder): void {
    const side = this.side(order.side);
    let level = side.get(order.price);
    if (!level) {
      level = { price: order.price, qty: ZERO, orders: new Set(), lastSeq: -1 };
      side.set(order.price, level);
    }
    if (order.seq < level.lastSeq) {
      // Orders arrive in seq order, so this does not happen; if it did, keep time priority anyway.
      level.orders = new Set([...level.orders, order].sort((a, b) => a.seq - b.seq));
    } else {
      level.orders.add(order);
      level.lastSeq = order.seq;
    }
    level.qty += remaining(order);
    this.size++;
  }

  remove(order: EngineOrder): void {
    const side = this.side(order.side);
    const level = side.get(order.price);
    if (!level || !level.orders.delete(order)) return;
    level.qty -= remaining(order);
    this.size--;
    if (level.orders.size === 0) side.delete(order.price);
  }

  /** A resting order traded `qty` (its executedQty already includes it). */
  filled(order: EngineOrder, qty: Dec): void {
    const level = this.side(order.side).get(order.price);
    if (level?.orders.has(order)) level.qty -= qty;
  }

  /** The orders a taker of `side` meets, in priority order (lazily: a sweep reads only what it reaches). */
  *makersFor(side: Side): Iterable<EngineOrder> {
    for (const [, level] of this.side(side === 'BUY' ? 'SELL' : 'BUY').entries()) yield* level.orders;
  }

  /** Best price of one side of the book, if any order rests there. */
  bestPrice(side: Side): Dec | undefined {
    return this.side(side).minKey();
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
    const bid = this.best(this.bids);
    const ask = this.best(this.asks);
    return {
      bidPrice: bid?.price ?? ZERO,
      bidQty: bid?.qty ?? ZERO,
      askPrice: ask?.price ?? ZERO,
      askQty: ask?.qty ?? ZERO,
    };
  }

  private best(side: BTree<Dec, Level>): Level | undefined {
    const price = side.minKey();
    return price === undefined ? undefined : side.get(price);
  }

  private side(side: Side): BTree<Dec, Level> {
    return side === 'BUY' ? this.bids : this.asks;
  }
}

function levels(side: BTree<Dec, Level>, limit: number): [Dec, Dec][] {
  const out: [Dec, Dec][] = [];
  if (limit <= 0) return out;
  for (const [price, level] of side.entries()) {
    out.push([price, level.qty]);
    if (out.length >= limit) break;
  }
  return out;
}
