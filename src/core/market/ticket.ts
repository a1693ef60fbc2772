import type { NewOrderParams, OrderSide, OrderType, SymbolInfo, TimeInForce } from '../api';
import * as D from '../decimal';
import { FilterViolation, ORDER_TYPE_PARAMS, validateOrder } from '../filters';
import { lotRange, lotRulesOf } from '../orderRules';
import { CommissionRate, quantityForQuote, ticketHints, TicketHints } from './ticketHints';

/**
 * The order ticket beside the market panel, as a pure model: typed strings in, per-field state,
 * hints and the order to send out. Every rule is validateOrder's (core/filters); this module only
 * maps its violations onto the ticket's fields and converts a quote amount.
 */

export type TicketField = 'type' | 'price' | 'stopPrice' | 'amount' | 'timeInForce';

export interface TicketInput {
  symbol: SymbolInfo;
  side: OrderSide;
  type: OrderType;
  /** As typed; '' = empty. */
  price: string;
  stopPrice: string;
  amount: string;
  /** `base`: amount is the quantity; `quote`: the amount of quote asset to spend or receive. */
  amountIn: 'base' | 'quote';
  timeInForce: TimeInForce;
  /** Free balance per asset. */
  freeBalances: Readonly<Record<string, string>>;
  commission?: CommissionRate;
  /** Average or last price: MARKET notional and the percent price bands need it. */
  referencePrice?: string;
  /** Best prices from the book, to tell maker from taker for the fee estimate. */
  bestBid?: string;
  bestAsk?: string;
  openOrderCount?: number;
}

export interface FieldState {
  /** `unused`: the type does not take it; `pending`: cannot be judged until another field is valid. */
  status: 'ok' | 'error' | 'unused' | 'pending';
  messages: string[];
  /** The value this field should take to satisfy every rule; applying it changes nothing else. */
  suggestion?: string;
}

export interface TicketState {
  fields: Record<TicketField, FieldState>;
  /** Problems no field can fix (symbol not trading, too many open orders). */
  formErrors: string[];
  hints: TicketHints;
  /** The request to test or place, when every field is valid. */
  order?: NewOrderParams;
  /** validateOrder's own output, for a detailed view. */
  violations: FilterViolation[];
  skipped: string[];
}

const NOTIONAL: ReadonlySet<string> = new Set(['MIN_NOTIONAL', 'NOTIONAL']);
const has = (text: string): boolean => text.trim() !== '';
const wellFormed = (text: string): string | undefined =>
  has(text) && D.isDecimal(text) && D.isPositive(text) ? D.normalize(text) : undefined;

export function evaluateTicket(input: TicketInput): TicketState {
  const { symbol, side, type } = input;
  const uses = ORDER_TYPE_PARAMS[type] ?? { price: false, stopPrice: false, timeInForce: false };
  const fields: Record<TicketField, FieldState> = {
    type: ok(),
    price: uses.price ? ok() : unused(),
    stopPrice: uses.stopPrice ? ok() : unused(),
    amount: ok(),
    timeInForce: uses.timeInForce ? ok() : unused(),
  };
  const formErrors: string[] = [];

  // The request exactly as typed. A quote amount is quoteOrderQty for MARKET; for limit types it
  // becomes the quantity it buys at the typed price, rounded down to the step.
  const params: NewOrderParams = { symbol: symbol.symbol, side, type };
  if (uses.price) params.price = input.price.trim();
  if (uses.stopPrice) params.stopPrice = input.stopPrice.trim();
  if (uses.timeInForce) params.timeInForce = input.timeInForce;
  const amount = input.amount.trim();
  const quoteMode = input.amountIn === 'quote';
  const unit = quoteMode ? symbol.quoteAsset : symbol.baseAsset;
  let quotePrice: string | undefined;
  if (!has(amount)) fields.amount = error(`Enter the amount in ${unit}.`);
  else if (quoteMode && !D.isDecimal(amount))
    fields.amount = error(capitalize(D.decimalProblem(amount, { field: 'amount' })!));
  else if (!quoteMode) params.quantity = amount;
  else if (type === 'MARKET') params.quoteOrderQty = amount;
  else if (!uses.price)
    fields.amount = error(
      `A ${type} order takes a quantity in ${symbol.baseAsset}; switch the amount to ${symbol.baseAsset}.`,
    );
  else {
    quotePrice = wellFormed(params.price ?? '');
    if (quotePrice === undefined)
      fields.amount = pending('Enter a valid price to turn the quote amount into a quantity.');
    else params.quantity = quantityForQuote(amount, quotePrice, lotRange(lotRulesOf(symbol, type)).step);
  }
  // The amount's own problems were said above; validateOrder would only repeat them as "quantity".
  const amountJudged = fields.amount.status !== 'ok';

  const context = { referencePrice: input.referencePrice, openOrderCount: input.openOrderCount };
  const result = validateOrder(params, symbol, context);
  let violations = result.violations;
  let amountPrice = quotePrice;
  const fixedPrice = violations.find((v) => v.field === 'price' && v.suggestion !== undefined)?.suggestion;
  if (quotePrice !== undefined && fixedPrice !== undefined && !D.eq(fixedPrice, quotePrice)) {
    // A quote amount is worth itself at any price, so it is judged at the price that will be sent
    // (the corrected one), not through the quantity it would buy at a price that is going to change.
    const step = lotRange(lotRulesOf(symbol, type)).step;
    const quantity = quantityForQuote(amount, fixedPrice, step);
    const atFixedPrice = validateOrder({ ...params, price: fixedPrice, quantity }, symbol, context);
    violations = [
      ...violations.filter((v) => v.field !== 'quantity' && !(v.field === 'price' && NOTIONAL.has(v.filter))),
      ...atFixedPrice.violations.filter((v) => v.field === 'quantity'),
    ];
    amountPrice = fixedPrice;
  }
  const mapped = (field: FilterViolation['field']): TicketField | undefined => {
    switch (field) {
      case 'price':
      case 'stopPrice':
      case 'timeInForce':
      case 'type':
        return field;
      case 'quantity':
      case 'quoteOrderQty':
        return 'amount';
      default:
        return undefined; // symbol, openOrders
    }
  };
  for (const v of violations) {
    const field = mapped(v.field);
    if (!field) {
      formErrors.push(v.message);
      continue;
    }
    if (field === 'amount' && amountJudged) continue;
    const state = fields[field];
    state.status = 'error';
    state.messages.push(v.message);
    if (v.suggestion !== undefined) state.suggestion = shownSuggestion(v, amountPrice);
  }

  const amountValue = wellFormed(amount);
  const hints = ticketHints({
    symbol,
    side,
    type,
    freeBalances: input.freeBalances,
    commission: input.commission,
    referencePrice: input.referencePrice,
    bestBid: input.bestBid,
    bestAsk: input.bestAsk,
    price: uses.price ? wellFormed(input.price) : undefined,
    ...(quoteMode ? { quoteAmount: amountValue } : { quantity: amountValue }),
  });
  const valid =
    violations.length === 0 && Object.values(fields).every((f) => f.status === 'ok' || f.status === 'unused');
  return {
    fields,
    formErrors,
    hints,
    ...(valid ? { order: normalized(params) } : {}),
    violations,
    skipped: result.skipped,
  };
}

/** A suggestion in the unit the user types: in quote mode a quantity is shown as its value at `quotePrice`. */
function shownSuggestion(v: FilterViolation, quotePrice: string | undefined): string {
  const suggestion = v.suggestion as string;
  return v.field === 'quantity' && quotePrice !== undefined ? D.normalize(D.mul(suggestion, quotePrice)) : suggestion;
}

function normalized(params: NewOrderParams): NewOrderParams {
  const out: NewOrderParams = { ...params };
  for (const field of ['price', 'stopPrice', 'quantity', 'quoteOrderQty'] as const)
    if (out[field] !== undefined) out[field] = D.normalize(out[field] as string);
  return out;
}

const ok = (): FieldState => ({ status: 'ok', messages: [] });
const unused = (): FieldState => ({ status: 'unused', messages: [] });
const error = (message: string): FieldState => ({ status: 'error', messages: [message] });
const pending = (message: string): FieldState => ({ status: 'pending', messages: [message] });
const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
