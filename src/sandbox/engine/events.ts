/**
 * The engine's listeners and the events of one operation. User events (executions, balances,
 * list status) are emitted when the operation has settled; market events (trades, book changes)
 * are queued during it and delivered afterwards, so no listener ever sees a half-done operation.
 */
import { ZERO } from '../decimal';
import type { EngineEvent, EngineOrder, EngineTrade, ExecType, MarketEvent } from './types';

type Listener<T> = (event: T) => void;

function subscribe<T>(listeners: Listener<T>[], listener: Listener<T>): () => void {
  listeners.push(listener);
  return () => {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  };
}

function deliver<T>(listeners: readonly Listener<T>[], events: readonly T[]): void {
  for (const event of events) {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // A broken subscriber must never undo or interrupt a settled operation.
      }
    }
  }
}

export class EventHub {
  private readonly listeners: Listener<EngineEvent>[] = [];
  private readonly marketListeners: Listener<MarketEvent>[] = [];
  /** Market events of the operation in progress, delivered once it has settled. */
  private pendingMarket: MarketEvent[] = [];

  onEvent(listener: Listener<EngineEvent>): () => void {
    return subscribe(this.listeners, listener);
  }

  onMarketEvent(listener: Listener<MarketEvent>): () => void {
    return subscribe(this.marketListeners, listener);
  }

  emit(events: readonly EngineEvent[]): void {
    deliver(this.listeners, events);
  }

  queueMarket(event: MarketEvent): void {
    this.pendingMarket.push(event);
  }

  /** Queues a book change of `symbol` and delivers every queued market event. */
  flushMarket(bookChanged?: string): void {
    if (bookChanged !== undefined) this.pendingMarket.push({ kind: 'book', symbol: bookChanged });
    const events = this.pendingMarket;
    this.pendingMarket = [];
    deliver(this.marketListeners, events);
  }
}

/** What one operation did: its time, its user events so far and the balances it touched. */
export class Operation {
  readonly events: EngineEvent[] = [];
  /** Account -> assets whose balances changed, in the order first touched. */
  private readonly touched = new Map<number, Set<string>>();

  constructor(readonly time: number) {}

  touch(accountId: number, ...assets: string[]): void {
    let set = this.touched.get(accountId);
    if (!set) {
      set = new Set();
      this.touched.set(accountId, set);
    }
    for (const a of assets) set.add(a);
  }

  /** Appends one `balances` event per touched account, then returns every event. */
  withBalances(): EngineEvent[] {
    for (const [accountId, assets] of this.touched) {
      this.events.push({ kind: 'balances', accountId, assets: [...assets], time: this.time });
    }
    return this.events;
  }
}

export function execEvent(order: EngineOrder, execType: ExecType, time: number): EngineEvent {
  return {
    kind: 'execution',
    accountId: order.accountId,
    order: { ...order },
    execType,
    lastQty: ZERO,
    lastPrice: ZERO,
    lastQuoteQty: ZERO,
    commission: ZERO,
    commissionAsset: null,
    tradeId: -1,
    isMaker: false,
    time,
  };
}

export function tradeEvent(order: EngineOrder, trade: EngineTrade, time: number): EngineEvent {
  return {
    kind: 'execution',
    accountId: order.accountId,
    order: { ...order },
    execType: 'TRADE',
    lastQty: trade.qty,
    lastPrice: trade.price,
    lastQuoteQty: trade.quoteQty,
    commission: trade.commission,
    commissionAsset: trade.commissionAsset,
    tradeId: trade.id,
    isMaker: trade.isMaker,
    time,
  };
}
