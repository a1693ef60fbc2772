/**
 * Display text for the panel's numbers. Prices are written with the tick's places and quantities
 * with the step's, so a ladder column lines up and never shows a digit the exchange would refuse.
 * Decimal strings throughout (core/decimal); no float touches a displayed amount. Values the user
 * edits stay plain decimals: "60,000" is not a number the ticket accepts. Grouping is the views'
 * own (app/format.ts), so the panel writes numbers like the trees do.
 */

import { groupThousands } from '../../../app/format';
import * as D from '../../../core/decimal';
import { lotRange, lotRulesOf, priceRuleOf } from '../../../core/orderRules';
import type { SymbolInfo } from '../../../core/api';

/** How many places a step shows ("0.01000000" → 2); a zero or missing step shows up to `fallback`. */
export function placesOf(step: string | undefined, fallback = 8): number {
  return step === undefined || D.isZero(step) ? fallback : D.decimalPlaces(step);
}

/** The places the panel writes prices and quantities of one symbol with. */
export interface SymbolPlaces {
  price: number;
  quantity: number;
  /** Quote amounts (value of a level, notional): the quote asset's usual two places, at least the tick's. */
  quote: number;
}

export function symbolPlaces(symbol: SymbolInfo): SymbolPlaces {
  const price = placesOf(priceRuleOf(symbol)?.tickSize);
  const quantity = placesOf(lotRange(lotRulesOf(symbol, 'LIMIT')).step);
  return { price, quantity, quote: Math.max(2, Math.min(price, 8)) };
}

/** Fixed places, grouped: ("60000.1", 2) → "60,000.10". Extra digits are cut, never rounded up. */
export function formatFixedGrouped(value: string, places: number): string {
  return groupThousands(D.formatFixed(value, places, 'down'));
}

/** A signed percentage with two places and its sign: "1.5" → "+1.50 %". */
export function formatPercent(value: string): string {
  const fixed = D.formatFixed(value, 2, 'half-up');
  return `${D.isPositive(fixed) ? '+' : ''}${fixed} %`;
}

/** Local wall-clock time of an epoch-ms instant, "14:03:07". */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/**
 * A price picked on the chart (a float) as a decimal on the tick: ("60000.004", tick 0.01) →
 * "60000". The float is first written with two places more than the tick has, which is exact
 * enough for a pointer position.
 */
export function priceOnTick(price: number, tickSize: string | undefined, places: number): string {
  const text = price.toFixed(Math.min(Math.max(places, 0) + 2, 20));
  if (tickSize === undefined || D.isZero(tickSize)) return D.normalize(text);
  return D.normalize(D.roundToStep(text, tickSize));
}
