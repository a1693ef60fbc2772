/**
 * Which part of the book the ladder shows, and whether a diff can change it. Most diffs of a busy
 * book touch levels far from the top; those cost the ladder nothing.
 */
import * as D from '../../../core/decimal';
import type { BookLevel } from '../../../core/market/bookSide';

/** Levels shown per side. */
export const LADDER_DEPTH = 12;

/**
 * Whether changing `changed` levels of a side can alter its best `depth` levels, given the prices
 * shown now (best first). With fewer than `depth` rows any change can add one; otherwise only a
 * level at or better than the worst shown price can.
 */
export function changeTouchesWindow(
  side: 'bids' | 'asks',
  changed: readonly BookLevel[],
  shownPrices: readonly string[],
  depth = LADDER_DEPTH,
): boolean {
  if (changed.length === 0) return false;
  if (shownPrices.length < depth) return true;
  const worst = shownPrices[shownPrices.length - 1];
  return changed.some(([price]) => (side === 'bids' ? D.gte(price, worst) : D.lte(price, worst)));
}

/** A row's key: the canonical price, so "60000.10" and "60000.1" are one row. */
export const levelKey = (price: string): string => D.normalize(price);
