/**
 * Recognises the monthly Spot Testnet reset from two account snapshots, so a sudden balance drop
 * can be explained instead of looking like a bug. Pure (no `vscode`).
 *
 * On a reset every account gets a fresh allowance of all assets and all orders disappear, without
 * notice. Signs used: open orders vanished, or most held assets changed at once while nothing is
 * locked (nothing in an open order).
 */
import { eq } from '../../core/decimal';

export interface AccountSnapshot {
  /** asset → free + locked */
  totals: Record<string, string>;
  /** asset → locked */
  locked: Record<string, string>;
  /** Open orders seen with this snapshot, when the Orders view loaded them. */
  openOrderCount?: number;
  takenAt: number;
}

export function looksLikeTestnetReset(previous: AccountSnapshot | undefined, next: AccountSnapshot): boolean {
  if (!previous) return false;
  const nothingLocked = Object.values(next.locked).every((v) => eq(v, '0'));
  if (!nothingLocked) return false;
  const ordersVanished =
    previous.openOrderCount !== undefined && previous.openOrderCount > 0 && next.openOrderCount === 0;
  const { changed, share } = changes(previous, next);
  // One trade changes two or three assets (base, quote, fee asset); a reset changes most of them.
  return (changed >= 4 && share >= 0.5) || (ordersVanished && changed >= 2 && share >= 0.5);
}

function changes(previous: AccountSnapshot, next: AccountSnapshot): { changed: number; share: number } {
  const assets = new Set([...Object.keys(previous.totals), ...Object.keys(next.totals)]);
  if (assets.size === 0) return { changed: 0, share: 0 };
  let changed = 0;
  for (const asset of assets) {
    if (!eq(previous.totals[asset] ?? '0', next.totals[asset] ?? '0')) changed++;
  }
  return { changed, share: changed / assets.size };
}
