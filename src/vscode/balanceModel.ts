/**
 * Balance rows and their optional valuation in a quote asset, from the account response and the
 * ticker prices. Pure (no `vscode`), exact decimals.
 */
import type { Balance, TickerPrice } from '../core/api';
import { add, div, isZero, mul } from '../core/decimal';

export interface BalanceRow {
  asset: string;
  free: string;
  locked: string;
  total: string;
  /** Value of `total` in the valuation asset, when a price path exists. */
  value?: string;
}

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
export function valueBalances(rows: readonly BalanceRow[], prices: readonly TickerPrice[], quote: string): ValuedBalances {
  const priceOf = new Map(prices.map((p) => [p.symbol, p.price]));
  const unvalued: string[] = [];
  let totalValue: string | undefined;
  const valued = rows.map((row) => {
    const value = valueOf(row, quote, priceOf);
    if (value === undefined) unvalued.push(row.asset);
    else totalValue = totalValue === undefined ? value : add(totalValue, value);
    return value === undefined ? { ...row } : { ...row, value };
  });
  return { rows: valued, totalValue, unvalued };
}

function valueOf(row: BalanceRow, quote: string, priceOf: Map<string, string>): string | undefined {
  if (row.asset === quote) return row.total;
  const direct = priceOf.get(`${row.asset}${quote}`);
  if (direct !== undefined && !isZero(direct)) return mul(row.total, direct);
  const inverse = priceOf.get(`${quote}${row.asset}`);
  if (inverse !== undefined && !isZero(inverse)) return div(row.total, inverse, 8, 'down');
  return undefined;
}
