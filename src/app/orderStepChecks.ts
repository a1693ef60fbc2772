/**
 * The checks of the guided Place Order flow, one per step, so a value is judged where it is typed:
 * the quantity against the lot rules (and, for a MARKET order, the notional limits at the last
 * price), the price against the price rules and, now that both are known, the notional limits.
 * Every rule is validateOrder's (core/filters): these only pick the violations a step can fix and
 * say all of them, with the value that would satisfy each.
 */
import type { NewOrderParams, OrderSide, OrderType, SymbolInfo } from '../core/api';
import { decimalProblem } from '../core/decimal';
import { FilterViolation, validateOrder } from '../core/filters';

export interface OrderDraft {
  info: SymbolInfo;
  side: OrderSide;
  type: OrderType;
  quantity?: string;
}

export interface StepContext {
  /** The symbol's last price on the environment the order goes to (MARKET notional, percent bands). */
  lastPrice?: string;
  openOrderCount: number;
}

const NOTIONAL: ReadonlySet<string> = new Set(['MIN_NOTIONAL', 'NOTIONAL']);

/** Undefined when the quantity passes what can be judged before the price is known. */
export function quantityStepProblem(text: string, draft: OrderDraft, context: StepContext): string | undefined {
  const quantity = text.trim();
  const malformed = decimalProblem(quantity, { field: 'quantity' });
  if (malformed) return malformed;
  const marketOrder = draft.type === 'MARKET';
  // A priced order's value is judged at the price step: without a price here, only its lot rules
  // are (and the valid value offered is the lot rules' own).
  const params: NewOrderParams = { ...base(draft), quantity };
  const violations = violationsOf(params, draft, context).filter(
    (v) => v.field === 'quantity' && (marketOrder || !NOTIONAL.has(v.filter)),
  );
  return say(violations);
}

/** Undefined when the price passes the price rules and, with the quantity already given, the notional limits. */
export function priceStepProblem(text: string, draft: OrderDraft, context: StepContext): string | undefined {
  const price = text.trim();
  const malformed = decimalProblem(price, { field: 'price' });
  if (malformed) return malformed;
  const params: NewOrderParams = { ...base(draft), price, quantity: draft.quantity };
  const violations = violationsOf(params, draft, context).filter((v) => v.field === 'price' || NOTIONAL.has(v.filter));
  const needsBack = violations.some((v) => v.field !== 'price');
  const said = say(violations);
  return said && needsBack ? `${said} Change the price, or press Back to change the quantity.` : said;
}

function base(draft: OrderDraft): NewOrderParams {
  return {
    symbol: draft.info.symbol,
    side: draft.side,
    type: draft.type,
    ...(draft.type === 'LIMIT' ? { timeInForce: 'GTC' as const } : {}),
  };
}

function violationsOf(params: NewOrderParams, draft: OrderDraft, context: StepContext): FilterViolation[] {
  return validateOrder(params, draft.info, {
    referencePrice: context.lastPrice,
    openOrderCount: context.openOrderCount,
  }).violations;
}

/** Every violation, each as its sentence (they name the value that would satisfy them). */
function say(violations: readonly FilterViolation[]): string | undefined {
  if (violations.length === 0) return undefined;
  return violations.map((v) => `${v.filter}: ${capitalize(v.message)}`).join(' ');
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
