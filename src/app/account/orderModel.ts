/**
 * Grouping and describing orders for the Orders view. Pure (no `vscode`), exact decimals.
 */
import type { Order, OrderStatus, Trade } from '../../core/api';
import { isZero } from '../../core/decimal';
import { formatAge, formatAmount, percent } from '../format';

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

/** "STOP_LOSS_LIMIT" → "stop loss limit": Binance's upper-case words, as a sentence says them. */
function words(value: string): string {
  return value.toLowerCase().replace(/_/g, ' ');
}

/**
 * What a screen reader says for an order row, as a sentence: "Buy limit order for 0.01 at 60,000:
 * open, 25% filled, placed 3 minutes ago."
 */
export function orderSentence(order: Order, nowMs: number): string {
  const side = order.side === 'BUY' ? 'Buy' : 'Sell';
  const price = order.type === 'MARKET' || isZero(order.price) ? '' : ` at ${formatAmount(order.price)}`;
  const state = isCancellable(order.status) ? `open, ${filledPercent(order)}% filled` : words(order.status);
  return `${side} ${words(order.type)} order for ${formatAmount(order.origQty)}${price}: ${state}, placed ${formatAge(order.time, nowMs, 'words')} ago.`;
}

/** "BUY 0.01 @ 60,000": a trade row's label. */
export function tradeLabel(trade: Pick<Trade, 'isBuyer' | 'qty' | 'price'>): string {
  return `${trade.isBuyer ? 'BUY' : 'SELL'} ${formatAmount(trade.qty)} @ ${formatAmount(trade.price)}`;
}

/** "taker · fee 0.0001 BNB · 3m": a trade row's description (ages like the order rows). */
export function tradeDescription(trade: Trade, nowMs: number): string {
  return `${trade.isMaker ? 'maker' : 'taker'} · fee ${formatAmount(trade.commission)} ${trade.commissionAsset} · ${formatAge(trade.time, nowMs)}`;
}

/** A trade row as a sentence: "Bought 0.01 at 60,000 as taker, fee 0.0001 BNB, 3 minutes ago." */
export function tradeSentence(trade: Trade, nowMs: number): string {
  return `${trade.isBuyer ? 'Bought' : 'Sold'} ${formatAmount(trade.qty)} at ${formatAmount(trade.price)} as ${trade.isMaker ? 'maker' : 'taker'}, fee ${formatAmount(trade.commission)} ${trade.commissionAsset}, ${formatAge(trade.time, nowMs, 'words')} ago.`;
}

/**
 * Compositional context value matched by menus: `order:open:cancellable`, `order:closed:filled`,
 * `order:closed:canceled`, ...
 */
export function orderContextValue(order: Pick<Order, 'status'>): string {
  return isCancellable(order.status) ? 'order:open:cancellable' : `order:closed:${order.status.toLowerCase()}`;
}
