/**
 * Symbol filters (PRICE_FILTER, PERCENT_PRICE_BY_SIDE, LOT_SIZE, MARKET_LOT_SIZE, NOTIONAL,
 * MAX_NUM_ORDERS) checked with exact decimals; a failure is -1013 "Filter failure: NAME".
 */
import { SymbolConfig } from './config';
import { Dec, dec, isMultipleOf, mul, ZERO } from './decimal';
import { Errors } from './errors';

export interface FilterRules {
  tick: Dec;
  minPrice: Dec;
  maxPrice: Dec;
  step: Dec;
  minQty: Dec;
  maxQty: Dec;
  marketMaxQty: Dec;
  minNotional: Dec;
  maxNotional: Dec;
  bidUp: Dec;
  bidDown: Dec;
  askUp: Dec;
  askDown: Dec;
  maxNumOrders: number;
  maxNumAlgoOrders: number;
}

export function filterRules(config: SymbolConfig): FilterRules {
  return {
    tick: dec(config.tickSize),
    minPrice: dec(config.minPrice),
    maxPrice: dec(config.maxPrice),
    step: dec(config.stepSize),
    minQty: dec(config.minQty),
    maxQty: dec(config.maxQty),
    marketMaxQty: dec(config.marketMaxQty),
    minNotional: dec(config.minNotional),
    maxNotional: dec(config.maxNotional),
    bidUp: dec(config.bidMultiplierUp),
    bidDown: dec(config.bidMultiplierDown),
    askUp: dec(config.askMultiplierUp),
    askDown: dec(config.askMultiplierDown),
    maxNumOrders: config.maxNumOrders,
    maxNumAlgoOrders: config.maxNumAlgoOrders,
  };
}

export interface FilterInput {
  side: 'BUY' | 'SELL';
  type: 'LIMIT' | 'MARKET' | 'LIMIT_MAKER' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
  price?: Dec;
  quantity?: Dec;
  quoteOrderQty?: Dec;
  stopPrice?: Dec;
}

/**
 * Stop orders: PRICE_FILTER applies to stopPrice as well; the _LIMIT types are then checked like
 * LIMIT, STOP_LOSS/TAKE_PROFIT like MARKET with a quantity, with the stop price as the notional's
 * price (it is what they execute near). MAX_NUM_ALGO_ORDERS counts the account's open stop orders
 * on the symbol (MAX_NUM_ORDERS counts them too).
 */
export function checkStopFilters(
  rules: FilterRules,
  referencePrice: Dec,
  input: FilterInput,
  openOrders: number,
  openAlgo: number,
): void {
  const stop = input.stopPrice ?? ZERO;
  if (
    stop <= ZERO ||
    (rules.minPrice > ZERO && stop < rules.minPrice) ||
    (rules.maxPrice > ZERO && stop > rules.maxPrice)
  )
    throw Errors.filter('PRICE_FILTER');
  if (!isMultipleOf(stop - rules.minPrice, rules.tick)) throw Errors.filter('PRICE_FILTER');
  if (input.type === 'STOP_LOSS_LIMIT' || input.type === 'TAKE_PROFIT_LIMIT') {
    checkFilters(rules, referencePrice, { ...input, type: 'LIMIT' }, openOrders);
  } else {
    const qty = input.quantity ?? ZERO;
    checkLot(rules, qty);
    if (qty > rules.marketMaxQty) throw Errors.filter('MARKET_LOT_SIZE');
    if (mul(stop, qty) < rules.minNotional) throw Errors.filter('NOTIONAL');
    if (openOrders >= rules.maxNumOrders) throw Errors.filter('MAX_NUM_ORDERS');
  }
  if (openAlgo >= rules.maxNumAlgoOrders) throw Errors.filter('MAX_NUM_ALGO_ORDERS');
}

/**
 * Throws the first failing filter. `referencePrice` is the last trade price (the PERCENT_PRICE
 * reference and the price MARKET notional is estimated at); `openOrders` counts the account's
 * resting orders on the symbol.
 */
export function checkFilters(rules: FilterRules, referencePrice: Dec, input: FilterInput, openOrders: number): void {
  if (input.type === 'LIMIT' || input.type === 'LIMIT_MAKER') {
    const price = input.price ?? ZERO;
    const qty = input.quantity ?? ZERO;
    checkPrice(rules, referencePrice, price, input.side);
    checkLot(rules, qty);
    const notional = mul(price, qty);
    if (notional < rules.minNotional || (rules.maxNotional > ZERO && notional > rules.maxNotional))
      throw Errors.filter('NOTIONAL');
    if (openOrders >= rules.maxNumOrders) throw Errors.filter('MAX_NUM_ORDERS');
  } else if (input.quantity !== undefined) {
    checkLot(rules, input.quantity);
    if (input.quantity > rules.marketMaxQty) throw Errors.filter('MARKET_LOT_SIZE');
    if (mul(referencePrice, input.quantity) < rules.minNotional) throw Errors.filter('NOTIONAL');
  } else {
    const quote = input.quoteOrderQty ?? ZERO;
    if (quote <= ZERO || quote < rules.minNotional) throw Errors.filter('NOTIONAL');
  }
}

function checkPrice(rules: FilterRules, referencePrice: Dec, price: Dec, side: 'BUY' | 'SELL'): void {
  if (price <= ZERO) throw Errors.filter('PRICE_FILTER');
  if (rules.minPrice > ZERO && price < rules.minPrice) throw Errors.filter('PRICE_FILTER');
  if (rules.maxPrice > ZERO && price > rules.maxPrice) throw Errors.filter('PRICE_FILTER');
  if (!isMultipleOf(price - rules.minPrice, rules.tick)) throw Errors.filter('PRICE_FILTER');
  const [up, down] = side === 'BUY' ? [rules.bidUp, rules.bidDown] : [rules.askUp, rules.askDown];
  if (price > mul(referencePrice, up) || price < mul(referencePrice, down))
    throw Errors.filter('PERCENT_PRICE_BY_SIDE');
}

function checkLot(rules: FilterRules, qty: Dec): void {
  if (qty <= ZERO || qty < rules.minQty || qty > rules.maxQty) throw Errors.filter('LOT_SIZE');
  if (!isMultipleOf(qty - rules.minQty, rules.step)) throw Errors.filter('LOT_SIZE');
}
