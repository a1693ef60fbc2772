/**
 * Market data computed from the engine's trades and candles: the average price, the rolling 24 h
 * ticker and aggregate trades. One implementation for REST, the WebSocket API and the streams.
 */
import { Dec, div, fmt } from './decimal';
import { BookTop, Engine, PublicTrade } from './engine';

/** Volume-weighted price of the last 5 minutes' trades (the last price without any), and the last trade time. */
export function averagePrice(engine: Engine, symbol: string, now: number): { price: Dec; closeTime: number } {
  const recent = engine.publicTrades(symbol).filter((t) => t.time >= now - 5 * 60_000);
  const qty = recent.reduce((sum, t) => sum + t.qty, 0n);
  const quote = recent.reduce((sum, t) => sum + t.quoteQty, 0n);
  const price = qty > 0n ? div(quote, qty) : engine.lastPrice(symbol);
  return { price, closeTime: recent.length > 0 ? recent[recent.length - 1].time : now };
}

/** One aggregate trade: fills of one taker order at one price (public docs' field names). */
export interface AggregateTrade {
  /** Aggregate id. */
  a: number;
  /** Price, formatted. */
  p: string;
  q: Dec;
  /** First and last trade id. */
  f: number;
  l: number;
  /** Time of the first trade. */
  T: number;
  /** Was the buyer the maker? */
  m: boolean;
}

/** Groups consecutive trades that share an aggregate id, oldest first. */
export function aggregateTrades(trades: readonly PublicTrade[]): AggregateTrade[] {
  const out: AggregateTrade[] = [];
  for (const t of trades) {
    const last = out[out.length - 1];
    if (last && last.a === t.aggId) {
      last.q += t.qty;
      last.l = t.id;
    } else out.push({ a: t.aggId, p: fmt(t.price), q: t.qty, f: t.id, l: t.id, T: t.time, m: t.isBuyerMaker });
  }
  return out;
}

/**
 * Rolling 24 h statistics from the symbol's 1-minute candles (a day of them is kept), so they stay
 * right however many trades happened. Minute granularity at the window's start, like the real
 * rolling window's. Without trades in the window the prices are the last price and counts are 0.
 */
export function ticker24h(
  engine: Engine,
  symbol: string,
  now: number,
  type: 'FULL' | 'MINI' = 'FULL',
): Record<string, unknown> {
  const from = now - 86_400_000;
  const minutes = engine.candles(symbol, '1m');
  let firstIndex = minutes.length;
  while (firstIndex > 0 && minutes[firstIndex - 1].closeTime >= from) firstIndex--;
  const window = minutes.slice(firstIndex).filter((c) => c.openTime <= now);
  const last = engine.lastPrice(symbol);
  const previous = minutes[firstIndex - 1];
  const open = window[0]?.open ?? last;
  let high = window[0]?.high ?? last;
  let low = window[0]?.low ?? last;
  let volume = 0n;
  let quoteVolume = 0n;
  let count = 0;
  for (const c of window) {
    if (c.high > high) high = c.high;
    if (c.low < low) low = c.low;
    volume += c.volume;
    quoteVolume += c.quoteVolume;
    count += c.count;
  }
  const firstId = window[0]?.firstId ?? -1;
  const lastId = window[window.length - 1]?.lastId ?? -1;
  // Both types end with the same fields, in Binance's order.
  const tail = {
    volume: fmt(volume),
    quoteVolume: fmt(quoteVolume),
    openTime: from,
    closeTime: now,
    firstId,
    lastId,
    count,
  };
  if (type === 'MINI') {
    return { symbol, openPrice: fmt(open), highPrice: fmt(high), lowPrice: fmt(low), lastPrice: fmt(last), ...tail };
  }
  const change = last - open;
  const top = engine.bookTop(symbol);
  return {
    symbol,
    priceChange: fmt(change),
    priceChangePercent: open > 0n ? fmt(div(change * 100n, open), 3) : '0.000',
    weightedAvgPrice: fmt(volume > 0n ? div(quoteVolume, volume) : last),
    prevClosePrice: fmt(previous?.close ?? open),
    lastPrice: fmt(last),
    lastQty: fmt(window.length > 0 ? (engine.lastTrade(symbol)?.qty ?? 0n) : 0n),
    ...bookTopJson(top),
    openPrice: fmt(open),
    highPrice: fmt(high),
    lowPrice: fmt(low),
    ...tail,
  };
}

/** Best bid and ask as the ticker answers carry them. */
export function bookTopJson(top: BookTop): { bidPrice: string; bidQty: string; askPrice: string; askQty: string } {
  return { bidPrice: fmt(top.bidPrice), bidQty: fmt(top.bidQty), askPrice: fmt(top.askPrice), askQty: fmt(top.askQty) };
}
