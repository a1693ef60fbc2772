import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { intervalClose, intervalOpen, KLINE_INTERVALS } from '../../src/sandbox/klines';
import { Creds, get, Reply, signed } from './httpHelpers';

const HOUR = 3_600_000;

function weightOf(reply: Reply): number {
  return Number(reply.headers['x-mbx-used-weight-1m']);
}

describe('sandbox HTTP: market data (klines, tickers, trades, weights)', function () {
  this.timeout(20000);
  let sb: SandboxHandle;
  let me: Creds;
  const fills: { price: string; qty: string; time: number }[] = [];

  before(async () => {
    sb = await startSandbox({ port: 0 });
    const fresh = sb.createAccount({ BTC: '1', USDT: '100000' });
    me = { kind: 'hmac', apiKey: fresh.apiKey, secret: fresh.secret };
    // One trade two hours ago (server clock moved back), two now: candles in two different hours.
    const trade = async (skew: number, side: string): Promise<void> => {
      sb.faults.setClockSkewMs(skew);
      const reply = await signed(sb.baseUrl, me, 'POST', '/api/v3/order', {
        body: { symbol: 'BTCUSDT', side, type: 'MARKET', quantity: '0.001', newOrderRespType: 'FULL' },
        timestamp: Date.now() + skew,
      });
      assert.equal(reply.status, 200, reply.text);
      for (const f of reply.json.fills) fills.push({ price: f.price, qty: f.qty, time: reply.json.transactTime });
    };
    await trade(-2 * HOUR, 'BUY');
    // Keep the two current trades inside one minute (and so one hour), whatever the wall clock.
    if (Date.now() % 60_000 > 57_000)
      await new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 50));
    await trade(0, 'BUY');
    await trade(0, 'SELL');
    sb.faults.clear();
  });
  after(() => sb.close());

  it('serves klines as arrays of 12 with string decimals, built from the actual trades', async () => {
    const reply = await get(sb.baseUrl, '/api/v3/klines', { symbol: 'BTCUSDT', interval: '1h' });
    assert.equal(reply.status, 200, reply.text);
    const rows = reply.json as unknown[][];
    assert.equal(rows.length, 2, 'two hours with trades, nothing for the empty hour between');
    for (const row of rows) {
      assert.equal(row.length, 12);
      assert.equal(typeof row[0], 'number');
      assert.equal(typeof row[6], 'number');
      assert.equal(typeof row[8], 'number');
      for (const i of [1, 2, 3, 4, 5, 7, 9, 10]) assert.match(row[i] as string, /^\d+\.\d{8}$/);
      assert.equal(row[11], '0');
      assert.equal((row[0] as number) % HOUR, 0);
      assert.equal(row[6], (row[0] as number) + HOUR - 1);
    }
    const [old, current] = rows;
    assert.equal(current[0], Math.floor(Date.now() / HOUR) * HOUR);
    assert.equal(old[4], fills[0].price, 'the old candle closes at its only trade');
    const nowFills = fills.filter((f) => f.time >= (current[0] as number));
    assert.equal(current[8], nowFills.length);
    const volume = nowFills.reduce((s, f) => s + Number(f.qty), 0);
    assert.equal(Number(current[5]).toFixed(8), volume.toFixed(8));
    assert.equal(current[1], nowFills[0].price);
    assert.equal(current[4], nowFills[nowFills.length - 1].price);
    const prices = nowFills.map((f) => Number(f.price));
    assert.equal(Number(current[2]), Math.max(...prices));
    assert.equal(Number(current[3]), Math.min(...prices));
    // The BUY was the taker buy; the SELL was not.
    assert.ok(Number(current[9]) > 0 && Number(current[9]) < Number(current[5]));

    const ui = await get(sb.baseUrl, '/api/v3/uiKlines', { symbol: 'BTCUSDT', interval: '1h' });
    assert.deepEqual(ui.json, reply.json);
  });

  it('applies startTime, endTime and limit, and returns nothing for a symbol without trades', async () => {
    const all = (await get(sb.baseUrl, '/api/v3/klines', { symbol: 'BTCUSDT', interval: '1m' })).json as number[][];
    assert.equal(all.length, 2);
    const latest = await get(sb.baseUrl, '/api/v3/klines', { symbol: 'BTCUSDT', interval: '1m', limit: 1 });
    assert.deepEqual(latest.json, [all[1]]);
    const first = await get(sb.baseUrl, '/api/v3/klines', {
      symbol: 'BTCUSDT',
      interval: '1m',
      startTime: 0,
      limit: 1,
    });
    assert.deepEqual(first.json, [all[0]]);
    const fromStart = await get(sb.baseUrl, '/api/v3/klines', {
      symbol: 'BTCUSDT',
      interval: '1m',
      startTime: all[0][0] + 1,
    });
    assert.deepEqual(fromStart.json, [all[1]]);
    const untilEnd = await get(sb.baseUrl, '/api/v3/klines', {
      symbol: 'BTCUSDT',
      interval: '1m',
      endTime: all[1][0] - 1,
    });
    assert.deepEqual(untilEnd.json, [all[0]]);
    const inverted = await get(sb.baseUrl, '/api/v3/klines', {
      symbol: 'BTCUSDT',
      interval: '1m',
      startTime: all[1][0],
      endTime: all[0][0],
    });
    assert.deepEqual(inverted.json, []);
    const empty = await get(sb.baseUrl, '/api/v3/klines', { symbol: 'ETHBTC', interval: '1d' });
    assert.deepEqual(empty.json, []);
    for (const interval of KLINE_INTERVALS) {
      const r = await get(sb.baseUrl, '/api/v3/klines', { symbol: 'BTCUSDT', interval, limit: 1000 });
      assert.equal(r.status, 200, `${interval}: ${r.text}`);
      assert.ok(r.json.length >= 1 && r.json.length <= 2, interval);
    }
  });

  it('refuses bad kline parameters with the real codes', async () => {
    const cases: [Record<string, string | number>, number, string][] = [
      [{ symbol: 'BTCUSDT', interval: '2m' }, -1120, 'Invalid interval.'],
      [{ symbol: 'BTCUSDT', interval: '1H' }, -1120, 'Invalid interval.'],
      [{ symbol: 'BTCUSDT' }, -1102, "Mandatory parameter 'interval' was not sent, was empty/null, or malformed."],
      [{ interval: '1m' }, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."],
      [{ symbol: 'NOPE', interval: '1m' }, -1121, 'Invalid symbol.'],
      [
        { symbol: 'BTCUSDT', interval: '1m', limit: 'ten' },
        -1100,
        "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.",
      ],
      [
        { symbol: 'BTCUSDT', interval: '1m', startTime: -5 },
        -1100,
        "Illegal characters found in parameter 'startTime'; legal range is '^[0-9]{1,20}$'.",
      ],
    ];
    for (const path of ['/api/v3/klines', '/api/v3/uiKlines']) {
      for (const [params, code, msg] of cases) {
        const reply = await get(sb.baseUrl, path, params);
        assert.equal(reply.status, 400, reply.text);
        assert.deepEqual(reply.json, { code, msg }, JSON.stringify(params));
      }
    }
    // timeZone: served where the offset keeps the boundaries, refused (not silently UTC) otherwise.
    const utc = await get(sb.baseUrl, '/api/v3/klines', { symbol: 'BTCUSDT', interval: '1h' });
    for (const [timeZone, interval] of [
      ['0', '1d'],
      ['+00:00', '1M'],
      ['8', '1h'],
      ['-3', '1m'],
      ['05:45', '15m'],
      ['+14:00', '2h'],
    ]) {
      const r = await get(sb.baseUrl, '/api/v3/klines', { symbol: 'BTCUSDT', interval, timeZone });
      assert.equal(r.status, 200, `${timeZone} ${interval}: ${r.text}`);
    }
    const same = await get(sb.baseUrl, '/api/v3/klines', { symbol: 'BTCUSDT', interval: '1h', timeZone: '8' });
    assert.deepEqual(same.json, utc.json);
    for (const [timeZone, interval] of [
      ['8', '1d'],
      ['05:45', '1h'],
      ['1', '1w'],
      ['3', '1M'],
    ]) {
      const r = await get(sb.baseUrl, '/api/v3/klines', { symbol: 'BTCUSDT', interval, timeZone });
      assert.equal(r.json.code, -1100, `${timeZone} ${interval}`);
      assert.match(r.json.msg, /UTC only/);
    }
    for (const timeZone of ['15', '-13', '8:60', 'UTC', '+8h']) {
      const r = await get(sb.baseUrl, '/api/v3/klines', { symbol: 'BTCUSDT', interval: '1m', timeZone });
      assert.deepEqual(
        r.json,
        { code: -1100, msg: "Illegal characters found in parameter 'timeZone'; legal range is '-12:00 to +14:00'." },
        timeZone,
      );
    }
    const alive = await get(sb.baseUrl, '/api/v3/ping');
    assert.equal(alive.status, 200);
  });

  it('serves 24hr tickers in FULL and MINI form, for one, some and all symbols', async () => {
    const full = await get(sb.baseUrl, '/api/v3/ticker/24hr', { symbol: 'BTCUSDT' });
    assert.deepEqual(Object.keys(full.json), [
      'symbol',
      'priceChange',
      'priceChangePercent',
      'weightedAvgPrice',
      'prevClosePrice',
      'lastPrice',
      'lastQty',
      'bidPrice',
      'bidQty',
      'askPrice',
      'askQty',
      'openPrice',
      'highPrice',
      'lowPrice',
      'volume',
      'quoteVolume',
      'openTime',
      'closeTime',
      'firstId',
      'lastId',
      'count',
    ]);
    assert.equal(full.json.count, fills.length);
    assert.equal(full.json.openPrice, fills[0].price);
    assert.equal(full.json.lastPrice, fills[fills.length - 1].price);
    assert.equal(full.json.lastId - full.json.firstId + 1, fills.length);
    const mini = await get(sb.baseUrl, '/api/v3/ticker/24hr', { symbol: 'BTCUSDT', type: 'MINI' });
    assert.deepEqual(Object.keys(mini.json), [
      'symbol',
      'openPrice',
      'highPrice',
      'lowPrice',
      'lastPrice',
      'volume',
      'quoteVolume',
      'openTime',
      'closeTime',
      'firstId',
      'lastId',
      'count',
    ]);
    assert.equal(mini.json.volume, full.json.volume);
    const some = await get(sb.baseUrl, '/api/v3/ticker/24hr', { symbols: '["BTCUSDT","ETHBTC"]', type: 'MINI' });
    assert.deepEqual(
      some.json.map((t: { symbol: string }) => t.symbol),
      ['BTCUSDT', 'ETHBTC'],
    );
    assert.equal(some.json[1].count, 0);
    assert.equal(some.json[1].firstId, -1);
    const all = await get(sb.baseUrl, '/api/v3/ticker/24hr', { type: 'FULL' });
    assert.equal(all.json.length, 4);
    const bad = await get(sb.baseUrl, '/api/v3/ticker/24hr', { symbol: 'BTCUSDT', type: 'TINY' });
    assert.deepEqual(bad.json, {
      code: -1100,
      msg: "Illegal characters found in parameter 'type'; legal range is 'FULL, MINI'.",
    });
    const both = await get(sb.baseUrl, '/api/v3/ticker/24hr', { symbol: 'BTCUSDT', symbols: '["BTCUSDT"]' });
    assert.equal(both.json.code, -1128);
    const badList = await get(sb.baseUrl, '/api/v3/ticker/24hr', { symbols: 'BTCUSDT' });
    assert.equal(badList.json.code, -1100);
  });

  it('serves bookTicker for one, some and all symbols, recent trades with limit, and avgPrice', async () => {
    const one = await get(sb.baseUrl, '/api/v3/ticker/bookTicker', { symbol: 'ETHUSDT' });
    assert.deepEqual(Object.keys(one.json), ['symbol', 'bidPrice', 'bidQty', 'askPrice', 'askQty']);
    const some = await get(sb.baseUrl, '/api/v3/ticker/bookTicker', { symbols: '["ETHUSDT","BTCUSDT"]' });
    assert.deepEqual(
      some.json.map((t: { symbol: string }) => t.symbol),
      ['ETHUSDT', 'BTCUSDT'],
    );
    const all = await get(sb.baseUrl, '/api/v3/ticker/bookTicker');
    assert.equal(all.json.length, 4);
    const trades = await get(sb.baseUrl, '/api/v3/trades', { symbol: 'BTCUSDT', limit: 2 });
    assert.equal(trades.json.length, 2);
    assert.deepEqual(Object.keys(trades.json[0]), [
      'id',
      'price',
      'qty',
      'quoteQty',
      'time',
      'isBuyerMaker',
      'isBestMatch',
    ]);
    assert.equal(trades.json[1].price, fills[fills.length - 1].price);
    const allTrades = await get(sb.baseUrl, '/api/v3/trades', { symbol: 'BTCUSDT' });
    assert.equal(allTrades.json.length, fills.length);
    const older = await get(sb.baseUrl, '/api/v3/historicalTrades', {
      symbol: 'BTCUSDT',
      fromId: allTrades.json[0].id,
      limit: 1,
    });
    assert.deepEqual(older.json, [allTrades.json[0]]);
    const latestOnly = await get(sb.baseUrl, '/api/v3/historicalTrades', { symbol: 'BTCUSDT', limit: 1 });
    assert.deepEqual(latestOnly.json, [allTrades.json[allTrades.json.length - 1]]);
    const avg = await get(sb.baseUrl, '/api/v3/avgPrice', { symbol: 'BTCUSDT' });
    assert.deepEqual(Object.keys(avg.json), ['mins', 'price', 'closeTime']);
    assert.equal(avg.json.mins, 5);
    const noSymbol = await get(sb.baseUrl, '/api/v3/avgPrice');
    assert.equal(noSymbol.json.code, -1102);
  });

  it('serves aggregate trades: one per taker order and price, with fromId, time range and limit', async () => {
    const trades = (await get(sb.baseUrl, '/api/v3/trades', { symbol: 'BTCUSDT' })).json as {
      id: number;
      qty: string;
    }[];
    const reply = await get(sb.baseUrl, '/api/v3/aggTrades', { symbol: 'BTCUSDT' });
    assert.equal(reply.status, 200, reply.text);
    const aggs = reply.json as {
      a: number;
      p: string;
      q: string;
      f: number;
      l: number;
      T: number;
      m: boolean;
      M: boolean;
    }[];
    assert.deepEqual(Object.keys(aggs[0]), ['a', 'p', 'q', 'f', 'l', 'T', 'm', 'M']);
    assert.equal(aggs.length, 3, 'three taker orders, one price level each');
    assert.deepEqual(
      aggs.map((a) => a.m),
      [false, false, true],
    );
    assert.equal(aggs[0].f, trades[0].id);
    assert.equal(aggs[aggs.length - 1].l, trades[trades.length - 1].id);
    const total = (xs: string[]): string => xs.reduce((s, q) => s + Number(q), 0).toFixed(8);
    assert.equal(total(aggs.map((a) => a.q)), total(trades.map((t) => t.qty)));
    const from = await get(sb.baseUrl, '/api/v3/aggTrades', { symbol: 'BTCUSDT', fromId: aggs[1].a, limit: 1 });
    assert.deepEqual(from.json, [aggs[1]]);
    // One clock reading: two could be 1 ms apart, a window over the 1-hour limit (-1127).
    const now = Date.now();
    const recent = await get(sb.baseUrl, '/api/v3/aggTrades', {
      symbol: 'BTCUSDT',
      startTime: now - HOUR,
      endTime: now,
    });
    assert.deepEqual(recent.json, aggs.slice(1));
    const tooWide = await get(sb.baseUrl, '/api/v3/aggTrades', { symbol: 'BTCUSDT', startTime: 0, endTime: 2 * HOUR });
    assert.equal(tooWide.json.code, -1127);
  });

  it('charges the documented request weights', async () => {
    const cases: [string, Record<string, string | number>, number][] = [
      ['/api/v3/klines', { symbol: 'BTCUSDT', interval: '1m' }, 2],
      ['/api/v3/uiKlines', { symbol: 'BTCUSDT', interval: '1m' }, 2],
      ['/api/v3/avgPrice', { symbol: 'BTCUSDT' }, 2],
      ['/api/v3/trades', { symbol: 'BTCUSDT' }, 25],
      ['/api/v3/aggTrades', { symbol: 'BTCUSDT' }, 4],
      ['/api/v3/historicalTrades', { symbol: 'BTCUSDT' }, 25],
      ['/api/v3/ticker/bookTicker', { symbol: 'BTCUSDT' }, 2],
      ['/api/v3/ticker/bookTicker', {}, 4],
      ['/api/v3/ticker/bookTicker', { symbols: '["BTCUSDT"]' }, 4],
      ['/api/v3/ticker/24hr', { symbol: 'BTCUSDT' }, 2],
      ['/api/v3/ticker/24hr', { symbols: '["BTCUSDT","ETHUSDT"]' }, 2],
      ['/api/v3/ticker/24hr', { type: 'MINI' }, 80],
      ['/api/v3/ticker/24hr', {}, 80],
      ['/api/v3/klines', { symbol: 'BTCUSDT', interval: 'nope' }, 2],
    ];
    for (const [path, params, weight] of cases) {
      const before = weightOf(await get(sb.baseUrl, '/api/v3/ping'));
      const reply = await get(sb.baseUrl, path, params);
      // Two windows could straddle a minute boundary; retry once if the counter restarted.
      const used = weightOf(reply) - before;
      if (used < 0) continue;
      assert.equal(used, weight, `${path} ${JSON.stringify(params)}`);
    }
  });

  it('answers random parameters on every market data endpoint with 200 or a coded 400, never a crash (fuzz)', async () => {
    const fuzz = await startSandbox({ port: 0, rateLimits: { weightPerMinute: 1_000_000_000 } });
    try {
      const paths = [
        '/api/v3/klines',
        '/api/v3/uiKlines',
        '/api/v3/aggTrades',
        '/api/v3/trades',
        '/api/v3/historicalTrades',
        '/api/v3/ticker/24hr',
        '/api/v3/ticker/bookTicker',
        '/api/v3/avgPrice',
        '/api/v3/depth',
      ];
      const names = fc.constantFrom(
        'symbol',
        'symbols',
        'interval',
        'limit',
        'startTime',
        'endTime',
        'fromId',
        'type',
        'timeZone',
      );
      const values = fc.oneof(
        fc.string(),
        fc.constantFrom(
          'BTCUSDT',
          'btcusdt',
          '1m',
          '1M',
          '1w',
          '-1',
          '0',
          '99999999999999999999',
          '["BTCUSDT"]',
          '[]',
          '["NOPE"]',
          'MINI',
          '+08:00',
          '1e3',
        ),
        fc.integer().map(String),
        fc.nat().map(String),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...paths), fc.dictionary(names, values), async (path, params) => {
          const reply = await get(fuzz.baseUrl, path, params);
          assert.ok(
            reply.status === 200 || reply.status === 400,
            `${path} ${JSON.stringify(params)} -> ${reply.status} ${reply.text}`,
          );
          if (reply.status === 400) assert.equal(typeof reply.json.code, 'number');
        }),
        { numRuns: 200 },
      );
    } finally {
      await fuzz.close();
    }
  });

  it('aligns intervals like Binance (UTC; weeks on Monday, months on the 1st, 3d on epoch multiples)', () => {
    const t = Date.UTC(2026, 10, 25, 8, 17, 15, 123); // a Wednesday
    assert.equal(intervalOpen('1s', t), Date.UTC(2026, 10, 25, 8, 17, 15));
    assert.equal(intervalOpen('15m', t), Date.UTC(2026, 10, 25, 8, 15));
    assert.equal(intervalOpen('8h', t), Date.UTC(2026, 10, 25, 8));
    assert.equal(intervalOpen('1w', t), Date.UTC(2026, 10, 23));
    assert.equal(new Date(intervalOpen('1w', t)).getUTCDay(), 1);
    assert.equal(intervalOpen('1M', t), Date.UTC(2026, 10, 1));
    assert.equal(intervalClose('1M', Date.UTC(2026, 1, 1)), Date.UTC(2026, 2, 1) - 1);
    assert.equal(intervalOpen('3d', t) % (3 * 86_400_000), 0);
    assert.equal(intervalClose('1w', intervalOpen('1w', t)), Date.UTC(2026, 10, 30) - 1);
  });
});
