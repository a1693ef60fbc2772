import { isKlineInterval, Kline, KlineInterval, PublicTrade, Ticker24h } from './marketEvents';

/**
 * The REST answers the market panel starts from (GET /api/v3/klines, /trades, /ticker/24hr), read
 * into the same types as the stream events (marketEvents.ts), so a snapshot and the live updates
 * after it are one shape. Pure; a format change throws TypeError naming the field.
 */

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, field: string): string => {
  if (typeof v !== 'string') throw new TypeError(`${field}: expected a decimal string, got ${typeof v}`);
  return v;
};
const num = (v: unknown, field: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${field}: expected a number, got ${typeof v}`);
  return v;
};

/**
 * One row of GET /api/v3/klines: [openTime, open, high, low, close, volume, closeTime, quoteVolume,
 * trades, takerBuyBase, takerBuyQuote, ignore]. The last row is still open when its close time has
 * not passed at `now` (the server's clock, as near as the caller knows it).
 */
export function parseRestKlines(rows: unknown, symbol: string, interval: KlineInterval, now: number): Kline[] {
  if (!Array.isArray(rows)) throw new TypeError('klines: expected a list of rows');
  if (!isKlineInterval(interval)) throw new TypeError(`klines: unknown interval ${String(interval)}`);
  return rows.map((row, i) => {
    if (!Array.isArray(row) || row.length < 9) throw new TypeError(`klines[${i}]: expected a row of at least 9 fields`);
    const closeTime = num(row[6], `klines[${i}].closeTime`);
    return {
      symbol,
      interval,
      openTime: num(row[0], `klines[${i}].openTime`),
      closeTime,
      open: str(row[1], `klines[${i}].open`),
      high: str(row[2], `klines[${i}].high`),
      low: str(row[3], `klines[${i}].low`),
      close: str(row[4], `klines[${i}].close`),
      volume: str(row[5], `klines[${i}].volume`),
      quoteVolume: str(row[7], `klines[${i}].quoteVolume`),
      trades: num(row[8], `klines[${i}].trades`),
      closed: closeTime < now,
    };
  });
}

/** GET /api/v3/trades: {id, price, qty, quoteQty, time, isBuyerMaker, isBestMatch}, oldest first. */
export function parseRestTrades(rows: unknown, symbol: string): PublicTrade[] {
  if (!Array.isArray(rows)) throw new TypeError('trades: expected a list');
  return rows.map((row, i) => {
    if (!isObject(row)) throw new TypeError(`trades[${i}]: expected an object`);
    return {
      symbol,
      id: num(row.id, `trades[${i}].id`),
      price: str(row.price, `trades[${i}].price`),
      quantity: str(row.qty, `trades[${i}].qty`),
      time: num(row.time, `trades[${i}].time`),
      buyerIsMaker: row.isBuyerMaker === true,
    };
  });
}

/** GET /api/v3/ticker/24hr?symbol= (type FULL). The REST answer has no event time: its closeTime stands in. */
export function parseRestTicker(raw: unknown): Ticker24h {
  if (!isObject(raw)) throw new TypeError('ticker: expected an object');
  const closeTime = num(raw.closeTime, 'ticker.closeTime');
  return {
    symbol: str(raw.symbol, 'ticker.symbol'),
    eventTime: closeTime,
    priceChange: str(raw.priceChange, 'ticker.priceChange'),
    priceChangePercent: str(raw.priceChangePercent, 'ticker.priceChangePercent'),
    weightedAvgPrice: str(raw.weightedAvgPrice, 'ticker.weightedAvgPrice'),
    lastPrice: str(raw.lastPrice, 'ticker.lastPrice'),
    lastQty: str(raw.lastQty, 'ticker.lastQty'),
    bidPrice: str(raw.bidPrice, 'ticker.bidPrice'),
    bidQty: str(raw.bidQty, 'ticker.bidQty'),
    askPrice: str(raw.askPrice, 'ticker.askPrice'),
    askQty: str(raw.askQty, 'ticker.askQty'),
    openPrice: str(raw.openPrice, 'ticker.openPrice'),
    highPrice: str(raw.highPrice, 'ticker.highPrice'),
    lowPrice: str(raw.lowPrice, 'ticker.lowPrice'),
    volume: str(raw.volume, 'ticker.volume'),
    quoteVolume: str(raw.quoteVolume, 'ticker.quoteVolume'),
    openTime: num(raw.openTime, 'ticker.openTime'),
    closeTime,
    count: num(raw.count, 'ticker.count'),
  };
}
