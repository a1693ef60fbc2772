/**
 * What the chart draws for the account: a price line per open order and a marker per bar and side
 * with fills. Pure; the chart component turns these into lightweight-charts calls.
 */
import type { Order, OrderSide } from '../../../core/api';
import * as D from '../../../core/decimal';
import type { Kline } from '../../../core/market/marketEvents';
import { MARKET_LIKE } from '../../../core/orderRules';
import type { OwnFill } from '../protocol';
import { barIndexAt } from './panelModel';
import { formatFixedGrouped, SymbolPlaces } from './format';

/**
 * A chart time (seconds) for an epoch-ms instant, shifted so that the chart, which labels every time
 * as UTC, shows the local wall clock (the library's documented way; it has no time zone support).
 */
export function chartTime(ms: number): number {
  return Math.floor(ms / 1000) - new Date(ms).getTimezoneOffset() * 60;
}

export interface OrderLine {
  orderId: number;
  side: OrderSide;
  /** The price the line is drawn at: the limit price, or the trigger of a stop that sends a market order. */
  price: string;
  /** Short label on the price axis: side and remaining quantity. */
  title: string;
}

/** The line of an open order, or undefined when it has no price to draw (none here today). */
export function orderLine(order: Order, places: SymbolPlaces): OrderLine | undefined {
  const atTrigger = MARKET_LIKE.has(order.type);
  const price = atTrigger ? order.stopPrice : order.price;
  if (price === undefined || !D.isPositive(price)) return undefined;
  const remaining = D.sub(order.origQty, order.executedQty);
  const quantity = formatFixedGrouped(remaining, places.quantity);
  return {
    orderId: order.orderId,
    side: order.side,
    price,
    title: `${order.side} ${quantity}${atTrigger ? ' (stop)' : ''}`,
  };
}

export interface FillMark {
  /** Open time of the bar as a chart time (chartTime). */
  time: number;
  side: OrderSide;
  /** "BUY 0.003": side as text, so meaning never rests on colour or shape alone. */
  text: string;
  /** Fills behind the mark, for the debug state and tests. */
  tradeIds: number[];
}

/**
 * One mark per bar and side: the fills that happened while the bar was open, their quantities
 * summed. A fill between two bars (a candle the chart never got: no trade, or a stream update it
 * missed) goes on the next bar. Fills before the first bar are off the chart; fills after the last
 * bar closed wait for the bar that covers them.
 */
export function fillMarks(fills: readonly OwnFill[], klines: readonly Kline[], places: SymbolPlaces): FillMark[] {
  const byBar = new Map<string, { time: number; side: OrderSide; quantity: string; tradeIds: number[] }>();
  for (const fill of fills) {
    let index = barIndexAt(klines, fill.time);
    if (index === undefined) continue;
    if (fill.time > klines[index].closeTime) {
      if (index + 1 >= klines.length) continue;
      index++;
    }
    const time = chartTime(klines[index].openTime);
    const key = `${time}/${fill.side}`;
    const mark = byBar.get(key) ?? { time, side: fill.side, quantity: '0', tradeIds: [] };
    mark.quantity = D.add(mark.quantity, fill.quantity);
    mark.tradeIds.push(fill.tradeId);
    byBar.set(key, mark);
  }
  return [...byBar.values()]
    .sort((a, b) => a.time - b.time || (a.side === b.side ? 0 : a.side === 'BUY' ? -1 : 1))
    .map((m) => ({
      time: m.time,
      side: m.side,
      text: `${m.side} ${formatFixedGrouped(m.quantity, places.quantity)}`,
      tradeIds: m.tradeIds,
    }));
}
