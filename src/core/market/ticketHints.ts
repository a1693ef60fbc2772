import type { OrderSide, OrderType, SymbolInfo } from '../api';
import * as D from '../decimal';
import { lotRange, lotRulesOf, MARKET_LIKE, notionalLimitsOf, priceRuleOf } from '../orderRules';

/** Commission rates as fractions ("0.001" = 0.1 %), e.g. CommissionRates.standardCommissionForOrder. */
export interface CommissionRate {
  maker: string;
  taker: string;
}

/** What the ticket shows beside the fields while the user types. Amounts are decimal strings. */
export interface TicketHints {
  tickSize?: string;
  stepSize?: string;
  minQty?: string;
  maxQty?: string;
  /** The tightest minimum / maximum order value (MIN_NOTIONAL, NOTIONAL) for this type, in the quote asset. */
  minNotional?: string;
  maxNotional?: string;
  quoteAsset: string;
  baseAsset: string;
  /** The asset the order spends (quote for BUY, base for SELL) and its free balance. */
  spendAsset: string;
  freeBalance: string;
  /** Base quantity the order would trade, given or derived from a quote amount. */
  estimatedQuantity?: string;
  /** price × quantity (market-like: at the reference price), or the quote amount itself. */
  estimatedNotional?: string;
  /** Commission in the asset received (base for BUY, quote for SELL). */
  estimatedFee?: string;
  feeAsset: string;
  /** maker/taker as far as the ticket can tell; `taker?` when it cannot (no best price known). */
  feeRole?: 'maker' | 'taker' | 'taker?';
  /** Non-blocking remarks (the exchange decides), e.g. more than the free balance. */
  warnings: string[];
}

export interface HintInput {
  symbol: SymbolInfo;
  side: OrderSide;
  type: OrderType;
  freeBalances: Readonly<Record<string, string>>;
  commission?: CommissionRate;
  referencePrice?: string;
  bestBid?: string;
  bestAsk?: string;
  /** Well-formed typed values, or undefined. */
  price?: string;
  quantity?: string;
  quoteAmount?: string;
}

/** Filter hints and estimates for the ticket; only reads the rules (validation is validateOrder's job). */
export function ticketHints(input: HintInput): TicketHints {
  const { symbol, side, type } = input;
  const priceRule = priceRuleOf(symbol);
  const lot = lotRange(lotRulesOf(symbol, type));
  const limits = notionalLimitsOf(symbol, type);
  const mins = limits.filter((l) => l.kind === 'min').map((l) => l.limit);
  const maxes = limits.filter((l) => l.kind === 'max').map((l) => l.limit);
  const spendAsset = side === 'BUY' ? symbol.quoteAsset : symbol.baseAsset;
  const feeAsset = side === 'BUY' ? symbol.baseAsset : symbol.quoteAsset;
  const hints: TicketHints = {
    ...(priceRule && !D.isZero(priceRule.tickSize) ? { tickSize: priceRule.tickSize } : {}),
    ...(!D.isZero(lot.step) ? { stepSize: lot.step } : {}),
    ...(lot.lo !== undefined ? { minQty: lot.lo } : {}),
    ...(lot.hi !== undefined ? { maxQty: lot.hi } : {}),
    ...(mins.length > 0 ? { minNotional: mins.reduce((a, b) => D.max(a, b)) } : {}),
    ...(maxes.length > 0 ? { maxNotional: maxes.reduce((a, b) => D.min(a, b)) } : {}),
    quoteAsset: symbol.quoteAsset,
    baseAsset: symbol.baseAsset,
    spendAsset,
    freeBalance: D.normalize(input.freeBalances[spendAsset] ?? '0'),
    feeAsset,
    warnings: [],
  };

  const marketLike = MARKET_LIKE.has(type);
  const atPrice = marketLike ? input.referencePrice : input.price;
  let quantity = input.quantity;
  let notional: string | undefined;
  if (input.quoteAmount !== undefined && atPrice !== undefined && D.isPositive(atPrice))
    quantity = quantityForQuote(input.quoteAmount, atPrice, lot.step);
  // MARKET by quote amount spends exactly that; otherwise the value is what the quantity is worth.
  if (input.quoteAmount !== undefined && type === 'MARKET') notional = input.quoteAmount;
  else if (quantity !== undefined && atPrice !== undefined) notional = D.mul(atPrice, quantity);
  if (quantity !== undefined) hints.estimatedQuantity = D.normalize(quantity);
  if (notional !== undefined) hints.estimatedNotional = D.normalize(notional);

  hints.feeRole = feeRole(input);
  if (input.commission) {
    const rate = hints.feeRole === 'maker' ? input.commission.maker : input.commission.taker;
    const charged = side === 'BUY' ? quantity : notional;
    if (charged !== undefined) hints.estimatedFee = D.normalize(D.mul(charged, rate));
  }

  const spend = side === 'BUY' ? notional : quantity;
  if (spend !== undefined && D.gt(spend, hints.freeBalance))
    hints.warnings.push(
      `This needs ${D.normalize(spend)} ${spendAsset}${marketLike && side === 'BUY' && input.quoteAmount === undefined ? ' (at the reference price)' : ''}, more than the free ${hints.freeBalance} ${spendAsset}.`,
    );
  return hints;
}

/** The quantity a quote amount buys at `price`, rounded down to the lot step (never worth more than the amount). */
export function quantityForQuote(quoteAmount: string, price: string, step: string): string {
  const scale = D.isZero(step) ? Math.max(8, D.decimalPlaces(quoteAmount)) : D.decimalPlaces(step);
  return D.normalize(D.floorToStep(D.div(quoteAmount, price, scale), step));
}

/** LIMIT_MAKER is always maker; a limit price that crosses the best opposite price takes. */
function feeRole(input: HintInput): TicketHints['feeRole'] {
  if (input.type === 'LIMIT_MAKER') return 'maker';
  if (MARKET_LIKE.has(input.type)) return 'taker';
  const opposite = input.side === 'BUY' ? input.bestAsk : input.bestBid;
  if (input.price === undefined || opposite === undefined) return 'taker?';
  const crosses = input.side === 'BUY' ? D.gte(input.price, opposite) : D.lte(input.price, opposite);
  return crosses ? 'taker' : 'maker';
}
