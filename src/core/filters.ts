import type { NewOrderParams, OrderType, SymbolInfo } from './api';
import * as D from './decimal';
import { checkPrice, checkQuantity, checkQuoteOrderQty } from './filterChecks';
import {
  FilterViolation,
  findFilter,
  OrderField,
  lotRulesOf,
  MARKET_LIKE,
  notionalLimitsOf,
  PercentBand,
  percentBandsOf,
  priceRuleOf,
} from './orderRules';

/**
 * Client-side order validation against a symbol's exchangeInfo filters, in exact decimals, so the
 * user sees "LOT_SIZE: quantity 0.0015 is not a multiple of stepSize 0.001 → 0.001" before a
 * request is sent. Rules follow the filter definitions in the Spot API docs (filters.md); each
 * violation names the filter exactly as Binance does in "Filter failure: X".
 */

export type { FilterViolation, OrderField } from './orderRules';

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
  /**
   * The order with every suggestion applied, when every violation has one; it then passes
   * validateOrder with the same context. Only fields named by a violation differ from the input.
   */
  corrected?: NewOrderParams;
  /** Checks that could not run, and why (e.g. no reference price for a MARKET order's notional). */
  skipped: string[];
}

/** Which parameters each order type takes (the order ticket shows only these). */
export const ORDER_TYPE_PARAMS: Readonly<
  Record<OrderType, { timeInForce: boolean; price: boolean; stopPrice: boolean }>
> = {
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

/** Mandatory / forbidden parameters per order type, and decimal syntax of the values given. */
export function checkRequiredParams(params: NewOrderParams): FilterViolation[] {
  const out: FilterViolation[] = [];
  const v = (field: OrderField, message: string): void => {
    out.push({ filter: 'PARAMETERS', field, message });
  };
  const need = ORDER_TYPE_PARAMS[params.type];
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

export { findFilter } from './orderRules';

/**
 * Validates `params` against the symbol's status, order types and filters. Decimal values are
 * compared exactly. Every violation is reported, each names its filter, and each carries the value
 * its field should take: the valid value closest to the one given (price: nearest tick inside
 * PRICE_FILTER and the percent bands; quantity: rounded down to the step inside LOT_SIZE and the
 * notional limits at the corrected price). A field without a violation is never changed, so a price
 * correction does not touch a quantity that is valid at the corrected price. `corrected` is given
 * only when every violation has a correction, and then it passes this same validation.
 */
export function validateOrder(
  params: NewOrderParams,
  symbol: SymbolInfo,
  context: OrderCheckContext = {},
): OrderCheckResult {
  const violations: FilterViolation[] = [];
  const skipped: string[] = [];
  const add = (v: FilterViolation): void => {
    violations.push(v);
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
    ORDER_TYPE_PARAMS[params.type] &&
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

  // Prices: PRICE_FILTER for price and stopPrice; the percent bands around the reference for price.
  const priceRule = priceRuleOf(symbol);
  let bands: PercentBand[] = [];
  if (price !== undefined) {
    if (ref) bands = percentBandsOf(symbol, params.side, ref);
    else
      for (const filterType of ['PERCENT_PRICE_BY_SIDE', 'PERCENT_PRICE'])
        if (findFilter(symbol, filterType)) skipped.push(`${filterType} not checked: no reference price.`);
  }
  const fixedPrice = price === undefined ? undefined : checkPrice('price', price, priceRule, bands, ref, add);
  if (stopPrice !== undefined) checkPrice('stopPrice', stopPrice, priceRule, [], ref, add);

  // Quantities: LOT_SIZE (and MARKET_LOT_SIZE), then the notional limits at the corrected price.
  const limits = notionalLimitsOf(symbol, params.type);
  if (params.type === 'MARKET' && quoteOrderQty !== undefined)
    checkQuoteOrderQty(quoteOrderQty, limits, symbol.quoteAsset, add);
  if (quantity !== undefined) {
    const marketLike = MARKET_LIKE.has(params.type);
    checkQuantity(
      {
        quantity,
        lots: lotRulesOf(symbol, params.type),
        limits,
        givenPrice: marketLike ? ref : price,
        correctedPrice: marketLike ? ref : (fixedPrice ?? price),
        marketLike,
        quoteAsset: symbol.quoteAsset,
      },
      add,
    );
    if (marketLike && ref === undefined)
      for (const l of limits)
        skipped.push(`${l.filterType} not checked: no reference price for a ${params.type} order.`);
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

  return { ok: violations.length === 0, violations, skipped, ...correctedOrder(params, violations) };
}

/** `params` with every suggestion applied, when every violation has one (else nothing could be sent). */
function correctedOrder(params: NewOrderParams, violations: FilterViolation[]): { corrected?: NewOrderParams } {
  if (violations.length === 0 || violations.some((v) => v.suggestion === undefined || v.field === 'openOrders'))
    return {};
  const corrected: NewOrderParams = { ...params };
  for (const v of violations) (corrected as unknown as Record<string, string>)[v.field] = v.suggestion as string;
  return { corrected };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
