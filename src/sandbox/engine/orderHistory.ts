/** Every account's orders and trades, and the queries over them (open orders, history, lookups). */
import { EngineOrder, EngineTrade, isStopType } from './types';

export class OrderHistory {
  private readonly ordersByAccount = new Map<number, EngineOrder[]>();
  private readonly tradesByAccount = new Map<number, EngineTrade[]>();

  addAccount(accountId: number): void {
    this.ordersByAccount.set(accountId, []);
    this.tradesByAccount.set(accountId, []);
  }

  /** An accepted order (it has its id). */
  addOrder(order: EngineOrder): void {
    this.ordersByAccount.get(order.accountId)!.push(order);
  }

  addTrade(trade: EngineTrade): void {
    this.tradesByAccount.get(trade.accountId)!.push(trade);
  }

  /** Open orders (resting, or stop orders waiting) of an account, on one symbol or all, oldest first. */
  openOrders(accountId: number, symbol?: string): EngineOrder[] {
    return this.mine(accountId).filter((o) => o.onBook && (symbol === undefined || o.symbol === symbol));
  }

  /** Open orders of an account on a symbol; `stopsOnly` counts the stop orders alone. */
  openCount(accountId: number, symbol: string, stopsOnly = false): number {
    return this.mine(accountId).filter((o) => o.onBook && o.symbol === symbol && (!stopsOnly || isStopType(o.type)))
      .length;
  }

  /** True if an open order of the account on `symbol` already has this client order id. */
  hasOpenClientOrderId(accountId: number, symbol: string, clientOrderId: string): boolean {
    return this.mine(accountId).some((o) => o.onBook && o.symbol === symbol && o.clientOrderId === clientOrderId);
  }

  /** The most recent order of the account on `symbol` with this client order id, open or not. */
  byClientOrderId(accountId: number, symbol: string, clientOrderId: string | undefined): EngineOrder | undefined {
    const mine = this.mine(accountId);
    for (let i = mine.length - 1; i >= 0; i--) {
      if (mine[i].symbol === symbol && mine[i].clientOrderId === clientOrderId) return mine[i];
    }
    return undefined;
  }

  allOrders(accountId: number, symbol: string): EngineOrder[] {
    return this.mine(accountId).filter((o) => o.symbol === symbol);
  }

  myTrades(accountId: number, symbol: string): EngineTrade[] {
    return (this.tradesByAccount.get(accountId) ?? []).filter((t) => t.symbol === symbol);
  }

  private mine(accountId: number): EngineOrder[] {
    return this.ordersByAccount.get(accountId) ?? [];
  }
}
