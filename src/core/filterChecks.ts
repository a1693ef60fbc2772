import * as D from './decimal';
import {
  closestValid,
  FilterViolation,
  LotRule,
  lotRange,
  NotionalLimit,
  PercentBand,
  PriceRule,
  priceRange,
  withNotional,
} from './orderRules';

/**
 * The filter checks of one order field each: they report every broken rule and give each
 * violation the field's corrected value (the valid value closest to the one given), so that the
 * corrections of all fields together pass. Used by validateOrder (filters.ts).
 */

type Report = (v: FilterViolation) => void;

/**
 * Checks a price against PRICE_FILTER and (for `price`) the percent bands, reports each broken rule,
 * and returns the valid price closest to it (itself when valid; undefined when no price is valid).
 */
export function checkPrice(
  field: 'price' | 'stopPrice',
  value: string,
  rule: PriceRule | undefined,
  bands: PercentBand[],
  ref: string | undefined,
  add: Report,
): string | undefined {
  const fix = closestValid(value, priceRange(rule, bands), 'nearest');
  const rules = ['PRICE_FILTER', ...bands.map((b) => b.filterType)].join(' and ');
  if (rule) {
    const problems = rangeProblems(value, rule.minPrice, rule.maxPrice, rule.tickSize, [
      'minPrice',
      'maxPrice',
      'tickSize',
    ]);
    if (problems.length > 0) {
      const tail = fix === undefined ? `no ${field} satisfies ${rules} right now` : `a valid ${field} is ${fix}`;
      add({
        filter: 'PRICE_FILTER',
        field,
        message: `${field} ${value} ${joinProblems(problems)}; ${tail}.`,
        suggestion: fix,
      });
    }
  }
  for (const band of bands) {
    const tooHigh = band.high !== undefined && D.gt(value, band.high);
    const tooLow = D.lt(value, band.low);
    if (!tooHigh && !tooLow) continue;
    const tail =
      fix === undefined
        ? `no price within ${rules} satisfies it right now.`
        : `the ${tooHigh ? 'highest' : 'lowest'} valid price is ${fix}.`;
    add({
      filter: band.filterType,
      field,
      message: tooHigh
        ? `price ${value} is above ${band.high} (reference price ${ref} × ${band.upName} ${band.up}); ${tail}`
        : `price ${value} is below ${band.low} (reference price ${ref} × ${band.downName} ${band.down}); ${tail}`,
      suggestion: fix,
    });
  }
  return fix;
}

/** MARKET by quoteOrderQty: the amount is the notional itself. */
export function checkQuoteOrderQty(
  quoteOrderQty: string,
  limits: readonly NotionalLimit[],
  quoteAsset: string | undefined,
  add: Report,
): void {
  const quote = quoteAsset ? ` ${quoteAsset}` : '';
  const range = withNotional({ step: '0' }, limits, '1', Math.max(8, D.decimalPlaces(quoteOrderQty)));
  const fix = closestValid(quoteOrderQty, range, 'down');
  for (const l of limits) {
    if (!breaks(quoteOrderQty, l)) continue;
    add({
      filter: l.filterType,
      field: 'quoteOrderQty',
      message: `quoteOrderQty ${quoteOrderQty}${quote} is ${l.kind === 'min' ? 'below' : 'above'} ${limitText(l, quote)}.`,
      suggestion: fix,
    });
  }
}

export interface QuantityCheck {
  quantity: string;
  lots: readonly LotRule[];
  limits: readonly NotionalLimit[];
  /** Price the notional is computed at as typed: the order's price, or the reference price for market-like types. */
  givenPrice: string | undefined;
  /** The same once the price is corrected. */
  correctedPrice: string | undefined;
  marketLike: boolean;
  quoteAsset: string | undefined;
}

/**
 * LOT_SIZE / MARKET_LOT_SIZE and the notional limits. The quantity's correction is the valid one
 * closest below it (raised only when a minimum needs it) at the corrected price; a notional
 * violation that the price correction alone resolves is reported on the price, and the quantity
 * is left as typed.
 */
export function checkQuantity(check: QuantityCheck, add: Report): void {
  const { quantity, lots, limits, givenPrice, correctedPrice, marketLike } = check;
  const quote = check.quoteAsset ? ` ${check.quoteAsset}` : '';
  const lotNames = lots.map((r) => r.filterType).join(' and ') || 'the lot rules';
  const lot = lotRange(lots);
  const lotFix = closestValid(quantity, lot, 'down');
  const range =
    correctedPrice === undefined
      ? lot
      : withNotional(lot, limits, correctedPrice, Math.max(8, D.decimalPlaces(quantity)));
  const fix = closestValid(quantity, range, 'down');

  for (const rule of lots) {
    const problems = rangeProblems(quantity, rule.minQty, rule.maxQty, rule.stepSize, ['minQty', 'maxQty', 'stepSize']);
    if (problems.length === 0) continue;
    // One suggestion per field: when the notional limits leave no quantity, none (the notional violation says why).
    const tail =
      fix !== undefined
        ? `a valid quantity is ${fix}`
        : lotFix !== undefined
          ? `${lotFix} would satisfy ${lotNames}, but no quantity meets the notional limits at this price`
          : `no quantity satisfies ${lotNames}`;
    add({
      filter: rule.filterType,
      field: 'quantity',
      message: `quantity ${quantity} ${joinProblems(problems)}; ${tail}.`,
      suggestion: fix,
    });
  }

  if (givenPrice === undefined || correctedPrice === undefined) return;
  const given = D.mul(givenPrice, quantity);
  // The order once the price and lot corrections are applied, before any notional correction.
  const after = lotFix === undefined ? undefined : D.mul(correctedPrice, lotFix);
  const priceChanged = !marketLike && !D.eq(givenPrice, correctedPrice);
  const what = `order value ${marketLike ? `${givenPrice} (reference price)` : givenPrice} × ${quantity} = ${given}${quote}`;
  for (const l of limits) {
    const brokenBefore = breaks(given, l);
    const brokenAfter = after !== undefined && breaks(after, l);
    if (!brokenBefore && !brokenAfter) continue;
    const side = l.kind === 'min' ? 'below' : 'above';
    if (brokenBefore && !brokenAfter && priceChanged && after !== undefined) {
      add({
        filter: l.filterType,
        field: 'price',
        message: `${what} is ${side} ${limitText(l, quote)}; once corrected to ${correctedPrice} × ${lotFix} it is ${after}${quote}.`,
        suggestion: correctedPrice,
      });
      continue;
    }
    const tail =
      fix === undefined
        ? `no quantity within ${lotNames} fixes it at ${correctedPrice}.`
        : `the ${l.kind === 'min' ? 'smallest' : 'largest'} valid quantity at ${correctedPrice} is ${fix}.`;
    const message = brokenBefore
      ? `${what} is ${side} ${limitText(l, quote)}; ${tail}`
      : `once corrected to ${correctedPrice} × ${lotFix}, the order value ${after}${quote} would be ${side} ${limitText(l, quote)}; ${tail}`;
    add({ filter: l.filterType, field: 'quantity', message, suggestion: fix });
  }
}

const breaks = (value: string, l: NotionalLimit): boolean =>
  l.kind === 'min' ? D.lt(value, l.limit) : D.gt(value, l.limit);

const limitText = (l: NotionalLimit, quote: string): string =>
  `${l.kind === 'min' ? 'minNotional' : 'maxNotional'} ${l.limit}${quote}`;

/** What is wrong with `value` against min/max/step (a zero field disables its rule). */
function rangeProblems(
  value: string,
  min: string,
  max: string,
  step: string,
  names: [string, string, string],
): string[] {
  const problems: string[] = [];
  const [minName, maxName, stepName] = names;
  if (!D.isZero(min) && D.lt(value, min)) problems.push(`is below ${minName} ${min}`);
  if (!D.isZero(max) && D.gt(value, max)) problems.push(`is above ${maxName} ${max}`);
  if (!D.isZero(step) && !D.isMultipleOf(value, step)) problems.push(`is not a multiple of ${stepName} ${step}`);
  return problems;
}

function joinProblems(problems: string[]): string {
  if (problems.length <= 1) return problems.join('');
  return `${problems.slice(0, -1).join(', ')} and ${problems[problems.length - 1]}`;
}
