/**
 * Every account's orders and trades, indexed so that no per-order check depends on how much
 * history there is: open orders per account, open counts and open client order ids per account
 * and symbol, orders by id and by client order id. Closed orders and trades are kept up to the
 * retention bounds, oldest first out (retention.ts); open orders are always kept.
 */
import { Fifo } from './fifo';
import { Retention } from './retention';
import { EngineOrder, EngineTrade, isStopType } from './types';

interface SymbolHistory {
  /** Kept orders (open and closed) by id, in id order. */
  readonly orders: Map<number, EngineOrder>;
  /** The most recent kept order with each client order id. */
  readonly byClientOrderId: Map<string, EngineOrder>;
  /** Open orders per client order id (two legs of one OCO may share one). */
  readonly openClientOrderIds: Map<string, number>;
  openCount: number;
  openStops: number;
  readonly trades: Fifo<EngineTrade>;
}

interface AccountHistory {
  /** Open orders of every symbol, in order of acceptance. */
  readonly open: Set<EngineOrder>;
  readonly symbols: Map<string, SymbolHistory>;
}

/** Counts the orders and trades that queries walk through, so tests can assert how much work a call does. */
export interface WorkCounter {
  visited: number;
}

/** What a snapshot keeps of the history: the indexes as they are, the queues as arrays. */
export interface OrderHistoryState {
  accounts: Map<number, { open: Set<EngineOrder>; symbols: Map<string, SymbolHistoryState> }>;
  closed: EngineOrder[];
  trades: EngineTrade[];
}

type SymbolHistoryState = Omit<SymbolHistory, 'trades'> & { trades: EngineTrade[] };

export class OrderHistory {
  private accounts = new Map<number, AccountHistory>();
  private closed = new Fifo<EngineOrder>();
  private trades = new Fifo<EngineTrade>();

  constructor(
    private readonly retention: Retention,
    private readonly work: WorkCounter,
    /** Called for each closed order dropped from memory. */
    private readonly onForget: (order: EngineOrder) => void,
  ) {}

  state(): OrderHistoryState {
    const accounts: OrderHistoryState['accounts'] = new Map();
    for (const [id, account] of this.accounts) {
      const symbols = new Map<string, SymbolHistoryState>();
      for (const [symbol, s] of account.symbols) symbols.set(symbol, { ...s, trades: s.trades.toArray() });
      accounts.set(id, { open: account.open, symbols });
    }
    return { accounts, closed: this.closed.toArray(), trades: this.trades.toArray() };
  }

  /** Replaces everything with a snapshot's (whose orders and trades are shared with the rest of it). */
  restore(state: OrderHistoryState): void {
    this.accounts = new Map();
    for (const [id, account] of state.accounts) {
      const symbols = new Map<string, SymbolHistory>();
      for (const [symbol, s] of account.symbols) symbols.set(symbol, { ...s, trades: Fifo.from(s.trades) });
      this.accounts.set(id, { open: account.open, symbols });
    }
    this.closed = Fifo.from(state.closed);
    this.trades = Fifo.from(state.trades);
  }

  addAccount(accountId: number): void {
    this.accounts.set(accountId, { open: new Set(), symbols: new Map() });
  }

  /** An accepted order: it has its id and is open. */
  addOrder(order: EngineOrder): void {
    const account = this.account(order.accountId);
    const s = this.symbol(account, order.symbol);
    s.orders.set(order.orderId, order);
    s.byClientOrderId.set(order.clientOrderId, order);
    account.open.add(order);
    s.openCount++;
    if (isStopType(order.type)) s.openStops++;
    s.openClientOrderIds.set(order.clientOrderId, (s.openClientOrderIds.get(order.clientOrderId) ?? 0) + 1);
  }

  /** The order is no longer open (filled, canceled, expired): it is kept until the retention bound drops it. */
  closeOrder(order: EngineOrder): void {
    const account = this.account(order.accountId);
    if (!account.open.delete(order)) return;
    const s = this.symbol(account, order.symbol);
    s.openCount--;
    if (isStopType(order.type)) s.openStops--;
    const sameId = (s.openClientOrderIds.get(order.clientOrderId) ?? 1) - 1;
    if (sameId > 0) s.openClientOrderIds.set(order.clientOrderId, sameId);
    else s.openClientOrderIds.delete(order.clientOrderId);
    this.closed.push(order);
    while (this.closed.length > this.retention.closedOrders) this.forget(this.closed.shift()!);
  }

  addTrade(trade: EngineTrade): void {
    this.symbol(this.account(trade.accountId), trade.symbol).trades.push(trade);
    this.trades.push(trade);
    while (this.trades.length > this.retention.trades) {
      const oldest = this.trades.shift()!;
      // The oldest trade overall is also the oldest of its account and symbol.
      this.symbol(this.account(oldest.accountId), oldest.symbol).trades.shift();
    }
  }

  /** Open orders (resting, or stop orders waiting) of an account, on one symbol or all, oldest first. */
  openOrders(accountId: number, symbol?: string): EngineOrder[] {
    const out: EngineOrder[] = [];
    for (const o of this.account(accountId).open) {
      this.work.visited++;
      if (symbol === undefined || o.symbol === symbol) out.push(o);
    }
    return out;
  }

  /** Open orders of an account on a symbol; `stopsOnly` counts the stop orders alone. */
  openCount(accountId: number, symbol: string, stopsOnly = false): number {
    const s = this.account(accountId).symbols.get(symbol);
    return s === undefined ? 0 : stopsOnly ? s.openStops : s.openCount;
  }

  /** True if an open order of the account on `symbol` already has this client order id. */
  hasOpenClientOrderId(accountId: number, symbol: string, clientOrderId: string): boolean {
    return this.account(accountId).symbols.get(symbol)?.openClientOrderIds.has(clientOrderId) ?? false;
  }

  /** A kept order of the account on `symbol` by its id. */
  byOrderId(accountId: number, symbol: string, orderId: number): EngineOrder | undefined {
    return this.account(accountId).symbols.get(symbol)?.orders.get(orderId);
  }

  /** The most recent kept order of the account on `symbol` with this client order id, open or not. */
  byClientOrderId(accountId: number, symbol: string, clientOrderId: string | undefined): EngineOrder | undefined {
    if (clientOrderId === undefined) return undefined;
    return this.account(accountId).symbols.get(symbol)?.byClientOrderId.get(clientOrderId);
  }

  /** Kept orders of the account on `symbol`, oldest first. */
  allOrders(accountId: number, symbol: string): EngineOrder[] {
    const orders = [...(this.account(accountId).symbols.get(symbol)?.orders.values() ?? [])];
    this.work.visited += orders.length;
    return orders;
  }

  /** Kept trades of the account on `symbol`, oldest first. */
  myTrades(accountId: number, symbol: string): EngineTrade[] {
    const trades = this.account(accountId).symbols.get(symbol)?.trades.toArray() ?? [];
    this.work.visited += trades.length;
    return trades;
  }

  private forget(order: EngineOrder): void {
    const s = this.symbol(this.account(order.accountId), order.symbol);
    s.orders.delete(order.orderId);
    if (s.byClientOrderId.get(order.clientOrderId) === order) s.byClientOrderId.delete(order.clientOrderId);
    this.onForget(order);
  }

  private account(accountId: number): AccountHistory {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    return account;
  }

  private symbol(account: AccountHistory, symbol: string): SymbolHistory {
    let s = account.symbols.get(symbol);
    if (!s) {
      s = {
        orders: new Map(),
        byClientOrderId: new Map(),
        openClientOrderIds: new Map(),
        openCount: 0,
        openStops: 0,
        trades: new Fifo(),
      };
      account.symbols.set(symbol, s);
    }
    return s;
  }
}
