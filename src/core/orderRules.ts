import type { OrderSide, OrderType, SymbolFilter, SymbolInfo } from './api';
import * as D from './decimal';

/**
 * A symbol's exchangeInfo filters read as ranges of valid values, and the valid value closest to
 * a given one. filters.ts phrases violations from these; the order ticket shows them as hints.
 * A zero or absent filter field disables its rule, as in the Spot API's filters.md.
 */

export type OrderField = 'symbol' | 'type' | 'timeInForce' | 'price' | 'stopPrice' | 'quantity' | 'quoteOrderQty';

export interface FilterViolation {
  /** "PRICE_FILTER", "LOT_SIZE", …, or "PARAMETERS" for a missing/invalid parameter. */
  filter: string;
  field: OrderField | 'openOrders';
  /** What is wrong, in words, with the numbers involved. */
  message: string;
  /**
   * The value `field` should take: the valid value closest to the given one under every rule (price:
   * nearest tick; quantity: rounded down to step, raised only where a minimum needs it). Violations
   * of the same field carry the same suggestion.
   */
  suggestion?: string;
}

/** Multiples of `step` ("0": any value) within [lo, hi] (undefined: unbounded); always > 0. */
export interface GridRange {
  lo?: string;
  hi?: string;
  step: string;
}

export interface PriceRule {
  minPrice: string;
  maxPrice: string;
  tickSize: string;
}

export interface PercentBand {
  filterType: 'PERCENT_PRICE_BY_SIDE' | 'PERCENT_PRICE';
  /** Lowest valid price (reference × down). */
  low: string;
  /** Highest valid price (reference × up); undefined when the up multiplier is 0 (no ceiling). */
  high?: string;
  up: string;
  down: string;
  upName: string;
  downName: string;
}

export interface LotRule {
  filterType: 'LOT_SIZE' | 'MARKET_LOT_SIZE';
  minQty: string;
  maxQty: string;
  stepSize: string;
}

export interface NotionalLimit {
  filterType: 'MIN_NOTIONAL' | 'NOTIONAL';
  kind: 'min' | 'max';
  limit: string;
}

/** Types that execute at the market price (on placement or on trigger): their notional uses the reference price. */
export const MARKET_LIKE: ReadonlySet<OrderType> = new Set(['MARKET', 'STOP_LOSS', 'TAKE_PROFIT']);

export function findFilter(symbol: SymbolInfo, filterType: string): SymbolFilter | undefined {
  return symbol.filters.find((f) => f.filterType === filterType);
}

/** A decimal field of a filter ("0" when absent, which disables the rule). */
export function filterDecimal(filter: SymbolFilter, name: string): string {
  const raw = filter[name];
  if (raw === undefined || raw === null || raw === '') return '0';
  return D.parseDecimal(String(raw), { field: `${filter.filterType}.${name}` });
}

function flag(filter: SymbolFilter, name: string, fallback: boolean): boolean {
  const raw = filter[name];
  return typeof raw === 'boolean' ? raw : raw === undefined ? fallback : String(raw) === 'true';
}

const active = (x: string): boolean => !D.isZero(x);

export function priceRuleOf(symbol: SymbolInfo): PriceRule | undefined {
  const f = findFilter(symbol, 'PRICE_FILTER');
  if (!f) return undefined;
  return {
    minPrice: filterDecimal(f, 'minPrice'),
    maxPrice: filterDecimal(f, 'maxPrice'),
    tickSize: filterDecimal(f, 'tickSize'),
  };
}

/** PERCENT_PRICE_BY_SIDE (BUY: bid multipliers, SELL: ask multipliers) and PERCENT_PRICE around `ref`. */
export function percentBandsOf(symbol: SymbolInfo, side: OrderSide, ref: string): PercentBand[] {
  const bands: PercentBand[] = [];
  for (const filterType of ['PERCENT_PRICE_BY_SIDE', 'PERCENT_PRICE'] as const) {
    const f = findFilter(symbol, filterType);
    if (!f) continue;
    const prefix = filterType === 'PERCENT_PRICE' ? '' : side === 'SELL' ? 'ask' : 'bid';
    const upName = prefix ? `${prefix}MultiplierUp` : 'multiplierUp';
    const downName = prefix ? `${prefix}MultiplierDown` : 'multiplierDown';
    const up = filterDecimal(f, upName);
    const down = filterDecimal(f, downName);
    bands.push({
      filterType,
      low: D.mul(ref, down),
      ...(active(up) ? { high: D.mul(ref, up) } : {}),
      up,
      down,
      upName,
      downName,
    });
  }
  return bands;
}

/** LOT_SIZE for every order with a quantity; MARKET_LOT_SIZE as well for MARKET orders. */
export function lotRulesOf(symbol: SymbolInfo, type: OrderType): LotRule[] {
  const rules: LotRule[] = [];
  for (const filterType of ['LOT_SIZE', 'MARKET_LOT_SIZE'] as const) {
    if (filterType === 'MARKET_LOT_SIZE' && type !== 'MARKET') continue;
    const f = findFilter(symbol, filterType);
    if (!f) continue;
    rules.push({
      filterType,
      minQty: filterDecimal(f, 'minQty'),
      maxQty: filterDecimal(f, 'maxQty'),
      stepSize: filterDecimal(f, 'stepSize'),
    });
  }
  return rules;
}

/** MIN_NOTIONAL / NOTIONAL limits that apply to an order of `type` (market-like ones per applyToMarket flags). */
export function notionalLimitsOf(symbol: SymbolInfo, type: OrderType): NotionalLimit[] {
  const marketLike = MARKET_LIKE.has(type);
  const limits: NotionalLimit[] = [];
  const legacy = findFilter(symbol, 'MIN_NOTIONAL');
  if (legacy && (!marketLike || flag(legacy, 'applyToMarket', true)))
    limits.push({ filterType: 'MIN_NOTIONAL', kind: 'min', limit: filterDecimal(legacy, 'minNotional') });
  const notional = findFilter(symbol, 'NOTIONAL');
  if (notional) {
    if (!marketLike || flag(notional, 'applyMinToMarket', true))
      limits.push({ filterType: 'NOTIONAL', kind: 'min', limit: filterDecimal(notional, 'minNotional') });
    if (!marketLike || flag(notional, 'applyMaxToMarket', false))
      limits.push({ filterType: 'NOTIONAL', kind: 'max', limit: filterDecimal(notional, 'maxNotional') });
  }
  return limits.filter((l) => active(l.limit));
}

/** Valid prices: the tick grid within PRICE_FILTER's bounds and every percent band. */
export function priceRange(rule: PriceRule | undefined, bands: readonly PercentBand[] = []): GridRange {
  let lo = rule && active(rule.minPrice) ? rule.minPrice : undefined;
  let hi = rule && active(rule.maxPrice) ? rule.maxPrice : undefined;
  for (const band of bands) {
    lo = lo === undefined ? band.low : D.max(lo, band.low);
    if (band.high !== undefined) hi = hi === undefined ? band.high : D.min(hi, band.high);
  }
  return { lo, hi, step: rule?.tickSize ?? '0' };
}

/** Valid quantities under every lot rule: the common step grid within the tightest bounds. */
export function lotRange(rules: readonly LotRule[]): GridRange {
  let lo: string | undefined;
  let hi: string | undefined;
  let step = '0';
  for (const rule of rules) {
    if (active(rule.minQty)) lo = lo === undefined ? rule.minQty : D.max(lo, rule.minQty);
    if (active(rule.maxQty)) hi = hi === undefined ? rule.maxQty : D.min(hi, rule.maxQty);
    if (active(rule.stepSize)) step = active(step) ? commonStep(step, rule.stepSize) : rule.stepSize;
  }
  return { lo, hi, step };
}

/**
 * Narrows a quantity range so that price × quantity meets every notional limit. Without a step the
 * bounds are rounded (inwards) at `scaleWithoutStep` decimals.
 */
export function withNotional(
  range: GridRange,
  limits: readonly NotionalLimit[],
  price: string,
  scaleWithoutStep: number,
): GridRange {
  if (!D.isPositive(price)) return range;
  const scale = active(range.step) ? D.decimalPlaces(range.step) : scaleWithoutStep;
  let { lo, hi } = range;
  for (const { kind, limit } of limits) {
    const bound = D.div(limit, price, scale, kind === 'min' ? 'up' : 'down');
    if (kind === 'min') lo = lo === undefined ? bound : D.max(lo, bound);
    else hi = hi === undefined ? bound : D.min(hi, bound);
  }
  return { lo, hi, step: range.step };
}

/** Smallest and largest valid values of a range, or undefined when it holds none. */
export function rangeEnds(range: GridRange): { lowest?: string; highest?: string } | undefined {
  const stepped = active(range.step);
  let lowest = range.lo !== undefined && stepped ? D.ceilToStep(range.lo, range.step) : range.lo;
  if (stepped && (lowest === undefined || !D.isPositive(lowest))) lowest = range.step;
  const highest = range.hi !== undefined && stepped ? D.floorToStep(range.hi, range.step) : range.hi;
  if (highest !== undefined && !D.isPositive(highest)) return undefined;
  if (lowest !== undefined && highest !== undefined && D.gt(lowest, highest)) return undefined;
  return { lowest, highest };
}

export function inRange(value: string, range: GridRange): boolean {
  return (
    D.isPositive(value) &&
    (range.lo === undefined || D.gte(value, range.lo)) &&
    (range.hi === undefined || D.lte(value, range.hi)) &&
    D.isMultipleOf(value, range.step)
  );
}

/**
 * The valid value closest to `value`: moved onto the grid (`nearest` tick for prices, `down` for
 * quantities, which never spends or sells more than was typed), then clamped into the bounds.
 * Because the valid set is one run of grid points, the clamp keeps it the closest one.
 */
export function closestValid(value: string, range: GridRange, rounding: 'nearest' | 'down'): string | undefined {
  const ends = rangeEnds(range);
  if (!ends) return undefined;
  let candidate = value;
  if (active(range.step))
    candidate = rounding === 'nearest' ? D.roundToStep(value, range.step) : D.floorToStep(value, range.step);
  if (ends.lowest !== undefined && D.lt(candidate, ends.lowest)) candidate = ends.lowest;
  if (ends.highest !== undefined && D.gt(candidate, ends.highest)) candidate = ends.highest;
  return D.isPositive(candidate) ? D.normalize(candidate) : undefined;
}

/** Least common multiple of two positive decimal steps ("0.02" and "0.03" → "0.06"). */
export function commonStep(a: string, b: string): string {
  const scale = Math.max(D.decimalPlaces(a), D.decimalPlaces(b));
  const unit = `1${'0'.repeat(scale)}`;
  const x = BigInt(D.mul(a, unit));
  const y = BigInt(D.mul(b, unit));
  let [p, q] = [x, y];
  while (q !== 0n) [p, q] = [q, p % q];
  return D.div(((x / p) * y).toString(), unit, scale);
}
