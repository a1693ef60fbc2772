/**
 * Grouping and describing orders for the Orders view. Pure (no `vscode`), exact decimals.
 */
import type { Order, OrderStatus } from '../core/api';
import { isZero } from '../core/decimal';
import { formatAge, formatAmount, percent } from './format';

export interface SymbolGroup {
  symbol: string;
  /** Open orders, newest first. */
  orders: Order[];
}

const CANCELLABLE: ReadonlySet<OrderStatus> = new Set(['NEW', 'PARTIALLY_FILLED', 'PENDING_NEW']);

export function isCancellable(status: OrderStatus): boolean {
  return CANCELLABLE.has(status);
}

/**
 * One group per symbol that has open orders, plus one (possibly empty) group for each symbol the
 * user asked to watch, so its history stays reachable. Sorted by symbol.
 */
export function groupBySymbol(openOrders: readonly Order[], watchedSymbols: readonly string[] = []): SymbolGroup[] {
  const groups = new Map<string, Order[]>();
  for (const symbol of watchedSymbols) groups.set(symbol, []);
  for (const order of openOrders) {
    const list = groups.get(order.symbol) ?? [];
    list.push(order);
    groups.set(order.symbol, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([symbol, orders]) => ({
      symbol,
      orders: [...orders].sort((a, b) => b.time - a.time || b.orderId - a.orderId),
    }));
}

/** Filled share of the order in percent ("25"), from the base quantity or, for quote-qty market orders, the quote. */
export function filledPercent(
  order: Pick<Order, 'executedQty' | 'origQty' | 'cummulativeQuoteQty' | 'origQuoteOrderQty'>,
): string {
  if (!isZero(order.origQty)) return percent(order.executedQty, order.origQty);
  if (order.origQuoteOrderQty && !isZero(order.origQuoteOrderQty))
    return percent(order.cummulativeQuoteQty, order.origQuoteOrderQty);
  return '0';
}

/** "BUY LIMIT 0.01 @ 60000" (MARKET orders have no price). */
export function orderLabel(order: Pick<Order, 'side' | 'type' | 'origQty' | 'price'>): string {
  const qty = formatAmount(order.origQty);
  const price = order.type === 'MARKET' || isZero(order.price) ? '' : ` @ ${formatAmount(order.price)}`;
  return `${order.side} ${order.type} ${qty}${price}`;
}

/** "25% filled · 3m" for open orders; "FILLED · 2d" for history. */
export function orderDescription(order: Order, nowMs: number): string {
  const age = formatAge(order.time, nowMs);
  if (isCancellable(order.status)) return `${filledPercent(order)}% filled · ${age}`;
  return `${order.status} · ${age}`;
}

/**
 * Compositional context value matched by menus: `order:open:cancellable`, `order:closed:filled`,
 * `order:closed:canceled`, ...
 */
export function orderContextValue(order: Pick<Order, 'status'>): string {
  return isCancellable(order.status) ? 'order:open:cancellable' : `order:closed:${order.status.toLowerCase()}`;
}
