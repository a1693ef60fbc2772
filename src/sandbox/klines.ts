/**
 * Candlesticks (klines) built incrementally from the engine's actual trades, one bounded series per
 * interval, so memory stays flat however long the sandbox runs. Intervals are aligned like
 * Binance's (UTC): fixed-length ones to the Unix epoch (so `3d` starts on epoch multiples of
 * 3 days, which is what the public API does), `1w` on Mondays 00:00 UTC, `1M` on the first of
 * each month. Like the real API, an interval without trades has no candle (none is returned).
 */
import { Dec, ZERO } from './decimal';

export const KLINE_INTERVALS = [
  '1s',
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
  '1M',
] as const;
export type KlineInterval = (typeof KLINE_INTERVALS)[number];

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 1970-01-05 was the first Monday after the epoch. */
const FIRST_MONDAY = 4 * DAY;

const FIXED: Record<string, number> = {
  '1s': SECOND,
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': HOUR,
  '2h': 2 * HOUR,
  '4h': 4 * HOUR,
  '6h': 6 * HOUR,
  '8h': 8 * HOUR,
  '12h': 12 * HOUR,
  '1d': DAY,
  '3d': 3 * DAY,
};

export function isKlineInterval(text: string): text is KlineInterval {
  return (KLINE_INTERVALS as readonly string[]).includes(text);
}

/** Open time of the interval that contains `time` (ms). */
export function intervalOpen(interval: KlineInterval, time: number): number {
  if (interval === '1M') {
    const d = new Date(time);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  if (interval === '1w') return Math.floor((time - FIRST_MONDAY) / (7 * DAY)) * 7 * DAY + FIRST_MONDAY;
  const length = FIXED[interval];
  return Math.floor(time / length) * length;
}

/** Close time of the interval that opens at `open`: the next open minus 1 ms. */
export function intervalClose(interval: KlineInterval, open: number): number {
  if (interval === '1M') {
    const d = new Date(open);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1;
  }
  if (interval === '1w') return open + 7 * DAY - 1;
  return open + FIXED[interval] - 1;
}

export interface Candle {
  openTime: number;
  closeTime: number;
  open: Dec;
  high: Dec;
  low: Dec;
  close: Dec;
  volume: Dec;
  quoteVolume: Dec;
  count: number;
  takerBuyBase: Dec;
  takerBuyQuote: Dec;
  firstId: number;
  lastId: number;
}

export interface CandleTrade {
  id: number;
  price: Dec;
  qty: Dec;
  quoteQty: Dec;
  time: number;
  isBuyerMaker: boolean;
}

/** Candles kept per interval: the REST maximum (1000), 1m a day's worth for the 24 h ticker. */
export function candlesKept(interval: KlineInterval): number {
  return interval === '1m' ? 1500 : 1000;
}

export class CandleStore {
  private readonly series = new Map<KlineInterval, Candle[]>();

  /** `kept`: candles per interval (1m keeps at least candlesKept('1m'), a day for the 24 h ticker). */
  constructor(private readonly kept?: number) {
    for (const interval of KLINE_INTERVALS) this.series.set(interval, []);
  }

  add(trade: CandleTrade): void {
    for (const interval of KLINE_INTERVALS) {
      const list = this.series.get(interval)!;
      const open = intervalOpen(interval, trade.time);
      // Usually the last candle; a clock moved backwards (fault injection) may hit an older one.
      let i = list.length - 1;
      while (i >= 0 && list[i].openTime > open) i--;
      const candle = i >= 0 && list[i].openTime === open ? list[i] : undefined;
      if (candle) {
        if (trade.price > candle.high) candle.high = trade.price;
        if (trade.price < candle.low) candle.low = trade.price;
        candle.close = trade.price;
        candle.volume += trade.qty;
        candle.quoteVolume += trade.quoteQty;
        candle.count++;
        if (!trade.isBuyerMaker) {
          candle.takerBuyBase += trade.qty;
          candle.takerBuyQuote += trade.quoteQty;
        }
        candle.lastId = Math.max(candle.lastId, trade.id);
        candle.firstId = Math.min(candle.firstId, trade.id);
        continue;
      }
      const fresh: Candle = {
        openTime: open,
        closeTime: intervalClose(interval, open),
        open: trade.price,
        high: trade.price,
        low: trade.price,
        close: trade.price,
        volume: trade.qty,
        quoteVolume: trade.quoteQty,
        count: 1,
        takerBuyBase: trade.isBuyerMaker ? ZERO : trade.qty,
        takerBuyQuote: trade.isBuyerMaker ? ZERO : trade.quoteQty,
        firstId: trade.id,
        lastId: trade.id,
      };
      list.splice(i + 1, 0, fresh);
      const kept =
        this.kept === undefined
          ? candlesKept(interval)
          : interval === '1m'
            ? Math.max(this.kept, candlesKept('1m'))
            : this.kept;
      if (list.length > kept) list.splice(0, list.length - kept);
    }
  }

  /** Every series, for a snapshot of the engine (the live arrays). */
  state(): Map<KlineInterval, Candle[]> {
    return this.series;
  }

  /** Takes over the series of a snapshot (state()); intervals it lacks start empty. */
  restore(series: Map<KlineInterval, Candle[]>): void {
    for (const interval of KLINE_INTERVALS) this.series.set(interval, series.get(interval) ?? []);
  }

  /** Candles oldest first (the live array: callers must not mutate it). */
  list(interval: KlineInterval): readonly Candle[] {
    return this.series.get(interval)!;
  }

  /** The newest candle of an interval, if any trade ever happened. */
  latest(interval: KlineInterval): Candle | undefined {
    const list = this.series.get(interval)!;
    return list[list.length - 1];
  }
}

/**
 * The REST selection rules (public docs for GET /api/v3/klines): without startTime/endTime the
 * most recent `limit` candles; candles whose open time is >= startTime and <= endTime; with a
 * startTime the first `limit` from there, otherwise the last `limit`.
 */
export function selectCandles(
  list: readonly Candle[],
  startTime: number | undefined,
  endTime: number | undefined,
  limit: number,
): Candle[] {
  const within = list.filter(
    (c) => (startTime === undefined || c.openTime >= startTime) && (endTime === undefined || c.openTime <= endTime),
  );
  return startTime !== undefined ? within.slice(0, limit) : within.slice(Math.max(0, within.length - limit));
}
