/** How much closed history the engine keeps in memory (open orders are always kept). */
export interface Retention {
  /** Closed orders (filled, canceled, expired) and ended order lists kept, over all accounts; the oldest closed go first. */
  closedOrders: number;
  /** Trades of accounts (myTrades) kept, over all accounts; the oldest go first. */
  trades: number;
  /** Candles kept per symbol and interval (1m keeps at least 1,500: the 24 h ticker reads a day of them). */
  candles: number;
}

/** Defaults: documented in src/sandbox/README-seed.md and the README. */
export const DEFAULT_RETENTION: Retention = { closedOrders: 100_000, trades: 100_000, candles: 1000 };

/** Fills in the defaults; throws a readable error for a bound that is not a whole number >= 1. */
export function resolveRetention(partial: Partial<Retention> = {}): Retention {
  const resolved: Retention = {
    closedOrders: partial.closedOrders ?? DEFAULT_RETENTION.closedOrders,
    trades: partial.trades ?? DEFAULT_RETENTION.trades,
    candles: partial.candles ?? DEFAULT_RETENTION.candles,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`retention.${name} must be a whole number of at least 1 (got ${String(value)})`);
  }
  return resolved;
}
