/**
 * Balance rows and their optional valuation in a quote asset, from the account response and the
 * ticker prices. Pure (no `vscode`), exact decimals.
 */
import type { Balance, TickerPrice } from '../../core/api';
import { add, div, isZero, mul } from '../../core/decimal';
import { formatAmount, formatValue } from '../format';

export interface BalanceRow {
  asset: string;
  free: string;
  locked: string;
  total: string;
  /** Value of `total` in the valuation asset, when a price path exists (never a made-up 0). */
  value?: string;
  /** The ticker price the value was computed from (absent for the valuation asset itself). */
  price?: PriceUsed;
}

/** A ticker price used for a valuation: ASSETQUOTE (value = total × price) or QUOTEASSET (value = total ÷ price). */
export interface PriceUsed {
  symbol: string;
  price: string;
  inverse: boolean;
}

/** Fraction digits kept when dividing by an inverse pair's price (far below anything displayed). */
const INVERSE_SCALE = 18;

export interface ValuedBalances {
  rows: BalanceRow[];
  /** Sum of the values that could be computed, in the valuation asset. */
  totalValue?: string;
  /** Assets for which no price was found (not included in totalValue). */
  unvalued: string[];
}

/** Non-zero balances (free or locked), sorted by asset. */
export function nonZeroBalances(balances: readonly Balance[]): BalanceRow[] {
  return balances
    .map((b) => ({ asset: b.asset, free: b.free, locked: b.locked, total: add(b.free, b.locked) }))
    .filter((row) => !isZero(row.total))
    .sort((a, b) => a.asset.localeCompare(b.asset));
}

/**
 * Values each row in `quote` using a direct pair (ASSETQUOTE: total × price) or the inverse pair
 * (QUOTEASSET: total ÷ price). Assets with neither pair stay unvalued rather than guessed.
 */
export function valueBalances(
  rows: readonly BalanceRow[],
  prices: readonly TickerPrice[],
  quote: string,
): ValuedBalances {
  const priceOf = new Map(prices.map((p) => [p.symbol, p.price]));
  const unvalued: string[] = [];
  let totalValue: string | undefined;
  const valued = rows.map((row): BalanceRow => {
    const rest: BalanceRow = { asset: row.asset, free: row.free, locked: row.locked, total: row.total };
    const found = valueOf(rest, quote, priceOf);
    if (found === undefined) {
      unvalued.push(row.asset);
      return rest;
    }
    totalValue = totalValue === undefined ? found.value : add(totalValue, found.value);
    return found.price ? { ...rest, value: found.value, price: found.price } : { ...rest, value: found.value };
  });
  return { rows: valued, totalValue, unvalued };
}

function valueOf(
  row: BalanceRow,
  quote: string,
  priceOf: Map<string, string>,
): { value: string; price?: PriceUsed } | undefined {
  if (row.asset === quote) return { value: row.total };
  const directSymbol = `${row.asset}${quote}`;
  const direct = priceOf.get(directSymbol);
  if (direct !== undefined && !isZero(direct))
    return { value: mul(row.total, direct), price: { symbol: directSymbol, price: direct, inverse: false } };
  const inverseSymbol = `${quote}${row.asset}`;
  const inverse = priceOf.get(inverseSymbol);
  if (inverse !== undefined && !isZero(inverse))
    return {
      value: div(row.total, inverse, INVERSE_SCALE, 'down'),
      price: { symbol: inverseSymbol, price: inverse, inverse: true },
    };
  return undefined;
}

/** The row's description: "free 1 · locked 0.5 · ≈ 60,000.00 USDT" (no value for an unpriced asset, never "≈ 0"). */
export function balanceDescription(row: BalanceRow, valuationAsset: string | undefined): string {
  const parts = [`free ${formatAmount(row.free)}`];
  if (!isZero(row.locked)) parts.push(`locked ${formatAmount(row.locked)}`);
  if (row.value !== undefined && valuationAsset && row.asset !== valuationAsset)
    parts.push(`≈ ${formatValue(row.value)} ${valuationAsset}`);
  return parts.join(' · ');
}

/** What a screen reader says for the row, as a sentence: "BTC: 1 free, 0.5 locked in open orders, worth about 60,000.00 USDT." */
export function balanceSentence(row: BalanceRow, valuationAsset: string | undefined): string {
  const parts = [`${formatAmount(row.free)} free`];
  if (!isZero(row.locked)) parts.push(`${formatAmount(row.locked)} locked in open orders`);
  if (row.value !== undefined && valuationAsset && row.asset !== valuationAsset)
    parts.push(`worth about ${formatValue(row.value)} ${valuationAsset}`);
  return `${row.asset}: ${parts.join(', ')}.`;
}

/** The balance tooltip's Markdown: free, locked and total, then the value and the price it used (or why there is none). */
export function balanceTooltip(
  row: BalanceRow,
  valuationAsset: string | undefined,
  pricesFrom: string | undefined,
): string {
  const lines = [
    `**${row.asset}**`,
    `Free: \`${formatAmount(row.free)}\``,
    `Locked (in open orders): \`${formatAmount(row.locked)}\``,
    `Total: \`${formatAmount(row.total)}\``,
  ];
  if (valuationAsset && row.asset !== valuationAsset) {
    if (row.value === undefined || !row.price) {
      lines.push(
        `Value: not shown, no ${valuationAsset} price for ${row.asset}${pricesFrom ? ` on ${pricesFrom}` : ''}.`,
      );
    } else {
      lines.push(`Value: ≈ \`${formatValue(row.value)}\` ${valuationAsset}`);
      const how = row.price.inverse
        ? `${formatAmount(row.total)} ÷ ${row.price.symbol} ${formatAmount(row.price.price, 18)}`
        : `${formatAmount(row.total)} × ${row.price.symbol} ${formatAmount(row.price.price, 18)}`;
      lines.push(`Price used: ${how}${pricesFrom ? ` (${pricesFrom} ticker)` : ''}`);
    }
  }
  return lines.join('\n\n');
}
