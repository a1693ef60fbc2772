import type { DepthDiff } from './orderBook';

/**
 * Typed market stream events and the parsing of Binance's combined-stream payloads into them
 * (field letters from web-socket-streams.md). Pure: the webview bundle can share these types.
 */

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

export function isKlineInterval(value: string): value is KlineInterval {
  return (KLINE_INTERVALS as readonly string[]).includes(value);
}

/** One candle; decimals stay strings. `closed` is false while the interval runs. */
export interface Kline {
  symbol: string;
  interval: KlineInterval;
  openTime: number;
  closeTime: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  quoteVolume: string;
  trades: number;
  closed: boolean;
}

export interface PublicTrade {
  symbol: string;
  id: number;
  price: string;
  quantity: string;
  time: number;
  /** The buyer was the maker: the taker sold. */
  buyerIsMaker: boolean;
}

export interface Ticker24h {
  symbol: string;
  eventTime: number;
  priceChange: string;
  priceChangePercent: string;
  weightedAvgPrice: string;
  lastPrice: string;
  lastQty: string;
  bidPrice: string;
  bidQty: string;
  askPrice: string;
  askQty: string;
  openPrice: string;
  highPrice: string;
  lowPrice: string;
  volume: string;
  quoteVolume: string;
  openTime: number;
  closeTime: number;
  count: number;
}

export type StreamPayload =
  | { kind: 'kline'; kline: Kline }
  | { kind: 'trade'; trade: PublicTrade }
  | { kind: 'ticker'; ticker: Ticker24h }
  | { kind: 'depth'; symbol: string; diff: DepthDiff };

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => {
  if (typeof v !== 'string') throw new TypeError(`expected a decimal string, got ${typeof v}`);
  return v;
};
const num = (v: unknown): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`expected a number, got ${typeof v}`);
  return v;
};
const levels = (v: unknown): [string, string][] => {
  if (!Array.isArray(v)) throw new TypeError('expected a list of [price, quantity]');
  return v.map((level) => {
    if (!Array.isArray(level) || level.length < 2) throw new TypeError('expected [price, quantity]');
    return [str(level[0]), str(level[1])];
  });
};

/**
 * Reads one event (the `data` of a combined-stream frame). Undefined for an event type this model
 * does not use; throws TypeError when a known event lacks a field, so a format change is noticed.
 */
export function parseStreamPayload(data: unknown): StreamPayload | undefined {
  if (!isObject(data)) return undefined;
  switch (data.e) {
    case 'kline': {
      const k = data.k;
      if (!isObject(k)) throw new TypeError('kline event without k');
      const interval = str(k.i);
      if (!isKlineInterval(interval)) throw new TypeError(`unknown kline interval ${interval}`);
      return {
        kind: 'kline',
        kline: {
          symbol: str(data.s),
          interval,
          openTime: num(k.t),
          closeTime: num(k.T),
          open: str(k.o),
          high: str(k.h),
          low: str(k.l),
          close: str(k.c),
          volume: str(k.v),
          quoteVolume: str(k.q),
          trades: num(k.n),
          closed: k.x === true,
        },
      };
    }
    case 'trade':
      return {
        kind: 'trade',
        trade: {
          symbol: str(data.s),
          id: num(data.t),
          price: str(data.p),
          quantity: str(data.q),
          time: num(data.T),
          buyerIsMaker: data.m === true,
        },
      };
    case '24hrTicker':
      return {
        kind: 'ticker',
        ticker: {
          symbol: str(data.s),
          eventTime: num(data.E),
          priceChange: str(data.p),
          priceChangePercent: str(data.P),
          weightedAvgPrice: str(data.w),
          lastPrice: str(data.c),
          lastQty: str(data.Q),
          bidPrice: str(data.b),
          bidQty: str(data.B),
          askPrice: str(data.a),
          askQty: str(data.A),
          openPrice: str(data.o),
          highPrice: str(data.h),
          lowPrice: str(data.l),
          volume: str(data.v),
          quoteVolume: str(data.q),
          openTime: num(data.O),
          closeTime: num(data.C),
          count: num(data.n),
        },
      };
    case 'depthUpdate':
      return {
        kind: 'depth',
        symbol: str(data.s),
        diff: { U: num(data.U), u: num(data.u), b: levels(data.b), a: levels(data.a) },
      };
    default:
      return undefined;
  }
}
