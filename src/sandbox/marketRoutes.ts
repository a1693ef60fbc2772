/** The public market data endpoints of /api/v3 (no key needed). */
import { Dec, fmt } from './decimal';
import { PublicTrade } from './engine';
import { ApiError } from './errors';
import { symbolJson } from './format';
import { Candle, intervalClose, isKlineInterval, KlineInterval, selectCandles } from './klines';
import { aggregateTrades, averagePrice, bookTopJson, ticker24h } from './marketData';
import { Params } from './request';
import { PublicRoute, RestEnv } from './route';
import { limitParam, parseSymbolsParam, symbolParam } from './routeParams';

const one = (): number => 1;

function depthWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

const fmtLevel = (level: [Dec, Dec]): [string, string] => [fmtPrice(level[0]), fmtPrice(level[1])];
const fmtPrice = (v: Dec): string => fmt(v);

export const MARKET_ROUTES: Record<string, PublicRoute> = {
  'GET /api/v3/ping': { signed: false as const, weight: one, handle: () => ({}) },
  'GET /api/v3/time': { signed: false as const, weight: one, handle: (env) => ({ serverTime: env.now() }) },
  'GET /api/v3/exchangeInfo': {
    signed: false as const,
    weight: () => 20,
    handle: (env, p) => {
      const wanted = parseSymbolsParam(env, p);
      const symbols = env.engine.symbols().filter((s) => !wanted || wanted.includes(s.symbol));
      return {
        timezone: 'UTC',
        serverTime: env.now(),
        rateLimits: [
          { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: env.weights.limit },
          { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: env.orders.per10s },
          { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: env.orders.perDay },
          { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 300000 },
        ],
        exchangeFilters: [],
        symbols: symbols.map(symbolJson),
      };
    },
  },
  'GET /api/v3/ticker/price': {
    signed: false as const,
    weight: (p) => (p.has('symbol') ? 2 : 4),
    handle: (env, p) => {
      const wanted = parseSymbolsParam(env, p);
      const list = (wanted ?? env.engine.symbols().map((s) => s.symbol)).map((symbol) => ({
        symbol,
        price: fmtPrice(env.engine.lastPrice(symbol)),
      }));
      return p.has('symbol') ? list[0] : list;
    },
  },
  'GET /api/v3/depth': {
    signed: false as const,
    weight: (p) => {
      // A malformed limit is charged like the default one, then refused by the handler.
      try {
        return depthWeight(p.int('limit') ?? 100);
      } catch {
        return 5;
      }
    },
    handle: (env, p) => {
      const symbol = symbolParam(env, p);
      const limit = limitParam(p, 100, 5000);
      const { bids, asks } = env.engine.depth(symbol, limit);
      return { lastUpdateId: env.engine.updateId, bids: bids.map(fmtLevel), asks: asks.map(fmtLevel) };
    },
  },
  'GET /api/v3/trades': {
    signed: false as const,
    weight: () => 25,
    handle: (env, p) => {
      const symbol = symbolParam(env, p);
      return env.engine.publicTrades(symbol, limitParam(p, 500, 1000)).map(publicTradeJson);
    },
  },
  'GET /api/v3/historicalTrades': {
    signed: false as const,
    weight: () => 25,
    // Public docs: older trades from `fromId` (the most recent without it); limit default 500, max 1000.
    // Only the engine's last 1000 trades per symbol exist; earlier ids give what is left from there.
    handle: (env, p) => {
      const symbol = symbolParam(env, p);
      const limit = limitParam(p, 500, 1000);
      const fromId = p.int('fromId');
      const all = env.engine.publicTrades(symbol);
      const selected = fromId === undefined ? all.slice(-limit) : all.filter((t) => t.id >= fromId).slice(0, limit);
      return selected.map(publicTradeJson);
    },
  },
  'GET /api/v3/aggTrades': {
    signed: false as const,
    // Reference §10: 2 -> 4 on 2025-03-10.
    weight: () => 4,
    handle: (env, p) => aggTrades(env, p),
  },
  'GET /api/v3/ticker/bookTicker': {
    signed: false as const,
    weight: (p) => (p.has('symbol') ? 2 : 4),
    handle: (env, p) => {
      const wanted = parseSymbolsParam(env, p) ?? env.engine.symbols().map((s) => s.symbol);
      const list = wanted.map((symbol) => ({ symbol, ...bookTopJson(env.engine.bookTop(symbol)) }));
      return p.has('symbol') ? list[0] : list;
    },
  },
  'GET /api/v3/avgPrice': {
    signed: false as const,
    weight: () => 2,
    handle: (env, p) => {
      const avg = averagePrice(env.engine, symbolParam(env, p), env.now());
      return { mins: 5, price: fmt(avg.price), closeTime: avg.closeTime };
    },
  },
  'GET /api/v3/ticker/24hr': {
    signed: false as const,
    weight: tickerWeight,
    handle: (env, p) => {
      const type = tickerType(p);
      const wanted = parseSymbolsParam(env, p) ?? env.engine.symbols().map((s) => s.symbol);
      const list = wanted.map((symbol) => ticker24h(env.engine, symbol, env.now(), type));
      return p.has('symbol') ? list[0] : list;
    },
  },
  'GET /api/v3/klines': { signed: false as const, weight: () => 2, handle: (env, p) => klines(env, p) },
  // Public docs: uiKlines returns the same shape, "modified for presentation"; on the Spot Test
  // Network (reference §9) "these 2 requests always return the same data", and so does the sandbox.
  'GET /api/v3/uiKlines': { signed: false as const, weight: () => 2, handle: (env, p) => klines(env, p) },
};

function publicTradeJson(t: PublicTrade): Record<string, unknown> {
  return {
    id: t.id,
    price: fmt(t.price),
    qty: fmt(t.qty),
    quoteQty: fmt(t.quoteQty),
    time: t.time,
    isBuyerMaker: t.isBuyerMaker,
    isBestMatch: true,
  };
}

/**
 * Weight of ticker/24hr (public docs, not in the reference): 2 for one `symbol`; for `symbols`
 * 2 (1-20 symbols), 40 (21-100), 80 (101 or more); 80 without either. Never throws: a malformed
 * `symbols` is charged like a single symbol and then refused by the handler.
 */
export function tickerWeight(p: Params): number {
  if (p.has('symbol')) return 2;
  const many = p.str('symbols');
  if (many === undefined) return 80;
  let count = 1;
  try {
    const list: unknown = JSON.parse(many);
    if (Array.isArray(list)) count = list.length;
  } catch {
    count = 1;
  }
  return count <= 20 ? 2 : count <= 100 ? 40 : 80;
}

function tickerType(p: Params): 'FULL' | 'MINI' {
  const type = p.str('type') ?? 'FULL';
  if (type !== 'FULL' && type !== 'MINI')
    throw new ApiError(-1100, "Illegal characters found in parameter 'type'; legal range is 'FULL, MINI'.");
  return type;
}

/**
 * GET /api/v3/aggTrades (public docs): fills of one taker order at one price are one aggregate
 * {a, p, q, f, l, T, m, M}. fromId, startTime/endTime (at most 1 hour apart when both are sent,
 * else -1127), limit default 500, max 1000. Only the engine's recent trades (the last 1000) exist.
 */
function aggTrades(env: RestEnv, p: Params): unknown[] {
  const symbol = symbolParam(env, p);
  const fromId = p.int('fromId');
  const startTime = p.int('startTime');
  const endTime = p.int('endTime');
  const limit = limitParam(p, 500, 1000);
  if (startTime !== undefined && endTime !== undefined && endTime - startTime > 3_600_000) {
    throw new ApiError(-1127, 'More than 1 hours between startTime and endTime.');
  }
  let selected = aggregateTrades(env.engine.publicTrades(symbol)).filter(
    (a) =>
      (fromId === undefined || a.a >= fromId) &&
      (startTime === undefined || a.T >= startTime) &&
      (endTime === undefined || a.T <= endTime),
  );
  selected = fromId !== undefined || startTime !== undefined ? selected.slice(0, limit) : selected.slice(-limit);
  return selected.map((a) => ({ a: a.a, p: a.p, q: fmt(a.q), f: a.f, l: a.l, T: a.T, m: a.m, M: true }));
}

/**
 * klines `timeZone` (public docs): hours and minutes ("-1:00", "05:45") or hours ("0", "8"), within
 * -12:00..+14:00; intervals are then aligned in that zone. The sandbox keeps UTC candles only, so
 * it serves an offset only where it does not move the interval boundaries (e.g. 8 with 1m..8h) and
 * says so (-1100) otherwise; a malformed or out-of-range value is -1100 as well.
 */
function checkTimeZone(text: string | undefined, interval: KlineInterval): void {
  if (text === undefined) return;
  const m = /^([+-])?(\d{1,2})(?::(\d{2}))?$/.exec(text);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? '0')) : NaN;
  if (!m || Number(m[3] ?? '0') >= 60 || minutes < -12 * 60 || minutes > 14 * 60) {
    throw new ApiError(-1100, "Illegal characters found in parameter 'timeZone'; legal range is '-12:00 to +14:00'.");
  }
  if (minutes === 0) return;
  const length = intervalClose(interval, 0) + 1; // fixed intervals; 1w and 1M never divide an offset
  if (interval === '1w' || interval === '1M' || (minutes * 60_000) % length !== 0) {
    throw new ApiError(
      -1100,
      `The sandbox serves ${interval} klines in UTC only; timeZone=${text} would move their boundaries.`,
    );
  }
}

/** The kline row: 12 entries, decimals as strings, the last ("unused field") always "0". */
export function klineRow(c: Candle): unknown[] {
  return [
    c.openTime,
    fmt(c.open),
    fmt(c.high),
    fmt(c.low),
    fmt(c.close),
    fmt(c.volume),
    c.closeTime,
    fmt(c.quoteVolume),
    c.count,
    fmt(c.takerBuyBase),
    fmt(c.takerBuyQuote),
    '0',
  ];
}

/**
 * GET /api/v3/klines and /uiKlines (public docs): symbol and interval mandatory, limit default 500,
 * max 1000; an unknown interval is -1120 "Invalid interval.". startTime after endTime gives an
 * empty list here (the docs do not say; no candle can match). `timeZone`: see checkTimeZone.
 */
function klines(env: RestEnv, p: Params): unknown[] {
  const symbol = symbolParam(env, p);
  const interval = p.required('interval');
  if (!isKlineInterval(interval)) throw new ApiError(-1120, 'Invalid interval.');
  const startTime = p.int('startTime');
  const endTime = p.int('endTime');
  const limit = limitParam(p, 500, 1000);
  checkTimeZone(p.str('timeZone'), interval as KlineInterval);
  return selectCandles(env.engine.candles(symbol, interval as KlineInterval), startTime, endTime, limit).map(klineRow);
}
