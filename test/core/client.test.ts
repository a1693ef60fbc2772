import assert from 'node:assert/strict';
import { RequestLog, SpotClient, SpotClientOptions } from '../../src/core/client';
import { localSandbox, SPOT_TESTNET } from '../../src/core/environments';
import {
  BinanceApiError,
  ClientUsageError,
  NoCredentialError,
  OrderOutcomeUnknownError,
  RateLimitBackoffError,
} from '../../src/core/errors';
import { ClientOrderIdError, CLIENT_ORDER_ID_PATTERN } from '../../src/core/orderIds';
import { TransportError } from '../../src/core/transport';
import { hmacCredential, TEST_API_KEY } from '../support/credentials';
import { json, paramsOf, RecordingTransport } from '../support/recordingTransport';

const ORDER = {
  symbol: 'BTCUSDT',
  orderId: 7,
  orderListId: -1,
  clientOrderId: 'x',
  price: '1',
  origQty: '1',
  executedQty: '0',
  cummulativeQuoteQty: '0',
  status: 'NEW',
  timeInForce: 'GTC',
  type: 'LIMIT',
  side: 'BUY',
  time: 1,
  updateTime: 1,
  isWorking: true,
  origQuoteOrderQty: '0',
};
const ACCOUNT = {
  makerCommission: 0,
  takerCommission: 0,
  canTrade: true,
  accountType: 'SPOT',
  updateTime: 1,
  balances: [{ asset: 'BTC', free: '1.00000000', locked: '0.00000000' }],
};
const LIMIT_ORDER = {
  symbol: 'BTCUSDT',
  side: 'BUY' as const,
  type: 'LIMIT' as const,
  timeInForce: 'GTC' as const,
  quantity: '0.001',
  price: '60000',
};

interface Setup {
  client: SpotClient;
  transport: RecordingTransport;
  clock: { t: number };
  logs: RequestLog[];
}

function setup(transport: RecordingTransport, options: Partial<SpotClientOptions> = {}): Setup {
  const clock = { t: 1_700_000_000_000 };
  const logs: RequestLog[] = [];
  const env = options.environment ?? SPOT_TESTNET;
  const client = new SpotClient({
    environment: env,
    transport,
    credential: () => hmacCredential(env),
    now: () => clock.t,
    onRequest: (l) => logs.push(l),
    sleep: async () => undefined,
    reconcileDelaysMs: [1, 1, 1],
    ...options,
  });
  return { client, transport, clock, logs };
}

describe('SpotClient: credentials and request building', () => {
  it('with no credential, refuses a signed call before any I/O and says how to fix it', async () => {
    const t = new RecordingTransport();
    const client = new SpotClient({ environment: SPOT_TESTNET, transport: t });
    await assert.rejects(
      client.account(),
      (e: Error) =>
        e instanceof NoCredentialError &&
        /^No API key for Spot Testnet\. Add one with/.test(e.message) &&
        /Nothing was sent/.test(e.message),
    );
    await assert.rejects(client.placeOrder(LIMIT_ORDER), NoCredentialError);
    assert.equal(t.calls.length, 0);
  });

  it('public calls need no credential and use the environment URL', async () => {
    const t = new RecordingTransport()
      .on('GET /api/v3/ping', json(200, {}))
      .on(
        'GET /api/v3/exchangeInfo',
        json(200, { timezone: 'UTC', serverTime: 1, rateLimits: [], exchangeFilters: [], symbols: [] }),
      )
      .on('GET /api/v3/ticker/price', (r) =>
        json(
          200,
          r.url.includes('symbols=')
            ? [
                { symbol: 'A', price: '1' },
                { symbol: 'B', price: '2' },
              ]
            : { symbol: 'BTCUSDT', price: '60000.00' },
        ),
      );
    const client = new SpotClient({ environment: SPOT_TESTNET, transport: t });
    await client.ping();
    await client.exchangeInfo({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    assert.deepEqual(await client.tickerPrices(['BTCUSDT']), [{ symbol: 'BTCUSDT', price: '60000.00' }]);
    assert.equal((await client.tickerPrices(['A', 'B'])).length, 2);
    assert.equal(t.calls[0].url, 'https://testnet.binance.vision/api/v3/ping');
    assert.equal(
      t.calls[1].url,
      'https://testnet.binance.vision/api/v3/exchangeInfo?symbols=%5B%22BTCUSDT%22%2C%22ETHUSDT%22%5D',
    );
    assert.equal(t.calls[2].url, 'https://testnet.binance.vision/api/v3/ticker/price?symbol=BTCUSDT');
    await assert.rejects(client.exchangeInfo({ symbol: 'A', symbols: ['B'] }), ClientUsageError);
  });

  it('depth asks for a snapshot of the book, with a limit the API accepts', async () => {
    const book = { lastUpdateId: 7, bids: [['1.00', '2.00']], asks: [['1.01', '3.00']] };
    const t = new RecordingTransport().on('GET /api/v3/depth', json(200, book));
    const client = new SpotClient({ environment: SPOT_TESTNET, transport: t });
    assert.deepEqual(await client.depth('BTCUSDT'), book);
    assert.equal(t.calls[0].url, 'https://testnet.binance.vision/api/v3/depth?symbol=BTCUSDT&limit=1000');
    await assert.rejects(client.depth('BTCUSDT', 5001), /depth limit must be an integer from 1 to 5000/);
    await assert.rejects(client.depth(''), /symbol is required/);
    assert.equal(t.calls.length, 1);
  });

  it('recvWindow defaults to 5000, is clamped to 60000 and must be positive', async () => {
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 0 }))
      .on('GET /api/v3/account', json(200, ACCOUNT));
    const { client } = setup(t);
    assert.equal(client.recvWindow, 5000);
    await client.account({ omitZeroBalances: true });
    const p = paramsOf(t.callsTo('GET /api/v3/account')[0]);
    assert.equal(p.recvWindow, '5000');
    assert.equal(p.omitZeroBalances, 'true');
    assert.ok(p.signature && p.timestamp);
    assert.equal(new SpotClient({ environment: SPOT_TESTNET, transport: t, recvWindow: 70_000 }).recvWindow, 60_000);
    assert.equal(new SpotClient({ environment: SPOT_TESTNET, transport: t, recvWindow: 2500.4 }).recvWindow, 2500);
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () => new SpotClient({ environment: SPOT_TESTNET, transport: t, recvWindow: bad }),
        ClientUsageError,
      );
    }
  });

  it('validates arguments before any I/O', async () => {
    const t = new RecordingTransport();
    const { client } = setup(t);
    await assert.rejects(client.getOrder('BTCUSDT', {}), /orderId or an origClientOrderId/);
    await assert.rejects(client.allOrders('BTCUSDT', { limit: 5000 }), /limit must be/);
    await assert.rejects(client.placeOrder({ ...LIMIT_ORDER, newClientOrderId: 'has space' }), ClientOrderIdError);
    await assert.rejects(client.placeOrder({ ...LIMIT_ORDER, newClientOrderId: 'x'.repeat(37) }), ClientOrderIdError);
    await assert.rejects(client.placeOrder({ ...LIMIT_ORDER, quantity: '1e-3' }), /exponent notation/);
    assert.equal(t.calls.length, 0);
  });
});

describe('SpotClient: server clock', () => {
  it('syncs lazily before the first signed call, applies the offset, and re-syncs periodically', async () => {
    const clock = { t: 1_700_000_000_000 };
    const t = new RecordingTransport()
      .on('GET /api/v3/time', () => {
        clock.t += 100; // 100 ms round trip; the server read its clock half-way
        return json(200, { serverTime: clock.t - 50 + 2_000 });
      })
      .on('GET /api/v3/account', json(200, ACCOUNT));
    const client = new SpotClient({
      environment: SPOT_TESTNET,
      transport: t,
      credential: () => hmacCredential(SPOT_TESTNET),
      now: () => clock.t,
      clockResyncIntervalMs: 60_000,
    });
    await client.account();
    assert.deepEqual(
      t.calls.map((c) => c.path),
      ['/api/v3/time', '/api/v3/account'],
    );
    assert.equal(client.clockOffsetMs, 2_000);
    assert.equal(paramsOf(t.calls[1]).timestamp, String(clock.t + 2_000));
    await client.account();
    assert.equal(t.callsTo('GET /api/v3/time').length, 1);
    clock.t += 60_001;
    await client.account();
    assert.equal(t.callsTo('GET /api/v3/time').length, 2);
    assert.deepEqual(await client.syncClock(), { offsetMs: 2_000, rttMs: 100 });
  });

  it('on -1021 re-syncs once and retries a signed read once', async () => {
    let now = 1_000_000;
    let skew = 0;
    const t = new RecordingTransport()
      .on('GET /api/v3/time', () => json(200, { serverTime: now + skew }))
      .on('GET /api/v3/account', (r) =>
        Math.abs(Number(paramsOf(r).timestamp) - (now + skew)) > 1000
          ? json(400, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' })
          : json(200, ACCOUNT),
      );
    const client = new SpotClient({
      environment: SPOT_TESTNET,
      transport: t,
      credential: () => hmacCredential(SPOT_TESTNET),
      now: () => now,
    });
    await client.account();
    skew = 30_000; // the local clock jumps back 30 s
    now += 10;
    const account = await client.account();
    assert.equal(account.balances[0].asset, 'BTC');
    assert.deepEqual(
      t.calls.map((c) => c.path),
      ['/api/v3/time', '/api/v3/account', '/api/v3/account', '/api/v3/time', '/api/v3/account'],
    );
    assert.equal(client.clockOffsetMs, 30_000);
  });

  it('when the retry also gets -1021, says the re-sync did not fix it', async () => {
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 5 }))
      .on(
        'GET /api/v3/openOrders',
        json(400, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' }),
      );
    const { client } = setup(t);
    await assert.rejects(
      client.openOrders('BTCUSDT'),
      (e: BinanceApiError) =>
        e.code === -1021 &&
        /re-synced .* retried once, but it failed again, so the re-sync did not fix it/.test(e.hint),
    );
    assert.equal(t.callsTo('GET /api/v3/openOrders').length, 2);
  });

  it('never re-sends an order POST after -1021: re-syncs and says nothing was placed', async () => {
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 5 }))
      .on(
        'POST /api/v3/order',
        json(400, { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." }),
      );
    const { client } = setup(t);
    await assert.rejects(
      client.placeOrder(LIMIT_ORDER),
      (e: BinanceApiError) =>
        e.code === -1021 && /nothing was placed/.test(e.hint) && /clock has been re-synced/.test(e.hint),
    );
    assert.equal(t.callsTo('POST /api/v3/order').length, 1);
    assert.equal(t.callsTo('GET /api/v3/time').length, 2);
    assert.equal(t.callsTo('GET /api/v3/order').length, 0);
  });
});

describe('SpotClient: rate limits', () => {
  it('reads X-MBX-USED-WEIGHT-* and X-MBX-ORDER-COUNT-* into usage and the request log', async () => {
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1 }, { 'X-MBX-USED-WEIGHT-1M': '3' }))
      .on(
        'POST /api/v3/order',
        json(
          200,
          { symbol: 'BTCUSDT', orderId: 1, orderListId: -1, clientOrderId: 'a', transactTime: 1 },
          { 'x-mbx-used-weight-1m': '12', 'x-mbx-order-count-10s': '1', 'x-mbx-order-count-1d': '9' },
        ),
      );
    const { client, logs } = setup(t);
    const result = await client.placeOrder(LIMIT_ORDER);
    assert.equal(result.outcome, 'accepted');
    assert.deepEqual(client.usage, { usedWeight: { '1M': 12 }, orderCount: { '10S': 1, '1D': 9 } });
    assert.deepEqual(
      logs.map((l) => [l.method, l.path, l.status, l.usedWeight]),
      [
        ['GET', '/api/v3/time', 200, 3],
        ['POST', '/api/v3/order', 200, 12],
      ],
    );
  });

  for (const status of [429, 418]) {
    it(`on ${status} throws with retryAfterSeconds and refuses requests until Retry-After passes`, async () => {
      const t = new RecordingTransport()
        .on('GET /api/v3/time', json(200, { serverTime: 1 }))
        .on(
          'GET /api/v3/account',
          json(
            status,
            { code: -1003, msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.' },
            { 'Retry-After': '30' },
          ),
          json(200, ACCOUNT),
        );
      const { client, clock, logs } = setup(t);
      await assert.rejects(
        client.account(),
        (e: BinanceApiError) => e.httpStatus === status && e.retryAfterSeconds === 30 && /Wait 30 s/.test(e.hint),
      );
      assert.equal(logs.at(-1)?.errorCode, -1003);
      const before = t.calls.length;
      clock.t += 10_000;
      await assert.rejects(
        client.account(),
        (e: RateLimitBackoffError) =>
          e instanceof RateLimitBackoffError && e.retryAfterSeconds === 20 && /Nothing was sent/.test(e.message),
      );
      await assert.rejects(client.ping(), RateLimitBackoffError);
      await assert.rejects(client.placeOrder(LIMIT_ORDER), RateLimitBackoffError);
      assert.equal(t.calls.length, before);
      assert.ok(client.backoffUntil > 0);
      clock.t += 20_001;
      assert.equal(client.backoffUntil, 0);
      await client.account();
      assert.equal(t.calls.length, before + 1);
    });
  }

  it('uses a default wait when Retry-After is missing', async () => {
    const t = new RecordingTransport().on(
      'GET /api/v3/ping',
      json(429, { code: -1003, msg: 'Too many requests queued.' }),
    );
    const { client } = setup(t);
    await assert.rejects(client.ping(), (e: BinanceApiError) => e.retryAfterSeconds === 60);
  });
});

describe('SpotClient: placing orders (never re-sent)', () => {
  const ack = (r: { body?: string }) =>
    json(200, {
      symbol: 'BTCUSDT',
      orderId: 1,
      orderListId: -1,
      clientOrderId: new URLSearchParams(r.body).get('newClientOrderId'),
      transactTime: 1,
    });

  it('generates a valid newClientOrderId and sends it', async () => {
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1 }))
      .on('POST /api/v3/order', ack);
    const { client } = setup(t);
    const r = await client.placeOrder(LIMIT_ORDER);
    assert.equal(r.outcome, 'accepted');
    assert.match(r.clientOrderId, CLIENT_ORDER_ID_PATTERN);
    assert.ok(r.clientOrderId.startsWith('td-'));
    const p = paramsOf(t.callsTo('POST /api/v3/order')[0]);
    assert.equal(p.newClientOrderId, r.clientOrderId);
    assert.deepEqual(
      [p.symbol, p.side, p.type, p.timeInForce, p.quantity, p.price],
      ['BTCUSDT', 'BUY', 'LIMIT', 'GTC', '0.001', '60000'],
    );
    const given = await client.placeOrder({ ...LIMIT_ORDER, newClientOrderId: 'my_id-1' });
    assert.equal(given.clientOrderId, 'my_id-1');
  });

  const unknownCases: Array<[string, () => never | ReturnType<typeof json>]> = [
    ['HTTP 503', () => json(503, { code: -1000, msg: 'Internal error' })],
    ['HTTP 502 with an HTML body', () => ({ status: 502, headers: {}, bodyText: '<html>Bad gateway</html>' })],
    [
      '-1007 timeout from the backend',
      () =>
        json(408, {
          code: -1007,
          msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
        }),
    ],
    [
      '-1006',
      () =>
        json(400, {
          code: -1006,
          msg: 'An unexpected response was received from the message bus. Execution status unknown.',
        }),
    ],
    [
      'a transport timeout',
      () => {
        throw new TransportError('POST /api/v3/order timed out after 10000 ms with no complete response.', 'timeout');
      },
    ],
    [
      'a dropped connection',
      () => {
        throw new TransportError('POST /api/v3/order failed: connection reset by the server.', 'network');
      },
    ],
  ];
  for (const [name, failure] of unknownCases) {
    it(`after ${name}, looks the order up by origClientOrderId and reports it reconciled`, async () => {
      let cid = '';
      const t = new RecordingTransport()
        .on('GET /api/v3/time', json(200, { serverTime: 1 }))
        .on('POST /api/v3/order', (r) => {
          cid = new URLSearchParams(r.body).get('newClientOrderId')!;
          return failure();
        })
        .on('GET /api/v3/order', json(400, { code: -2013, msg: 'Order does not exist.' }), () =>
          json(200, { ...ORDER, clientOrderId: cid }),
        );
      const { client } = setup(t);
      const r = await client.placeOrder(LIMIT_ORDER);
      assert.equal(r.outcome, 'reconciled');
      assert.equal(r.clientOrderId, cid);
      if (r.outcome === 'reconciled') assert.equal(r.order.clientOrderId, cid);
      assert.equal(t.callsTo('POST /api/v3/order').length, 1);
      const lookups = t.callsTo('GET /api/v3/order');
      assert.equal(lookups.length, 2);
      assert.equal(paramsOf(lookups[0]).origClientOrderId, cid);
    });
  }

  it('looks the order up with the key that sent it, even if the active key changed meanwhile', async () => {
    const keyA = hmacCredential(SPOT_TESTNET);
    const keyB = hmacCredential(SPOT_TESTNET, `${TEST_API_KEY.slice(0, -1)}B`);
    let active = keyA;
    let cid = '';
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1 }))
      .on('POST /api/v3/order', (r) => {
        cid = new URLSearchParams(r.body).get('newClientOrderId')!;
        active = keyB; // the user switches the active key of this environment while the POST hangs
        return json(503, { code: -1000, msg: 'Internal error' });
      })
      // The order exists on the account of key A; key B's account has never seen it.
      .on('GET /api/v3/order', (r) =>
        r.headers['X-MBX-APIKEY'] === keyA.apiKey
          ? json(200, { ...ORDER, clientOrderId: cid })
          : json(400, { code: -2013, msg: 'Order does not exist.' }),
      );
    const { client } = setup(t, { credential: () => active });
    const r = await client.placeOrder(LIMIT_ORDER);
    assert.equal(r.outcome, 'reconciled', 'a look-up with another key must not conclude "not placed"');
    assert.ok(t.callsTo('GET /api/v3/order').every((c) => c.headers['X-MBX-APIKEY'] === keyA.apiKey));
    assert.equal(t.callsTo('POST /api/v3/order').length, 1);
  });

  it('a 200 whose body is not JSON: on an order it is reconciled, on a read it is an error', async () => {
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1 }))
      .on('POST /api/v3/order', { status: 200, headers: {}, bodyText: '<html>proxy</html>' })
      .on('GET /api/v3/order', json(200, ORDER))
      .on('GET /api/v3/account', { status: 200, headers: {}, bodyText: 'oops' });
    const { client } = setup(t);
    assert.equal((await client.placeOrder(LIMIT_ORDER)).outcome, 'reconciled');
    await assert.rejects(
      client.account(),
      (e: BinanceApiError) => e.code === 0 && /not JSON/.test(e.message) && /could not be read/.test(e.hint),
    );
  });

  it('reports not-placed when every look-up says -2013', async () => {
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1 }))
      .on('POST /api/v3/order', json(500, { code: -1000, msg: 'x' }))
      .on('GET /api/v3/order', json(400, { code: -2013, msg: 'Order does not exist.' }));
    const { client } = setup(t);
    const r = await client.placeOrder(LIMIT_ORDER);
    assert.equal(r.outcome, 'not-placed');
    if (r.outcome === 'not-placed')
      assert.match(
        r.reason,
        /HTTP 500.*does not exist, and its recvWindow \(5000 ms\) has passed.*never reached the order book/,
      );
    assert.equal(t.callsTo('POST /api/v3/order').length, 1);
    assert.equal(t.callsTo('GET /api/v3/order').length, 4); // 3 quick look-ups + 1 after the recvWindow
  });

  it('waits until the recvWindow has passed before concluding not-placed, and finds a late order', async () => {
    const slept: number[] = [];
    let cid = '';
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1_700_000_000_000 }))
      .on('POST /api/v3/order', (r) => {
        cid = new URLSearchParams(r.body).get('newClientOrderId')!;
        throw new TransportError('POST /api/v3/order timed out after 10 ms with no complete response.', 'timeout');
      })
      .on(
        'GET /api/v3/order',
        json(400, { code: -2013, msg: 'Order does not exist.' }),
        json(400, { code: -2013, msg: 'Order does not exist.' }),
        () => json(200, { ...ORDER, clientOrderId: cid }),
      );
    const { client } = setup(t, {
      recvWindow: 3000,
      reconcileDelaysMs: [10, 20],
      sleep: async (ms) => void slept.push(ms),
    });
    const r = await client.placeOrder(LIMIT_ORDER);
    assert.equal(r.outcome, 'reconciled');
    assert.deepEqual(slept, [10, 20, 4000]); // fake clock: the whole window (3000 ms + 1000 ms margin) is still ahead
    assert.equal(t.callsTo('POST /api/v3/order').length, 1);
  });

  it('reports unknown when the look-ups fail too', async () => {
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1 }))
      .on('POST /api/v3/order', () => {
        throw new TransportError('POST /api/v3/order timed out after 10 ms with no complete response.', 'timeout');
      })
      .on('GET /api/v3/order', () => {
        throw new TransportError('GET /api/v3/order failed: connection refused (is the server running?).', 'network');
      });
    const { client } = setup(t);
    const r = await client.placeOrder(LIMIT_ORDER);
    assert.equal(r.outcome, 'unknown');
    if (r.outcome === 'unknown')
      assert.match(
        r.reason,
        /timed out.*Looking the order up .* failed \(GET \/api\/v3\/order failed: connection refused.*Check the open orders and order history before placing it again/,
      );
    assert.equal(t.callsTo('POST /api/v3/order').length, 1);
  });

  it('a definite rejection (4xx) is thrown, not reconciled', async () => {
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1 }))
      .on(
        'POST /api/v3/order',
        json(400, { code: -2010, msg: 'Account has insufficient balance for requested action.' }),
      );
    const { client } = setup(t);
    await assert.rejects(
      client.placeOrder(LIMIT_ORDER),
      (e: BinanceApiError) => e.code === -2010 && /balance is too low/.test(e.hint),
    );
    assert.equal(t.callsTo('GET /api/v3/order').length, 0);
  });

  it('a failure before the POST (clock sync) is thrown as is: nothing was sent', async () => {
    const t = new RecordingTransport().on('GET /api/v3/time', () => {
      throw new TransportError('GET /api/v3/time failed: connection refused (is the server running?).', 'network');
    });
    const { client } = setup(t);
    await assert.rejects(client.placeOrder(LIMIT_ORDER), TransportError);
    assert.equal(t.callsTo('POST /api/v3/order').length, 0);
  });

  it('a cancel with an unknown outcome throws OrderOutcomeUnknownError', async () => {
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1 }))
      .on('DELETE /api/v3/order', json(502, { code: -1000, msg: 'x' }))
      .on('DELETE /api/v3/openOrders', json(200, [ORDER]));
    const { client } = setup(t);
    await assert.rejects(
      client.cancelOrder('BTCUSDT', { orderId: 7 }),
      (e: OrderOutcomeUnknownError) =>
        e instanceof OrderOutcomeUnknownError &&
        /cancellation of BTCUSDT order 7 has an unknown outcome/.test(e.message),
    );
    assert.equal((await client.cancelAllOpenOrders('BTCUSDT')).length, 1);
  });

  it('testOrder sends computeCommissionRates and does not place', async () => {
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1 }))
      .on('POST /api/v3/order/test', json(200, {}));
    const { client } = setup(t);
    assert.deepEqual(await client.testOrder(LIMIT_ORDER, { computeCommissionRates: true }), {});
    assert.equal(paramsOf(t.callsTo('POST /api/v3/order/test')[0]).computeCommissionRates, 'true');
  });
});

describe('SpotClient: logs', () => {
  it('logs method, path, status, latency and error code only', async () => {
    const env = localSandbox('http://127.0.0.1:4999');
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1 }))
      .on('GET /api/v3/myTrades', json(400, { code: -1121, msg: 'Invalid symbol.' }));
    const { client, logs } = setup(t, { environment: env });
    await assert.rejects(
      client.myTrades('NOPE', { limit: 10 }),
      (e: BinanceApiError) => e.code === -1121 && /does not exist on Local sandbox \(4999\)/.test(e.hint),
    );
    assert.deepEqual(Object.keys(logs[1]).sort(), ['errorCode', 'latencyMs', 'method', 'path', 'status']);
    assert.deepEqual(
      { ...logs[1], latencyMs: 0 },
      { method: 'GET', path: '/api/v3/myTrades', status: 400, latencyMs: 0, errorCode: -1121 },
    );
  });
});
