import type { NewOrderParams, OrderType, SymbolFilter, SymbolInfo } from './api';
import * as D from './decimal';

/**
 * Client-side order validation against a symbol's exchangeInfo filters, in exact decimals, so the
 * user sees "LOT_SIZE: quantity 0.0015 is not a multiple of stepSize 0.001 → 0.001" before a
 * request is sent. Rules follow the filter definitions in the Spot API docs (filters.md); each
 * violation names the filter exactly as Binance does in "Filter failure: X".
 */

export type OrderField = 'symbol' | 'type' | 'timeInForce' | 'price' | 'stopPrice' | 'quantity' | 'quoteOrderQty';

export interface FilterViolation {
  /** "PRICE_FILTER", "LOT_SIZE", …, or "PARAMETERS" for a missing/invalid parameter. */
  filter: string;
  field: OrderField | 'openOrders';
  /** What is wrong, in words, with the numbers involved. */
  message: string;
  /** A value for `field` that satisfies the rule (price rounded to tick, quantity rounded down to step, …). */
  suggestion?: string;
}

export interface OrderCheckContext {
  /**
   * Reference price (or current average/last price) of the symbol. Needed for MARKET notional
   * checks and for PERCENT_PRICE / PERCENT_PRICE_BY_SIDE; those checks are skipped without it.
   */
  referencePrice?: string;
  /** Open orders on this symbol right now (MAX_NUM_ORDERS). */
  openOrderCount?: number;
  /** Open STOP_LOSS/TAKE_PROFIT(_LIMIT) orders on this symbol right now (MAX_NUM_ALGO_ORDERS). */
  openAlgoOrderCount?: number;
}

export interface OrderCheckResult {
  ok: boolean;
  violations: FilterViolation[];
  /** The order with every suggestion applied, when there is at least one suggestion. */
  corrected?: NewOrderParams;
  /** Checks that could not run, and why (e.g. no reference price for a MARKET order's notional). */
  skipped: string[];
}

const NEEDS: Record<OrderType, { timeInForce: boolean; price: boolean; stopPrice: boolean }> = {
  LIMIT: { timeInForce: true, price: true, stopPrice: false },
  MARKET: { timeInForce: false, price: false, stopPrice: false },
  LIMIT_MAKER: { timeInForce: false, price: true, stopPrice: false },
  STOP_LOSS: { timeInForce: false, price: false, stopPrice: true },
  STOP_LOSS_LIMIT: { timeInForce: true, price: true, stopPrice: true },
  TAKE_PROFIT: { timeInForce: false, price: false, stopPrice: true },
  TAKE_PROFIT_LIMIT: { timeInForce: true, price: true, stopPrice: true },
};

const ALGO_TYPES: ReadonlySet<OrderType> = new Set([
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
]);
const MARKET_LIKE: ReadonlySet<OrderType> = new Set(['MARKET', 'STOP_LOSS', 'TAKE_PROFIT']);

/** Mandatory / forbidden parameters per order type, and decimal syntax of the values given. */
export function checkRequiredParams(params: NewOrderParams): FilterViolation[] {
  const out: FilterViolation[] = [];
  const v = (field: OrderField, message: string): void => {
    out.push({ filter: 'PARAMETERS', field, message });
  };
  const need = NEEDS[params.type];
  if (!need) {
    v(
      'type',
      `Unknown order type "${String(params.type)}". Use LIMIT, MARKET, LIMIT_MAKER, STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT or TAKE_PROFIT_LIMIT.`,
    );
    return out;
  }
  if (!params.symbol) v('symbol', 'The symbol is missing.');
  const has = (x: string | undefined): boolean => x !== undefined && x !== '';
  if (params.type === 'MARKET') {
    if (has(params.quantity) === has(params.quoteOrderQty)) {
      v(
        'quantity',
        has(params.quantity)
          ? 'A MARKET order takes quantity or quoteOrderQty, not both.'
          : 'A MARKET order needs quantity (base amount) or quoteOrderQty (quote amount to spend or receive).',
      );
    }
  } else {
    if (!has(params.quantity)) v('quantity', `A ${params.type} order needs a quantity.`);
    if (has(params.quoteOrderQty)) v('quoteOrderQty', `quoteOrderQty is only for MARKET orders, not ${params.type}.`);
  }
  if (need.timeInForce && !params.timeInForce)
    v('timeInForce', `A ${params.type} order needs timeInForce (GTC, IOC or FOK).`);
  if (!need.timeInForce && params.timeInForce) v('timeInForce', `A ${params.type} order does not take timeInForce.`);
  if (need.price && !has(params.price)) v('price', `A ${params.type} order needs a price.`);
  if (!need.price && has(params.price)) v('price', `A ${params.type} order does not take a price.`);
  if (need.stopPrice && !has(params.stopPrice)) v('stopPrice', `A ${params.type} order needs a stopPrice.`);
  if (!need.stopPrice && has(params.stopPrice)) v('stopPrice', `A ${params.type} order does not take a stopPrice.`);
  for (const field of ['price', 'stopPrice', 'quantity', 'quoteOrderQty'] as const) {
    const value = params[field];
    if (!has(value)) continue;
    const problem = D.decimalProblem(value as string, { field });
    if (problem) v(field, capitalize(problem));
    else if (!D.isPositive(value as string)) v(field, `${field} must be greater than zero.`);
  }
  return out;
}

export function findFilter(symbol: SymbolInfo, filterType: string): SymbolFilter | undefined {
  return symbol.filters.find((f) => f.filterType === filterType);
}

/** A decimal field of a filter ("0" when absent, which disables the rule). */
function dec(filter: SymbolFilter, name: string): string {
  const raw = filter[name];
  if (raw === undefined || raw === null || raw === '') return '0';
  return D.parseDecimal(String(raw), { field: `${filter.filterType}.${name}` });
}

function flag(filter: SymbolFilter, name: string, fallback: boolean): boolean {
  const raw = filter[name];
  return typeof raw === 'boolean' ? raw : raw === undefined ? fallback : String(raw) === 'true';
}

interface RangeStepRule {
  min: string;
  max: string;
  step: string;
}

/**
 * Checks value against min/max/step (0 disables each) and returns the problems plus a value that
 * satisfies all three: `roundMode` decides how an off-grid value moves onto the step grid.
 */
function rangeStep(
  value: string,
  rule: RangeStepRule,
  names: [string, string, string],
  roundMode: 'nearest' | 'down',
): { problems: string[]; fixed: string } {
  const problems: string[] = [];
  const [minName, maxName, stepName] = names;
  const active = (x: string): boolean => !D.isZero(x);
  if (active(rule.min) && D.lt(value, rule.min)) problems.push(`is below ${minName} ${rule.min}`);
  if (active(rule.max) && D.gt(value, rule.max)) problems.push(`is above ${maxName} ${rule.max}`);
  if (active(rule.step) && !D.isMultipleOf(value, rule.step))
    problems.push(`is not a multiple of ${stepName} ${rule.step}`);
  let fixed = value;
  if (active(rule.step))
    fixed = roundMode === 'nearest' ? D.roundToStep(fixed, rule.step) : D.floorToStep(fixed, rule.step);
  if (active(rule.min) && D.lt(fixed, rule.min))
    fixed = active(rule.step) ? D.ceilToStep(rule.min, rule.step) : rule.min;
  if (active(rule.max) && D.gt(fixed, rule.max))
    fixed = active(rule.step) ? D.floorToStep(rule.max, rule.step) : rule.max;
  return { problems, fixed: D.normalize(fixed) };
}

/**
 * Validates `params` against the symbol's status, order types and filters. Decimal values are
 * compared exactly; every violation names its filter and carries a corrected value where one exists.
 */
export function validateOrder(
  params: NewOrderParams,
  symbol: SymbolInfo,
  context: OrderCheckContext = {},
): OrderCheckResult {
  const violations: FilterViolation[] = [];
  const skipped: string[] = [];
  const corrected: NewOrderParams = { ...params };
  let anySuggestion = false;
  const add = (v: FilterViolation): void => {
    violations.push(v);
    if (v.suggestion !== undefined && v.field !== 'openOrders') {
      (corrected as unknown as Record<string, string>)[v.field] = v.suggestion;
      anySuggestion = true;
    }
  };

  if (params.symbol && params.symbol !== symbol.symbol) {
    add({
      filter: 'PARAMETERS',
      field: 'symbol',
      message: `The order is for ${params.symbol} but the rules given are for ${symbol.symbol}.`,
    });
  }
  if (symbol.status && symbol.status !== 'TRADING') {
    add({
      filter: 'PARAMETERS',
      field: 'symbol',
      message: `${symbol.symbol} is not trading right now (status ${symbol.status}).`,
    });
  }
  if (
    Array.isArray(symbol.orderTypes) &&
    symbol.orderTypes.length > 0 &&
    NEEDS[params.type] &&
    !symbol.orderTypes.includes(params.type)
  ) {
    add({
      filter: 'PARAMETERS',
      field: 'type',
      message: `${symbol.symbol} does not accept ${params.type} orders (allowed: ${symbol.orderTypes.join(', ')}).`,
    });
  }
  if (params.type === 'MARKET' && params.quoteOrderQty && symbol.quoteOrderQtyMarketAllowed === false) {
    add({
      filter: 'PARAMETERS',
      field: 'quoteOrderQty',
      message: `${symbol.symbol} does not accept MARKET orders by quoteOrderQty; give a quantity instead.`,
    });
  }
  const paramProblems = checkRequiredParams(params);
  for (const p of paramProblems) add(p);
  // Filter arithmetic needs well-formed numbers; report the parameter problems alone otherwise.
  const malformed = new Set(paramProblems.map((p) => p.field));
  const usable = (field: 'price' | 'stopPrice' | 'quantity' | 'quoteOrderQty'): string | undefined => {
    const value = params[field];
    return value !== undefined && value !== '' && !malformed.has(field) && D.isDecimal(value) && D.isPositive(value)
      ? D.normalize(value)
      : undefined;
  };
  const price = usable('price');
  const stopPrice = usable('stopPrice');
  const quantity = usable('quantity');
  const quoteOrderQty = params.type === 'MARKET' ? usable('quoteOrderQty') : undefined;
  const ref =
    context.referencePrice !== undefined && D.isDecimal(context.referencePrice) && D.isPositive(context.referencePrice)
      ? D.normalize(context.referencePrice)
      : undefined;

  // PRICE_FILTER: price and stopPrice, nearest tick, clamped to [minPrice, maxPrice].
  let effectivePrice = price;
  const priceFilter = findFilter(symbol, 'PRICE_FILTER');
  const priceRule = priceFilter
    ? { min: dec(priceFilter, 'minPrice'), max: dec(priceFilter, 'maxPrice'), step: dec(priceFilter, 'tickSize') }
    : undefined;
  if (priceRule) {
    for (const [field, value] of [
      ['price', price],
      ['stopPrice', stopPrice],
    ] as const) {
      if (value === undefined) continue;
      const r = rangeStep(value, priceRule, ['minPrice', 'maxPrice', 'tickSize'], 'nearest');
      if (r.problems.length > 0) {
        add({
          filter: 'PRICE_FILTER',
          field,
          message: `${field} ${value} ${joinProblems(r.problems)}; a valid ${field} is ${r.fixed}.`,
          suggestion: r.fixed,
        });
      }
      if (field === 'price') effectivePrice = r.fixed;
    }
  }

  // PERCENT_PRICE_BY_SIDE (BUY: bid multipliers, SELL: ask multipliers) and PERCENT_PRICE.
  for (const filterType of ['PERCENT_PRICE_BY_SIDE', 'PERCENT_PRICE'] as const) {
    const f = findFilter(symbol, filterType);
    if (!f || price === undefined) continue;
    if (!ref) {
      skipped.push(`${filterType} not checked: no reference price.`);
      continue;
    }
    let up: string;
    let down: string;
    let upName: string;
    let downName: string;
    if (filterType === 'PERCENT_PRICE') {
      [up, down, upName, downName] = [
        dec(f, 'multiplierUp'),
        dec(f, 'multiplierDown'),
        'multiplierUp',
        'multiplierDown',
      ];
    } else {
      const side = params.side === 'SELL' ? 'ask' : 'bid';
      [up, down, upName, downName] = [
        dec(f, `${side}MultiplierUp`),
        dec(f, `${side}MultiplierDown`),
        `${side}MultiplierUp`,
        `${side}MultiplierDown`,
      ];
    }
    const high = D.mul(ref, up);
    const low = D.mul(ref, down);
    const tooHigh = !D.isZero(up) && D.gt(price, high);
    const tooLow = D.lt(price, low);
    if (!tooHigh && !tooLow) continue;
    const tick = priceRule?.step ?? '0';
    const bound = D.normalize(tooHigh ? D.floorToStep(high, tick) : D.ceilToStep(low, tick));
    // The bound is only a usable suggestion if PRICE_FILTER accepts it too (and it is positive).
    const fitsPriceFilter =
      D.isPositive(bound) &&
      (!priceRule ||
        ((D.isZero(priceRule.min) || D.gte(bound, priceRule.min)) &&
          (D.isZero(priceRule.max) || D.lte(bound, priceRule.max))));
    const suggestion = fitsPriceFilter ? bound : undefined;
    if (suggestion !== undefined) effectivePrice = suggestion;
    const tail =
      suggestion !== undefined
        ? `the ${tooHigh ? 'highest' : 'lowest'} valid price is ${suggestion}.`
        : `no price within PRICE_FILTER's range satisfies it right now.`;
    add({
      filter: filterType,
      field: 'price',
      message: tooHigh
        ? `price ${price} is above ${high} (reference price ${ref} × ${upName} ${up}); ${tail}`
        : `price ${price} is below ${low} (reference price ${ref} × ${downName} ${down}); ${tail}`,
      suggestion,
    });
    break; // one percent-price rule is enough; both use the same reference
  }

  // LOT_SIZE for every order with a quantity, MARKET_LOT_SIZE for MARKET orders; rounded down to step.
  // "MARKET orders using quoteOrderQty will not break LOT_SIZE filter rules", so those are not checked.
  let effectiveQty = quantity;
  let lotStep = '0';
  let lotMin = '0';
  let lotMax = '0';
  for (const filterType of ['LOT_SIZE', 'MARKET_LOT_SIZE'] as const) {
    if (quantity === undefined) break;
    if (filterType === 'MARKET_LOT_SIZE' && params.type !== 'MARKET') continue;
    const f = findFilter(symbol, filterType);
    if (!f) continue;
    const rule = { min: dec(f, 'minQty'), max: dec(f, 'maxQty'), step: dec(f, 'stepSize') };
    if (!D.isZero(rule.step)) lotStep = D.isZero(lotStep) ? rule.step : D.max(lotStep, rule.step);
    if (!D.isZero(rule.min)) lotMin = D.max(lotMin, rule.min);
    if (!D.isZero(rule.max)) lotMax = D.isZero(lotMax) ? rule.max : D.min(lotMax, rule.max);
    const fixed = rangeStep(effectiveQty ?? quantity, rule, ['minQty', 'maxQty', 'stepSize'], 'down').fixed;
    const r = rangeStep(quantity, rule, ['minQty', 'maxQty', 'stepSize'], 'down');
    if (r.problems.length > 0) {
      add({
        filter: filterType,
        field: 'quantity',
        message: `quantity ${quantity} ${joinProblems(r.problems)}; a valid quantity is ${fixed}.`,
        suggestion: fixed,
      });
    }
    effectiveQty = fixed;
  }

  // MIN_NOTIONAL / NOTIONAL: price × quantity (MARKET: reference price × quantity, or quoteOrderQty).
  const isMarketLike = MARKET_LIKE.has(params.type);
  const notionalPrice = isMarketLike ? ref : effectivePrice;
  const notionalOf = (p: string | undefined, q: string | undefined): string | undefined => {
    if (params.type === 'MARKET' && quoteOrderQty !== undefined) return quoteOrderQty;
    return p !== undefined && q !== undefined ? D.mul(p, q) : undefined;
  };
  const checks: Array<{ filterType: 'MIN_NOTIONAL' | 'NOTIONAL'; kind: 'min' | 'max'; limit: string }> = [];
  const minNotionalFilter = findFilter(symbol, 'MIN_NOTIONAL');
  if (minNotionalFilter && (!isMarketLike || flag(minNotionalFilter, 'applyToMarket', true))) {
    checks.push({ filterType: 'MIN_NOTIONAL', kind: 'min', limit: dec(minNotionalFilter, 'minNotional') });
  }
  const notionalFilter = findFilter(symbol, 'NOTIONAL');
  if (notionalFilter) {
    if (!isMarketLike || flag(notionalFilter, 'applyMinToMarket', true))
      checks.push({ filterType: 'NOTIONAL', kind: 'min', limit: dec(notionalFilter, 'minNotional') });
    if (!isMarketLike || flag(notionalFilter, 'applyMaxToMarket', false))
      checks.push({ filterType: 'NOTIONAL', kind: 'max', limit: dec(notionalFilter, 'maxNotional') });
  }
  for (const check of checks) {
    if (D.isZero(check.limit)) continue;
    const given = notionalOf(isMarketLike ? ref : price, quantity);
    if (given === undefined) {
      if (isMarketLike && quoteOrderQty === undefined && quantity !== undefined)
        skipped.push(`${check.filterType} not checked: no reference price for a ${params.type} order.`);
      continue;
    }
    const broken = check.kind === 'min' ? D.lt(given, check.limit) : D.gt(given, check.limit);
    if (!broken) continue;
    const quote = symbol.quoteAsset ? ` ${symbol.quoteAsset}` : '';
    const what =
      params.type === 'MARKET' && quoteOrderQty !== undefined
        ? `quoteOrderQty ${quoteOrderQty}${quote}`
        : `order value ${isMarketLike ? `${ref} (reference price)` : price} × ${quantity} = ${given}${quote}`;
    const limitText = `${check.kind === 'min' ? 'minNotional' : 'maxNotional'} ${check.limit}${quote}`;
    if (params.type === 'MARKET' && quoteOrderQty !== undefined) {
      add({
        filter: check.filterType,
        field: 'quoteOrderQty',
        message: `${what} is ${check.kind === 'min' ? 'below' : 'above'} ${limitText}.`,
        suggestion: check.limit,
      });
      continue;
    }
    const p = notionalPrice as string;
    const q = notionalQuantity(check.kind, check.limit, p, lotStep, effectiveQty ?? (quantity as string));
    let suggestion: string | undefined = q;
    if (
      suggestion !== undefined &&
      ((!D.isZero(lotMax) && D.gt(suggestion, lotMax)) || (!D.isZero(lotMin) && D.lt(suggestion, lotMin)))
    ) {
      suggestion = check.kind === 'min' && D.lt(suggestion, lotMin) ? D.max(lotMin, suggestion) : undefined;
    }
    if (suggestion !== undefined) effectiveQty = suggestion;
    const tail =
      suggestion === undefined
        ? ' No quantity within LOT_SIZE fixes it at this price.'
        : `; the ${check.kind === 'min' ? 'smallest' : 'largest'} valid quantity at ${p} is ${suggestion}.`;
    add({
      filter: check.filterType,
      field: 'quantity',
      message: `${what} is ${check.kind === 'min' ? 'below' : 'above'} ${limitText}${tail}`,
      suggestion,
    });
  }

  // MAX_NUM_ORDERS / MAX_NUM_ALGO_ORDERS: open orders on the symbol, including this one.
  const maxOrders = findFilter(symbol, 'MAX_NUM_ORDERS');
  if (maxOrders) {
    const limit = Number(maxOrders.maxNumOrders ?? 0);
    if (context.openOrderCount === undefined) skipped.push('MAX_NUM_ORDERS not checked: open order count unknown.');
    else if (limit > 0 && context.openOrderCount + 1 > limit) {
      add({
        filter: 'MAX_NUM_ORDERS',
        field: 'openOrders',
        message: `${symbol.symbol} already has ${context.openOrderCount} open orders and allows at most ${limit}; cancel one first.`,
      });
    }
  }
  const maxAlgo = findFilter(symbol, 'MAX_NUM_ALGO_ORDERS');
  if (maxAlgo && ALGO_TYPES.has(params.type) && context.openAlgoOrderCount !== undefined) {
    const limit = Number(maxAlgo.maxNumAlgoOrders ?? 0);
    if (limit > 0 && context.openAlgoOrderCount + 1 > limit) {
      add({
        filter: 'MAX_NUM_ALGO_ORDERS',
        field: 'openOrders',
        message: `${symbol.symbol} already has ${context.openAlgoOrderCount} open stop/take-profit orders and allows at most ${limit}; cancel one first.`,
      });
    }
  }

  return { ok: violations.length === 0, violations, skipped, ...(anySuggestion ? { corrected } : {}) };
}

/**
 * The quantity that brings price × quantity to the notional limit: for a minimum the smallest
 * multiple of step at or above it (rounded UP), for a maximum the largest at or below (rounded DOWN).
 * Without a step, 8 decimals (or the quantity's own precision if finer).
 */
function notionalQuantity(
  kind: 'min' | 'max',
  limit: string,
  price: string,
  step: string,
  current: string,
): string | undefined {
  if (D.isZero(price)) return undefined;
  if (!D.isZero(step)) {
    const unit = D.mul(price, step);
    const k = D.div(limit, unit, 0, kind === 'min' ? 'up' : 'down');
    const q = D.mul(k, step);
    return D.isPositive(q) ? D.normalize(q) : undefined;
  }
  const scale = Math.max(8, D.decimalPlaces(current));
  const q = D.div(limit, price, scale, kind === 'min' ? 'up' : 'down');
  return D.isPositive(q) ? q : undefined;
}

function joinProblems(problems: string[]): string {
  if (problems.length <= 1) return problems.join('');
  return `${problems.slice(0, -1).join(', ')} and ${problems[problems.length - 1]}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
