/**
 * ccxt's binance class must work against the sandbox with only its URLs pointed at it and the
 * extra (sapi/futures/currencies) lookups switched off. Every TCP connection is checked.
 */
import * as assert from 'node:assert/strict';
import { useGuardedSandbox } from './guardedSandbox';
import { assertOnlySandboxContacted } from './loopbackGuard';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ccxt = require('ccxt') as typeof import('ccxt');

describe('compatibility: ccxt binance against the sandbox', function () {
  this.timeout(30000);
  const ctx = useGuardedSandbox();
  const requested: string[] = [];

  function exchangeFor(apiKey: string, secret: string): InstanceType<typeof ccxt.binance> {
    const exchange = new ccxt.binance({
      apiKey,
      secret,
      enableRateLimit: false,
      options: {
        defaultType: 'spot',
        fetchMarkets: { types: ['spot'] },
        fetchMargins: false,
        fetchCurrencies: false,
        adjustForTimeDifference: false,
      },
    });
    const api = exchange.urls.api as Record<string, string>;
    for (const key of Object.keys(api)) {
      // Only the spot /api/v3 family is served; anything else points at a dead loopback port so a
      // stray call fails loudly (and is still loopback).
      api[key] =
        key === 'public' || key === 'private' || key === 'v3'
          ? `${ctx.sb.baseUrl}/api/v3`
          : key === 'v1'
            ? `${ctx.sb.baseUrl}/api/v1`
            : 'http://127.0.0.1:9/unused';
    }
    const originalFetch = exchange.fetch.bind(exchange);
    exchange.fetch = (url: string, ...rest: unknown[]) => {
      requested.push(url);
      return (originalFetch as (...a: unknown[]) => Promise<unknown>)(url, ...rest);
    };
    return exchange;
  }

  it('loads markets, fetches balances, places, queries and cancels an order', async () => {
    const exchange = exchangeFor(ctx.sb.apiKey, ctx.sb.secret);
    const markets = await exchange.loadMarkets();
    assert.ok(markets['BTC/USDT'], 'BTC/USDT market');
    assert.equal(markets['BTC/USDT'].precision.price, 0.01);
    assert.equal(markets['BTC/USDT'].limits.amount?.min, 0.00001);

    const balance = await exchange.fetchBalance();
    assert.equal((balance.USDT as { free: number }).free, 10000);

    const order = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000);
    assert.equal(order.status, 'open');
    assert.ok(order.id);
    const fetched = await exchange.fetchOrder(order.id, 'BTC/USDT');
    assert.equal(fetched.id, order.id);
    assert.equal(fetched.price, 50000);
    assert.equal(fetched.amount, 0.001);
    const canceled = await exchange.cancelOrder(order.id, 'BTC/USDT');
    assert.equal(canceled.status, 'canceled');

    const market = await exchange.createOrder('ETH/USDT', 'market', 'buy', 0.01);
    assert.equal(market.status, 'closed');
    assert.equal(market.filled, 0.01);
    const after = await exchange.fetchBalance();
    assert.ok((after.ETH as { total: number }).total > 1);
  });

  it('maps sandbox errors to ccxt error classes', async () => {
    const exchange = exchangeFor(ctx.sb.apiKey, ctx.sb.secret);
    await exchange.loadMarkets();
    await assert.rejects(exchange.fetchOrder('424242', 'BTC/USDT'), ccxt.OrderNotFound);
    await assert.rejects(exchange.createOrder('BTC/USDT', 'limit', 'buy', 100, 50000), ccxt.InsufficientFunds);
    const wrongKey = exchangeFor('A'.repeat(64), 'B'.repeat(64));
    await wrongKey.loadMarkets();
    await assert.rejects(wrongKey.fetchBalance(), ccxt.AuthenticationError);
  });

  it('fetches OHLCV candles, tickers and recent trades built from the sandbox trades', async () => {
    const exchange = exchangeFor(ctx.sb.apiKey, ctx.sb.secret);
    await exchange.loadMarkets();
    const bought = await exchange.createOrder('BNB/USDT', 'market', 'buy', 0.05);
    assert.equal(bought.status, 'closed');
    const candles = await exchange.fetchOHLCV('BNB/USDT', '1m', undefined, 10);
    assert.ok(candles.length >= 1, JSON.stringify(candles));
    const [timestamp, open, high, low, close, volume] = candles[candles.length - 1] as number[];
    assert.equal(timestamp % 60_000, 0);
    assert.ok(low <= open && open <= high && low <= close && close <= high);
    assert.ok(volume >= 0.05 - 1e-9, String(volume));
    const hourly = await exchange.fetchOHLCV('BNB/USDT', '1h', Date.now() - 3_600_000);
    assert.equal(hourly.length, 1);
    const ticker = await exchange.fetchTicker('BNB/USDT');
    assert.equal(ticker.symbol, 'BNB/USDT');
    assert.equal(ticker.last, close);
    assert.ok((ticker.bid ?? 0) > 0 && (ticker.ask ?? 0) > (ticker.bid ?? 0));
    assert.ok((ticker.baseVolume ?? 0) >= 0.05 - 1e-9);
    const trades = await exchange.fetchTrades('BNB/USDT', undefined, 5);
    assert.ok(trades.length >= 1);
    assert.equal(trades[trades.length - 1].side, 'buy');
  });

  it('only ever requested the sandbox, over loopback', () => {
    assert.ok(requested.length > 0);
    for (const url of requested) assert.ok(url.startsWith(`${ctx.sb.baseUrl}/api/v3/`), url);
    assertOnlySandboxContacted(ctx.guard, ctx.sb.baseUrl);
  });
});

describe('compatibility: ccxt pro (WebSocket) binance against the sandbox streams', function () {
  this.timeout(30000);
  const ctx = useGuardedSandbox();

  it('watches trades, the order book (REST snapshot + diff depth), OHLCV and the ticker', async () => {
    const exchange = new ccxt.pro.binance({
      apiKey: ctx.sb.apiKey,
      secret: ctx.sb.secret,
      enableRateLimit: false,
      options: {
        defaultType: 'spot',
        fetchMarkets: { types: ['spot'] },
        fetchMargins: false,
        fetchCurrencies: false,
        adjustForTimeDifference: false,
      },
    });
    const api = exchange.urls.api as Record<string, unknown>;
    for (const key of Object.keys(api)) {
      if (key !== 'ws')
        api[key] =
          key === 'public' || key === 'private' || key === 'v3'
            ? `${ctx.sb.baseUrl}/api/v3`
            : 'http://127.0.0.1:9/unused';
    }
    const ws = api.ws as Record<string, unknown>;
    // Only the environment's streamUrl; everything else points at a dead loopback port.
    for (const key of Object.keys(ws)) ws[key] = key === 'spot' ? ctx.sb.streamUrl : 'ws://127.0.0.1:9/unused';
    try {
      await exchange.loadHttpProxyAgent(); // ccxt wants it before any ws:// (non-TLS) URL; nothing is fetched
      await exchange.loadMarkets();
      const trades = exchange.watchTrades('BTC/USDT');
      const candles = exchange.watchOHLCV('BTC/USDT', '1m');
      const ticker = exchange.watchTicker('BTC/USDT');
      const first = await exchange.watchOrderBook('BTC/USDT');
      assert.equal(first.bids.length, 5);
      await exchange.createOrder('BTC/USDT', 'market', 'buy', 0.001);
      const [t, c, k] = await Promise.all([trades, candles, ticker]);
      assert.equal(t[t.length - 1].side, 'buy');
      assert.equal(t[t.length - 1].amount, 0.001);
      assert.equal(c[c.length - 1][5], 0.001);
      assert.equal(k.last, t[t.length - 1].price);
      const placed = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 59990.01);
      let book = await exchange.watchOrderBook('BTC/USDT');
      for (let i = 0; i < 20 && !book.bids.some(([price]) => price === 59990.01); i++)
        book = await exchange.watchOrderBook('BTC/USDT');
      assert.deepEqual(book.bids[0], [59990.01, 0.01], 'the diff stream carried the new best bid');
      await exchange.cancelOrder(String(placed.id), 'BTC/USDT');
      for (let i = 0; i < 20 && book.bids.some(([price]) => price === 59990.01); i++)
        book = await exchange.watchOrderBook('BTC/USDT');
      assert.ok(!book.bids.some(([price]) => price === 59990.01), 'and its removal');
    } finally {
      await exchange.close();
    }
    assertOnlySandboxContacted(ctx.guard, ctx.sb.baseUrl);
  });
});
