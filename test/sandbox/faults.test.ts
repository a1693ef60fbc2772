import * as assert from 'node:assert/strict';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { Creds, get, raw, signed } from './httpHelpers';

describe('sandbox fault injection, rate limits and statistics', function () {
  this.timeout(20000);
  let sb: SandboxHandle;
  let me: Creds;

  before(async () => {
    sb = await startSandbox({ port: 0, marketMaker: false });
    me = { kind: 'hmac', apiKey: sb.apiKey, secret: sb.secret };
  });
  after(() => sb.close());
  afterEach(() => sb.faults.clear());

  const limitBuy = (clientId: string) =>
    signed(sb.baseUrl, me, 'POST', '/api/v3/order', {
      body: {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        price: '50000',
        newClientOrderId: clientId,
      },
    });
  const query = (clientId: string) =>
    signed(sb.baseUrl, me, 'GET', '/api/v3/order', { params: { symbol: 'BTCUSDT', origClientOrderId: clientId } });

  it('failNext answers 5xx without processing by default', async () => {
    sb.faults.failNext(2, 503);
    const first = await limitBuy('fail-before-1');
    assert.equal(first.status, 503);
    assert.equal(first.json.code, -1008);
    const second = await get(sb.baseUrl, '/api/v3/ping');
    assert.equal(second.status, 503);
    const third = await get(sb.baseUrl, '/api/v3/ping');
    assert.equal(third.status, 200);
    assert.equal((await query('fail-before-1')).json.code, -2013, 'the order never reached the book');
  });

  it('failNext with afterProcessing accepts the order, then answers 5xx (outcome unknown)', async () => {
    sb.faults.failNext(1, 502, { afterProcessing: true });
    const reply = await limitBuy('fail-after-1');
    assert.equal(reply.status, 502);
    assert.equal(reply.json.code, -1007);
    const found = await query('fail-after-1');
    assert.equal(found.status, 200);
    assert.equal(found.json.status, 'NEW');
  });

  it('dropConnectionAfterNextOrder accepts the order and destroys the socket without a response', async () => {
    sb.faults.dropConnectionAfterNextOrder();
    await assert.rejects(
      limitBuy('dropped-1'),
      (error: NodeJS.ErrnoException) =>
        ['ECONNRESET', 'EPIPE'].includes(error.code ?? '') || /socket hang up/.test(error.message),
    );
    const found = await query('dropped-1');
    assert.equal(found.json.status, 'NEW');
    assert.equal((await limitBuy('not-dropped')).status, 200, 'only the next order is dropped');
  });

  it('forceRateLimit answers 429/418 with Retry-After and -1003', async () => {
    sb.faults.forceRateLimit(429, 7, 2);
    for (let i = 0; i < 2; i++) {
      const r = await get(sb.baseUrl, '/api/v3/time');
      assert.equal(r.status, 429);
      assert.equal(r.headers['retry-after'], '7');
      assert.equal(r.json.code, -1003);
    }
    assert.equal((await get(sb.baseUrl, '/api/v3/time')).status, 200);
    sb.faults.forceRateLimit(418, 120);
    const banned = await get(sb.baseUrl, '/api/v3/time');
    assert.equal(banned.status, 418);
    assert.equal(banned.headers['retry-after'], '120');
    assert.match(banned.json.msg, /IP banned until \d+/);
  });

  it('setLatencyMs delays responses', async () => {
    sb.faults.setLatencyMs(150);
    const start = Date.now();
    await get(sb.baseUrl, '/api/v3/ping');
    assert.ok(Date.now() - start >= 140);
  });

  it('counts requests by path and order requests', async () => {
    sb.stats.reset();
    await get(sb.baseUrl, '/api/v3/ping');
    await get(sb.baseUrl, '/api/v3/ping');
    await limitBuy('counted-1');
    await signed(sb.baseUrl, me, 'POST', '/api/v3/order/test', {
      body: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' },
    });
    assert.equal(sb.stats.requests, 4);
    assert.equal(sb.stats.orderRequests, 2);
    assert.equal(sb.stats.byPath['GET /api/v3/ping'], 2);
    assert.equal(sb.stats.byPath['POST /api/v3/order'], 1);
  });

  it('exposes the same controls over HTTP (/sandbox/v1/faults, /sandbox/v1/stats)', async () => {
    sb.stats.reset();
    const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    const set = await raw(
      sb.baseUrl,
      'POST',
      '/sandbox/v1/faults',
      json({ failNext: { count: 1, status: 500, afterProcessing: true }, clockSkewMs: 5000 }),
    );
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.json.pendingFailures, [{ status: 500, afterProcessing: true }]);
    const reply = await limitBuy('remote-fault-1');
    assert.equal(reply.status, 500);
    // skew 5000 ms: a request stamped with our clock is outside the default 5000 ms window only once it is >5 s old
    const time = await get(sb.baseUrl, '/api/v3/time');
    assert.ok(time.json.serverTime - Date.now() > 4000);
    await raw(
      sb.baseUrl,
      'POST',
      '/sandbox/v1/faults',
      json({ clear: true, forceRateLimit: { status: 429, retryAfterSeconds: 3 } }),
    );
    assert.equal((await get(sb.baseUrl, '/api/v3/ping')).status, 429);
    await raw(sb.baseUrl, 'POST', '/sandbox/v1/faults', json({ dropConnectionAfterNextOrder: true }));
    await assert.rejects(limitBuy('remote-drop-1'));
    const stats = await raw(sb.baseUrl, 'GET', '/sandbox/v1/stats');
    assert.equal(stats.json.orderRequests, 2);
    assert.equal(stats.json.requests, 4, 'control requests are not counted');
    const bad = await raw(sb.baseUrl, 'POST', '/sandbox/v1/faults', json({ failNext: { count: 1, status: 200 } }));
    assert.equal(bad.status, 400);
    const account = await raw(sb.baseUrl, 'POST', '/sandbox/v1/accounts', json({ balances: { USDT: '5' } }));
    const creds: Creds = { kind: 'hmac', apiKey: account.json.apiKey, secret: account.json.secret };
    const balances = await signed(sb.baseUrl, creds, 'GET', '/api/v3/account', { params: { omitZeroBalances: true } });
    assert.deepEqual(balances.json.balances, [{ asset: 'USDT', free: '5.00000000', locked: '0.00000000' }]);
    await raw(sb.baseUrl, 'DELETE', '/sandbox/v1/stats');
    assert.equal(sb.stats.requests, 0);
  });
});

describe('sandbox log', () => {
  it('logs method, path and status of each request, never keys or signatures', async () => {
    const lines: string[] = [];
    const sb = await startSandbox({ port: 0, marketMaker: false, log: (line) => lines.push(line) });
    try {
      const me: Creds = { kind: 'hmac', apiKey: sb.apiKey, secret: sb.secret };
      await signed(sb.baseUrl, me, 'GET', '/api/v3/account');
      await signed(sb.baseUrl, me, 'GET', '/api/v3/account', { signature: 'f'.repeat(64) });
      assert.ok(
        lines.includes('GET /api/v3/account -> 200 (0 ms)') ||
          lines.some((l) => /^GET \/api\/v3\/account -> 200/.test(l)),
        lines.join('\n'),
      );
      assert.ok(lines.some((l) => /^GET \/api\/v3\/account -> 400/.test(l)));
      const all = lines.join('\n');
      assert.ok(
        !all.includes(sb.apiKey) && !all.includes(sb.secret) && !all.includes('signature') && !all.includes('ffff'),
      );
    } finally {
      await sb.close();
    }
  });
});

describe('sandbox request-weight limit', function () {
  this.timeout(20000);
  let sb: SandboxHandle;
  before(async () => {
    sb = await startSandbox({ port: 0, marketMaker: false, rateLimits: { weightPerMinute: 50 } });
  });
  after(() => sb.close());

  it('charges documented weights and answers 429 -1003 with Retry-After past the limit', async () => {
    // Weight windows are aligned to the minute: do not straddle a boundary.
    const toNextMinute = 60_000 - (Date.now() % 60_000);
    if (toNextMinute < 3000) await new Promise((resolve) => setTimeout(resolve, toNextMinute + 50));
    const info = await get(sb.baseUrl, '/api/v3/exchangeInfo');
    assert.equal(info.json.rateLimits[0].limit, 50);
    const used0 = Number(info.headers['x-mbx-used-weight-1m']);
    const depth = await get(sb.baseUrl, '/api/v3/depth', { symbol: 'BTCUSDT', limit: 200 });
    assert.equal(Number(depth.headers['x-mbx-used-weight-1m']), used0 + 25);
    const over = await get(sb.baseUrl, '/api/v3/exchangeInfo');
    assert.equal(over.status, 429);
    assert.equal(over.json.code, -1003);
    assert.match(over.json.msg, /current limit is 50 request weight per 1 MINUTE/);
    const retryAfter = Number(over.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60);
  });
});

describe('sandbox order-count limit', function () {
  this.timeout(20000);
  let sb: SandboxHandle;
  before(async () => {
    sb = await startSandbox({ port: 0, marketMaker: false, rateLimits: { ordersPer10s: 3 } });
  });
  after(() => sb.close());

  it('counts successful orders in X-MBX-ORDER-COUNT-* and answers 429 -1015 past the limit', async () => {
    // Order windows are aligned to 10 s: do not straddle a boundary.
    const toNextWindow = 10_000 - (Date.now() % 10_000);
    if (toNextWindow < 2000) await new Promise((resolve) => setTimeout(resolve, toNextWindow + 50));
    const me: Creds = { kind: 'hmac', apiKey: sb.apiKey, secret: sb.secret };
    const place = () =>
      signed(sb.baseUrl, me, 'POST', '/api/v3/order', {
        body: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000' },
      });
    for (let i = 1; i <= 3; i++) {
      const ok = await place();
      assert.equal(ok.status, 200);
      assert.equal(ok.headers['x-mbx-order-count-10s'], String(i));
    }
    const over = await place();
    assert.equal(over.status, 429);
    assert.equal(over.json.code, -1015);
    assert.equal(over.json.msg, 'Too many new orders; current limit is 3 orders per 10 SECOND.');
    assert.ok(Number(over.headers['retry-after']) >= 1);
    const diagnosis = sb.requests!.query({ limit: 1 })[0].diagnosis!;
    assert.match(diagnosis.cause, /^Too many new orders; .* Every order the account placed in the window counts/);
    assert.equal(diagnosis.details!.retryAfterSeconds, Number(over.headers['retry-after']));
    const open = await signed(sb.baseUrl, me, 'GET', '/api/v3/openOrders', { params: { symbol: 'BTCUSDT' } });
    assert.equal(open.json.length, 3, 'the rejected order was not placed');
  });
});
