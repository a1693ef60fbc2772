import * as assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { Creds, enc, encode, get, raw, signed, signPayload } from './httpHelpers';

describe('sandbox HTTP: public endpoints and authentication', function () {
  this.timeout(20000);
  let sb: SandboxHandle;
  let hmac: Creds;
  let ed: Creds;

  before(async () => {
    sb = await startSandbox({ port: 0 });
    hmac = { kind: 'hmac', apiKey: sb.apiKey, secret: sb.secret };
    ed = { kind: 'ed25519', apiKey: sb.ed25519.apiKey, privateKey: sb.ed25519.privateKeyPem };
  });
  after(() => sb.close());

  it('refuses a port that is taken, without leaving anything running', async () => {
    const port = Number(new URL(sb.baseUrl).port);
    await assert.rejects(startSandbox({ port }), /EADDRINUSE/);
  });

  it('listens on 127.0.0.1 and serves ping/time with the weight header', async () => {
    assert.match(sb.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sb.wsApiUrl, `${sb.baseUrl.replace('http', 'ws')}/ws-api/v3`);
    const ping = await get(sb.baseUrl, '/api/v3/ping');
    assert.equal(ping.status, 200);
    assert.deepEqual(ping.json, {});
    assert.ok(Number(ping.headers['x-mbx-used-weight-1m']) >= 1);
    const time = await get(sb.baseUrl, '/api/v3/time');
    assert.ok(Math.abs(time.json.serverTime - Date.now()) < 2000);
  });

  it('serves exchangeInfo for all, one and a JSON list of symbols, with realistic filters', async () => {
    const all = await get(sb.baseUrl, '/api/v3/exchangeInfo');
    assert.deepEqual(
      all.json.symbols.map((s: { symbol: string }) => s.symbol),
      ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'ETHBTC'],
    );
    assert.ok(
      all.json.rateLimits.some(
        (r: { rateLimitType: string; limit: number }) => r.rateLimitType === 'REQUEST_WEIGHT' && r.limit === 6000,
      ),
    );
    const one = await get(sb.baseUrl, '/api/v3/exchangeInfo', { symbol: 'BTCUSDT' });
    const filters = Object.fromEntries(
      one.json.symbols[0].filters.map((f: { filterType: string }) => [f.filterType, f]),
    );
    assert.equal(filters.PRICE_FILTER.tickSize, '0.01000000');
    assert.equal(filters.LOT_SIZE.stepSize, '0.00001000');
    assert.equal(filters.LOT_SIZE.minQty, '0.00001000');
    assert.equal(filters.NOTIONAL.minNotional, '5.00000000');
    assert.equal(filters.MAX_NUM_ORDERS.maxNumOrders, 200);
    assert.ok(filters.MARKET_LOT_SIZE && filters.PERCENT_PRICE_BY_SIDE);
    const some = await get(sb.baseUrl, '/api/v3/exchangeInfo', { symbols: '["ETHBTC","BNBUSDT"]' });
    assert.deepEqual(
      some.json.symbols.map((s: { symbol: string }) => s.symbol),
      ['BNBUSDT', 'ETHBTC'],
    );
    const bad = await get(sb.baseUrl, '/api/v3/exchangeInfo', { symbol: 'NOPE' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, { code: -1121, msg: 'Invalid symbol.' });
  });

  it('serves ticker/price and a depth book kept by the market maker', async () => {
    const one = await get(sb.baseUrl, '/api/v3/ticker/price', { symbol: 'ETHUSDT' });
    assert.deepEqual(Object.keys(one.json), ['symbol', 'price']);
    const all = await get(sb.baseUrl, '/api/v3/ticker/price');
    assert.equal(all.json.length, 4);
    const some = await get(sb.baseUrl, '/api/v3/ticker/price', { symbols: '["BTCUSDT","ETHBTC"]' });
    assert.equal(some.json.length, 2);
    const depth = await get(sb.baseUrl, '/api/v3/depth', { symbol: 'BTCUSDT', limit: 5 });
    assert.equal(depth.json.bids.length, 5);
    assert.equal(depth.json.asks.length, 5);
    assert.ok(Number(depth.json.bids[0][0]) < Number(depth.json.asks[0][0]));
    assert.equal(depth.headers['x-mbx-used-weight-1m'] !== undefined, true);
  });

  it('accepts HMAC signatures in either case and rejects a wrong one with -1022', async () => {
    const ok = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account');
    assert.equal(ok.status, 200, ok.text);
    assert.ok(
      ok.json.balances.some((b: { asset: string; free: string }) => b.asset === 'USDT' && b.free === '10000.00000000'),
    );
    const timestamp = Date.now();
    const payload = `timestamp=${timestamp}`;
    const upper = createHmac('sha256', sb.secret).update(payload).digest('hex').toUpperCase();
    const okUpper = await raw(sb.baseUrl, 'GET', `/api/v3/account?${payload}&signature=${upper}`, {
      headers: { 'X-MBX-APIKEY': sb.apiKey },
    });
    assert.equal(okUpper.status, 200);
    const wrong = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { signature: 'a'.repeat(64) });
    assert.equal(wrong.status, 400);
    assert.deepEqual(wrong.json, { code: -1022, msg: 'Signature for this request is not valid.' });
  });

  it('filters zero balances with omitZeroBalances', async () => {
    sb.deposit(sb.apiKey, 'ZERO', '0');
    const all = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account');
    assert.ok(all.json.balances.some((b: { asset: string }) => b.asset === 'ZERO'));
    const nonZero = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { params: { omitZeroBalances: 'true' } });
    assert.ok(!nonZero.json.balances.some((b: { asset: string }) => b.asset === 'ZERO'));
  });

  it('verifies over the percent-encoded bytes as received (non-ASCII parameter), for all three key types', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsa: Creds = {
      kind: 'rsa',
      apiKey: sb.registerPublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString()).apiKey,
      privateKey,
    };
    for (const creds of [hmac, ed, rsa]) {
      // An unknown parameter with a non-ASCII value is ignored, but it is part of the signed payload.
      const ok = await signed(sb.baseUrl, creds, 'GET', '/api/v3/account', { params: { note: '１２３４５６ é' } });
      assert.equal(ok.status, 200, `${creds.kind}: ${ok.text}`);
      // The pre-2026 rule (signing the unencoded UTF-8 text) must now fail.
      const timestamp = Date.now();
      const unencoded = `note=１２３４５６ é&timestamp=${timestamp}`;
      const sent = `note=${enc('１２３４５６ é')}&timestamp=${timestamp}`;
      const legacy = await raw(
        sb.baseUrl,
        'GET',
        `/api/v3/account?${sent}&signature=${enc(signPayload(creds, unencoded))}`,
        {
          headers: { 'X-MBX-APIKEY': creds.apiKey },
        },
      );
      assert.equal(legacy.status, 400, creds.kind);
      assert.equal(legacy.json.code, -1022, creds.kind);
    }
  });

  it('requires base64 signatures to be percent-encoded (a raw "+" does not verify)', async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const timestamp = Date.now() - attempt;
      const payload = `timestamp=${timestamp}`;
      const signature = signPayload(ed, payload);
      if (!signature.includes('+')) continue;
      const rawPlus = await raw(sb.baseUrl, 'GET', `/api/v3/account?${payload}&signature=${signature}`, {
        headers: { 'X-MBX-APIKEY': ed.apiKey },
      });
      assert.equal(rawPlus.json.code, -1022);
      const encoded = await raw(sb.baseUrl, 'GET', `/api/v3/account?${payload}&signature=${enc(signature)}`, {
        headers: { 'X-MBX-APIKEY': ed.apiKey },
      });
      assert.equal(encoded.status, 200);
      return;
    }
    assert.fail('no signature with a "+" in 50 attempts');
  });

  it('signs query string + body concatenated without a separator, query winning on duplicates', async () => {
    const timestamp = Date.now();
    const query = 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC';
    const body = `quantity=0.001&price=50000&newOrderRespType=RESULT&timestamp=${timestamp}`;
    const signature = signPayload(hmac, query + body);
    const placed = await raw(sb.baseUrl, 'POST', `/api/v3/order?${query}`, {
      body: `${body}&signature=${signature}`,
      headers: { 'X-MBX-APIKEY': sb.apiKey },
    });
    assert.equal(placed.status, 200, placed.text);
    assert.equal(placed.json.status, 'NEW');
    assert.equal(placed.json.price, '50000.00000000');
    // price in both: the query string's 49000 is used
    const q2 = `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&price=49000`;
    const b2 = `quantity=0.001&price=1&timestamp=${Date.now()}`;
    const dup = await raw(sb.baseUrl, 'POST', `/api/v3/order?${q2}`, {
      body: `${b2}&signature=${signPayload(hmac, q2 + b2)}`,
      headers: { 'X-MBX-APIKEY': sb.apiKey },
    });
    assert.equal(dup.status, 200, dup.text);
    assert.equal(dup.json.price, '49000.00000000');
    // Signature not last -> not valid
    const t3 = Date.now();
    const p3 = `symbol=BTCUSDT&timestamp=${t3}`;
    const notLast = await raw(sb.baseUrl, 'GET', `/api/v3/openOrders?signature=${signPayload(hmac, p3)}&${p3}`, {
      headers: { 'X-MBX-APIKEY': sb.apiKey },
    });
    assert.equal(notLast.json.code, -1022);
    const cleanup = await signed(sb.baseUrl, hmac, 'DELETE', '/api/v3/openOrders', { params: { symbol: 'BTCUSDT' } });
    assert.equal(cleanup.status, 200);
  });

  it('answers API-key problems with 401 -2014 / -2015', async () => {
    const missing = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { apiKeyHeader: null });
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.json, { code: -2014, msg: 'API-key format invalid.' });
    const badFormat = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { apiKeyHeader: 'not a key!' });
    assert.deepEqual([badFormat.status, badFormat.json.code], [401, -2014]);
    const unknown = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { apiKeyHeader: 'A'.repeat(64) });
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.json, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
  });

  it('checks timestamp and recvWindow like the real API', async () => {
    const noTs = await raw(sb.baseUrl, 'GET', `/api/v3/account?signature=${'0'.repeat(64)}`, {
      headers: { 'X-MBX-APIKEY': sb.apiKey },
    });
    assert.deepEqual(noTs.json, {
      code: -1102,
      msg: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.",
    });
    const noSig = await raw(sb.baseUrl, 'GET', `/api/v3/account?timestamp=${Date.now()}`, {
      headers: { 'X-MBX-APIKEY': sb.apiKey },
    });
    assert.deepEqual(noSig.json, {
      code: -1102,
      msg: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
    });
    const bigWindow = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { recvWindow: 60001 });
    assert.equal(bigWindow.status, 400);
    assert.equal(bigWindow.json.code, -1102);
    assert.match(bigWindow.json.msg, /recvWindow.*60000/);
    const maxWindow = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', {
      recvWindow: 60000,
      timestamp: Date.now() - 30000,
    });
    assert.equal(maxWindow.status, 200);
    const ahead = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { timestamp: Date.now() + 1500 });
    assert.deepEqual(ahead.json, {
      code: -1021,
      msg: "Timestamp for this request was 1000ms ahead of the server's time.",
    });
    const old = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { timestamp: Date.now() - 6000 });
    assert.deepEqual(old.json, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    const micro = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { timestamp: Date.now() * 1000 });
    assert.equal(micro.status, 200, 'microsecond timestamps are accepted');
    const fractional = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { recvWindow: 6000.5 as number });
    assert.equal(fractional.status, 200, 'recvWindow takes up to three decimals');
  });

  it('follows a skewed server clock', async () => {
    sb.faults.setClockSkewMs(10_000);
    try {
      const time = await get(sb.baseUrl, '/api/v3/time');
      assert.ok(time.json.serverTime - Date.now() > 9000);
      const stale = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account');
      assert.equal(stale.json.code, -1021);
      const corrected = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { timestamp: Date.now() + 10_000 });
      assert.equal(corrected.status, 200);
      sb.faults.setClockSkewMs(-10_000);
      const ahead = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account');
      assert.equal(ahead.json.msg, "Timestamp for this request was 1000ms ahead of the server's time.");
    } finally {
      sb.faults.clear();
    }
  });

  it('rejects malformed input with Binance codes and never crashes', async () => {
    const dupInQuery = await raw(sb.baseUrl, 'GET', '/api/v3/depth?symbol=BTCUSDT&symbol=ETHUSDT');
    assert.deepEqual(dupInQuery.json, { code: -1101, msg: 'Duplicate values for a parameter detected.' });
    const badEscape = await raw(sb.baseUrl, 'GET', '/api/v3/depth?symbol=%E0%A4%A');
    assert.equal(badEscape.json.code, -1100);
    const badLimit = await get(sb.baseUrl, '/api/v3/depth', { symbol: 'BTCUSDT', limit: 'ten' });
    assert.equal(badLimit.json.code, -1100);
    const notFound = await get(sb.baseUrl, '/api/v3/nope');
    assert.equal(notFound.status, 404);
    const huge = await raw(sb.baseUrl, 'POST', '/api/v3/order', {
      body: `a=${'x'.repeat(200 * 1024)}`,
      headers: { 'X-MBX-APIKEY': sb.apiKey },
    }).catch((error: Error) => ({ status: -1, error }));
    assert.ok(huge.status === 413 || huge.status === -1, `huge body answered ${huge.status}`);
    const still = await get(sb.baseUrl, '/api/v3/ping');
    assert.equal(still.status, 200);
    const weird = await raw(sb.baseUrl, 'GET', `/api/v3/ticker/price?${encode({ symbol: '这是测试币456' })}`);
    assert.deepEqual(weird.json, { code: -1121, msg: 'Invalid symbol.' });
  });
});
