// The request inspector against raw requests that make each mistake bot developers make: the
// record names the cause and the fix, and never holds a secret, a full API key or a signature.
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { SandboxHandle, startSandbox } from '../../../src/sandbox';
import type { RequestRecord } from '../../../src/sandbox/inspector/record';
import { Creds, encode, raw, signed, signPayload } from '../httpHelpers';

describe('request inspector: diagnoses', function () {
  this.timeout(20_000);
  let sb: SandboxHandle;
  let hmac: Creds & { kind: 'hmac' };
  let ed: Creds & { kind: 'ed25519' };

  before(async () => {
    sb = await startSandbox({ marketMaker: false });
    hmac = { kind: 'hmac', apiKey: sb.apiKey, secret: sb.secret };
    ed = { kind: 'ed25519', apiKey: sb.ed25519.apiKey, privateKey: sb.ed25519.privateKeyPem };
  });
  after(() => sb.close());

  /** The record of the last request. */
  const last = (): RequestRecord => sb.requests!.query({ limit: 1 })[0];

  /** Nothing secret in a record: no secret, no private key, no full API key, no signature. */
  function assertNoSecret(record: RequestRecord, signature?: string): void {
    const text = JSON.stringify(record);
    for (const needle of [sb.secret, sb.apiKey, sb.ed25519.apiKey, 'PRIVATE KEY', ...(signature ? [signature] : [])])
      assert.ok(!text.includes(needle), `the record holds ${needle.slice(0, 8)}…`);
  }

  const order = {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    price: '50000',
    quantity: '0.001',
  };

  it('records a good request with its masked key, status and weight, and no diagnosis', async () => {
    const reply = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account');
    assert.equal(reply.status, 200);
    const record = last();
    assert.equal(record.method, 'GET');
    assert.equal(record.path, '/api/v3/account');
    assert.equal(record.status, 200);
    assert.equal(record.apiKey, `${sb.apiKey.slice(0, 4)}…${sb.apiKey.slice(-4)}`);
    assert.ok(record.weight > 0);
    assert.equal(record.diagnosis, undefined);
    assert.match(record.params.signature, /^\(redacted, 64 characters\)$/);
    assertNoSecret(record);
  });

  it("-1022: a base64 signature whose '+' was not percent-encoded", async () => {
    // Ed25519 signatures are deterministic: find a timestamp whose signature has a '+'.
    let timestamp = Date.now();
    let query: string;
    let signature: string;
    do {
      query = encode({ timestamp: timestamp++ });
      signature = signPayload(ed, query);
    } while (!signature.includes('+'));
    const reply = await raw(sb.baseUrl, 'GET', `/api/v3/account?${query}&signature=${signature}`, {
      headers: { 'X-MBX-APIKEY': ed.apiKey },
    });
    assert.equal(reply.json.code, -1022);
    const { diagnosis } = last();
    assert.match(diagnosis!.cause, /'\+' characters were not percent-encoded/);
    assert.match(diagnosis!.fix, /%2B/);
    assertNoSecret(last(), signature);
  });

  it('-1022: parameters signed sorted by name and sent in another order', async () => {
    const timestamp = Date.now();
    const params = { ...order, timestamp };
    const sent = encode(params);
    const sortedPayload = sent.split('&').sort().join('&');
    const signature = signPayload(hmac, sortedPayload);
    const reply = await raw(sb.baseUrl, 'POST', '/api/v3/order', {
      body: `${sent}&signature=${signature}`,
      headers: { 'X-MBX-APIKEY': hmac.apiKey },
    });
    assert.equal(reply.json.code, -1022);
    assert.match(last().diagnosis!.cause, /signed in one order \(sorted by name\) and sent in another/);
    assert.equal(last().diagnosis!.details!.verifiedPayload, sent);
  });

  it('-1022: only the body signed while parameters were also in the query string', async () => {
    const query = encode({ symbol: 'BTCUSDT' });
    const { symbol: _symbol, ...rest } = order;
    const body = encode({ ...rest, timestamp: Date.now() });
    const signature = signPayload(hmac, body);
    const reply = await raw(sb.baseUrl, 'POST', `/api/v3/order?${query}`, {
      body: `${body}&signature=${signature}`,
      headers: { 'X-MBX-APIKEY': hmac.apiKey },
    });
    assert.equal(reply.json.code, -1022);
    assert.match(last().diagnosis!.cause, /Only the body was signed/);
    assert.match(last().diagnosis!.fix, /query string followed directly by the body/);
  });

  it('-1022: the values signed before percent-encoding (a client order id with non-ASCII letters)', async () => {
    const params = { ...order, newClientOrderId: 'bot-ä', timestamp: Date.now() };
    const sent = encode(params);
    const unencoded = Object.entries(params)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const signature = createHmac('sha256', hmac.secret).update(Buffer.from(unencoded, 'latin1')).digest('hex');
    const reply = await raw(sb.baseUrl, 'POST', '/api/v3/order', {
      body: `${sent}&signature=${signature}`,
      headers: { 'X-MBX-APIKEY': hmac.apiKey },
    });
    assert.equal(reply.json.code, -1022);
    assert.match(last().diagnosis!.cause, /before percent-encoding/);
  });

  it('-1022: an HMAC signature sent with an Ed25519 key', async () => {
    const query = encode({ timestamp: Date.now() });
    const signature = createHmac('sha256', 'some secret').update(query).digest('hex');
    await raw(sb.baseUrl, 'GET', `/api/v3/account?${query}&signature=${signature}`, {
      headers: { 'X-MBX-APIKEY': ed.apiKey },
    });
    assert.match(last().diagnosis!.cause, /HMAC-SHA256 \(hex\) signature was sent with an Ed25519 key/);
  });

  it("-1022: a secret that is not the key's", async () => {
    const reply = await signed(sb.baseUrl, { ...hmac, secret: 'not the secret' }, 'GET', '/api/v3/account');
    assert.equal(reply.json.code, -1022);
    assert.match(last().diagnosis!.cause, /secret used is not the one of this API key/);
    assertNoSecret(last());
  });

  it('-1022: a JSON body', async () => {
    const body = JSON.stringify({ ...order, timestamp: Date.now() });
    const signature = signPayload(hmac, body);
    await raw(sb.baseUrl, 'POST', `/api/v3/order?signature=${signature}`, {
      body,
      headers: { 'X-MBX-APIKEY': hmac.apiKey, 'Content-Type': 'application/json' },
    });
    assert.ok(last().code !== undefined, `refused (${last().code} ${last().msg})`);
    assert.match(last().diagnosis!.cause, /^The body is JSON/);
  });

  it('-1022: an Ed25519 (base64) signature sent with an HMAC key', async () => {
    const query = encode({ timestamp: Date.now() });
    await raw(sb.baseUrl, 'GET', `/api/v3/account?${query}&signature=${encodeURIComponent(signPayload(ed, query))}`, {
      headers: { 'X-MBX-APIKEY': hmac.apiKey },
    });
    assert.equal(last().code, -1022);
    assert.match(last().diagnosis!.cause, /An Ed25519 or RSA \(base64\) signature was sent with an HMAC key/);
  });

  it('-1101: a parameter sent twice', async () => {
    const query = `${encode({ symbol: 'BTCUSDT' })}&symbol=ETHUSDT&${encode({ timestamp: Date.now() })}`;
    const reply = await raw(sb.baseUrl, 'GET', `/api/v3/openOrders?${query}&signature=${signPayload(hmac, query)}`, {
      headers: { 'X-MBX-APIKEY': hmac.apiKey },
    });
    assert.equal(reply.json.code, -1101);
    assert.match(last().diagnosis!.cause, /sent twice/);
  });

  it('429 and 418: the weight used and where it went, when to come back, and the ban of a client that did not wait', async () => {
    const limited = await startSandbox({
      marketMaker: false,
      rateLimits: { weightPerMinute: 30, requestsAfter429BeforeBan: 3 },
    });
    try {
      // Weight windows are aligned to the minute: do not straddle a boundary.
      const toNextMinute = 60_000 - (Date.now() % 60_000);
      if (toNextMinute < 3000) await new Promise((resolve) => setTimeout(resolve, toNextMinute + 50));
      await raw(limited.baseUrl, 'GET', '/api/v3/time');
      let reply;
      do reply = await raw(limited.baseUrl, 'GET', '/api/v3/exchangeInfo');
      while (reply.status === 200);
      assert.equal(reply.status, 429);
      const record = limited.requests!.query({ limit: 1 })[0];
      assert.match(
        record.diagnosis!.cause,
        /weight limit was reached: \d+ of 30 this minute from 127\.0\.0\.1, 9\d% of it from GET \/api\/v3\/exchangeInfo\./,
      );
      assert.equal(record.diagnosis!.details!.retryAfterSeconds, Number(reply.headers['retry-after']));
      assert.equal(record.diagnosis!.details!['weight GET /api/v3/time'], 1);

      // Three more requests are tolerated; the fourth after the 429 is banned for 2 minutes.
      for (let i = 0; i < 3; i++) assert.equal((await raw(limited.baseUrl, 'GET', '/api/v3/time')).status, 429);
      const banned = await raw(limited.baseUrl, 'GET', '/api/v3/time');
      assert.equal(banned.status, 418);
      assert.match(banned.json.msg, /^Way too much request weight used; IP banned until \d+\./);
      assert.ok(Math.abs(Number(banned.headers['retry-after']) - 120) <= 1);
      const ban = limited.requests!.query({ limit: 1 })[0];
      assert.match(
        ban.diagnosis!.cause,
        /sent 4 more requests after a 429 told it to wait, so it is banned until .* \(2 min; ban 1: each ban doubles/,
      );
      assert.match(ban.diagnosis!.fix, /faults \{"clear": true\} lifts the ban/);
      // Banned on the WebSocket API too, with data.retryAfter in place of the header.
      const ws = new WebSocket(limited.wsApiUrl);
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(JSON.stringify({ id: 1, method: 'time' }));
      const frame = await new Promise<{ status: number; error: { code: number; data: { retryAfter: number } } }>(
        (resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))),
      );
      ws.close();
      assert.equal(frame.status, 418);
      assert.equal(frame.error.data.retryAfter, ban.diagnosis!.details!.bannedUntil);
      assert.match(limited.requests!.query({ limit: 1 })[0].diagnosis!.cause, /is banned until .* for not backing off/);

      const cleared = await raw(limited.baseUrl, 'POST', '/sandbox/v1/faults', {
        body: '{"clear": true}',
        headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(cleared.status, 200);
      assert.equal((await raw(limited.baseUrl, 'GET', '/api/v3/time')).status, 200);
    } finally {
      await limited.close();
    }
  });

  it('a 418 forced by the faults endpoint is recorded and said to be forced', async () => {
    const forced = await raw(sb.baseUrl, 'POST', '/sandbox/v1/faults', {
      body: JSON.stringify({ forceRateLimit: { status: 418, retryAfterSeconds: 7 } }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(forced.status, 200);
    assert.equal((await raw(sb.baseUrl, 'GET', '/api/v3/time')).status, 418);
    assert.equal(last().status, 418);
    assert.equal(last().path, '/api/v3/time');
    assert.match(last().diagnosis!.cause, /told to answer 418 \(POST \/sandbox\/v1\/faults forceRateLimit\)/);
    assert.match(last().diagnosis!.fix, /waits Retry-After \(7 s\)/);
  });

  it('-1021: the clock skew and the recvWindow', async () => {
    const reply = await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { timestamp: Date.now() - 12_000 });
    assert.equal(reply.json.code, -1021);
    const { diagnosis } = last();
    const skew = diagnosis!.details!.clockSkewMs as number;
    assert.ok(skew <= -12_000 && skew > -13_000, `skew ${skew}`);
    assert.equal(diagnosis!.details!.recvWindowMs, 5000);
    assert.match(diagnosis!.cause, /behind the sandbox's clock, more than its recvWindow of 5000 ms/);
    assert.match(diagnosis!.fix, /GET \/api\/v3\/time/);
  });

  it('-2014 and -2015: a malformed key, and a key this sandbox does not have', async () => {
    // A key pasted with a quote from a .env file.
    await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { apiKeyHeader: `"${sb.apiKey}"` });
    assert.equal(last().code, -2014);
    assert.match(last().diagnosis!.cause, /malformed: 66 characters, not only letters and digits/);
    assertNoSecret(last());
    const unknown = 'A'.repeat(64);
    await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { apiKeyHeader: unknown });
    assert.equal(last().code, -2015);
    assert.match(last().diagnosis!.cause, /no such API key/);
    assert.equal(last().diagnosis!.details!.apiKey, 'AAAA…AAAA');
  });

  it('-1104: names the parameter nothing read', async () => {
    const reply = await signed(sb.baseUrl, hmac, 'POST', '/api/v3/order', { body: { ...order, stopPrce: '49000' } });
    assert.equal(reply.json.code, -1104);
    assert.match(last().diagnosis!.cause, /does not read 'stopPrce'/);
  });

  it('filter failures: the rule, the value sent and the nearest valid one', async () => {
    await signed(sb.baseUrl, hmac, 'POST', '/api/v3/order', { body: { ...order, price: '50000.005' } });
    assert.equal(last().msg, 'Filter failure: PRICE_FILTER');
    assert.equal(last().diagnosis!.details!.nearestValid, '50000.00000000');
    await signed(sb.baseUrl, hmac, 'POST', '/api/v3/order', { body: { ...order, quantity: '0.00001' } });
    assert.match(last().msg!, /NOTIONAL/);
    assert.match(last().diagnosis!.fix, /Raise the quantity to at least 0\.00010000 at 50000/);
  });

  it('-2010: how much the order needs, what is free, what open orders hold, and the largest quantity that fits', async () => {
    const account = sb.createAccount({ USDT: '100', BTC: '0.000999' });
    const creds: Creds = { kind: 'hmac', apiKey: account.apiKey, secret: account.secret };
    const place = (body: Record<string, string>): Promise<unknown> =>
      signed(sb.baseUrl, creds, 'POST', '/api/v3/order', { body });

    await place({ ...order, quantity: '0.01' }); // 500 USDT
    assert.equal(last().code, -2010);
    assert.equal(last().diagnosis!.cause, 'The order needs 500.00000000 USDT; the account has 100.00000000 free.');
    assert.match(last().diagnosis!.fix, /Lower the quantity to at most 0\.00200000, or add USDT/);

    await place({ ...order, price: '40000', quantity: '0.002' }); // rests, holding 80 USDT
    assert.equal(last().status, 200);
    await place({ ...order, quantity: '0.001' }); // 50 USDT, 20 free
    assert.equal(
      last().diagnosis!.cause,
      'The order needs 50.00000000 USDT; the account has 20.00000000 free and 80.00000000 locked in 1 open order.',
    );
    assert.match(last().diagnosis!.fix, /^Cancel open orders that hold USDT .* to at most 0\.00040000\.$/);
    assert.equal(last().diagnosis!.details!.openOrdersHolding, 1);

    // Selling what a buy bought, fee included, when the fee was taken from the asset bought.
    await place({ ...order, side: 'SELL', price: '60000', quantity: '0.001' });
    assert.match(
      last().diagnosis!.fix,
      /fee of the buy was probably taken from BTC: sell the quantity received net of the fee/,
    );
  });

  it('-2010: a LIMIT_MAKER that would take, a stop already past its trigger', async () => {
    await signed(sb.baseUrl, hmac, 'POST', '/api/v3/order', {
      body: { ...order, side: 'SELL', price: '51000', quantity: '0.001' },
    });
    await signed(sb.baseUrl, hmac, 'POST', '/api/v3/order', {
      body: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT_MAKER', price: '51500', quantity: '0.001' },
    });
    assert.equal(last().code, -2010);
    assert.match(
      last().diagnosis!.cause,
      /LIMIT_MAKER BUY at 51500 would trade at once against the best ask \(51000\.00000000\)/,
    );
    assert.match(last().diagnosis!.fix, /below the best ask/);
    const lastPrice = sb.engine.lastPrice('BTCUSDT');
    assert.ok(lastPrice > 0n, 'the suite has traded BTCUSDT before');
    await signed(sb.baseUrl, hmac, 'POST', '/api/v3/order', {
      body: { symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_LOSS', stopPrice: '99000', quantity: '0.001' },
    });
    assert.equal(last().msg, 'Order would trigger immediately.');
    assert.match(last().diagnosis!.cause, /stopPrice 99000 is already reached: BTCUSDT last traded at/);
  });

  it('-2011 and -2013: an order already done, one on another symbol, and one this account never had', async () => {
    const placed = await signed(sb.baseUrl, hmac, 'POST', '/api/v3/order', {
      body: { ...order, timeInForce: 'IOC', price: '45000' }, // below every ask: expires at once
    });
    assert.equal(placed.json.status, 'EXPIRED');
    const { orderId } = placed.json as { orderId: number };
    await signed(sb.baseUrl, hmac, 'DELETE', '/api/v3/order', { params: { symbol: 'BTCUSDT', orderId } });
    assert.equal(last().code, -2011);
    assert.match(
      last().diagnosis!.cause,
      new RegExp(`^Order ${orderId} on BTCUSDT is EXPIRED \\(since .*\\), so there is nothing left to cancel\\.$`),
    );

    await signed(sb.baseUrl, hmac, 'DELETE', '/api/v3/order', { params: { symbol: 'ETHUSDT', orderId } });
    assert.equal(last().code, -2011);
    assert.equal(
      last().diagnosis!.cause,
      `Order ${orderId} is on BTCUSDT (EXPIRED), not on ETHUSDT: order ids are per symbol.`,
    );
    assert.equal(last().diagnosis!.fix, 'Send symbol=BTCUSDT with it.');

    await signed(sb.baseUrl, hmac, 'GET', '/api/v3/order', { params: { symbol: 'BTCUSDT', orderId: 987654321 } });
    assert.equal(last().code, -2013);
    assert.match(last().diagnosis!.cause, /^This account has no order 987654321 on any symbol/);
    assert.match(last().diagnosis!.fix, /to query it\.$/);
  });

  it('-1104, -1102, -1106 and -1111: a misspelled parameter, one the order type does not take, a float printed as is', async () => {
    const { timeInForce, ...noTif } = order;
    await signed(sb.baseUrl, hmac, 'POST', '/api/v3/order', { body: { ...noTif, timeinforce: timeInForce } });
    assert.equal(last().code, -1104);
    assert.equal(
      last().diagnosis!.cause,
      "The endpoint does not read 'timeinforce' (did you mean 'timeinforce' → 'timeInForce'? names are case-sensitive).",
    );
    await signed(sb.baseUrl, hmac, 'GET', '/api/v3/order', { params: { symbol: 'BTCUSDT', orderid: 1 } });
    assert.equal(last().code, -1102);
    assert.equal(
      last().diagnosis!.cause,
      "'orderId' is missing, and 'orderid' was sent: parameter names are case-sensitive and exact.",
    );
    await signed(sb.baseUrl, hmac, 'POST', '/api/v3/order', {
      body: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001', timeInForce: 'GTC' },
    });
    assert.equal(last().code, -1106);
    assert.equal(last().diagnosis!.cause, "A MARKET order does not take 'timeInForce'.");
    await signed(sb.baseUrl, hmac, 'POST', '/api/v3/order', { body: { ...order, price: '50000.123456789' } });
    assert.equal(last().code, -1111);
    assert.match(
      last().diagnosis!.cause,
      /^price 50000\.123456789 has 9 decimals; BTCUSDT takes at most 8 \(and its grid is 0\.01/,
    );
    assert.equal(last().diagnosis!.details!.rounded, '50000.12000000');
    await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { recvWindow: 70_000 });
    assert.equal(last().code, -1102);
    assert.equal(last().diagnosis, undefined, 'a value out of range is not a missing parameter');
  });

  it('-1021: a timestamp in seconds', async () => {
    await signed(sb.baseUrl, hmac, 'GET', '/api/v3/account', { timestamp: Math.floor(Date.now() / 1000) });
    assert.equal(last().code, -1021);
    assert.match(last().diagnosis!.cause, /^The timestamp \d{10} is in seconds; Binance wants milliseconds/);
  });

  it('WebSocket API: parameters signed in the order sent instead of sorted', async () => {
    const ws = new WebSocket(sb.wsApiUrl);
    await new Promise((resolve) => ws.once('open', resolve));
    const params: Record<string, string | number> = { timestamp: Date.now(), apiKey: hmac.apiKey };
    const asSent = Object.entries(params)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const signature = createHmac('sha256', hmac.secret).update(asSent).digest('hex');
    ws.send(JSON.stringify({ id: 1, method: 'account.status', params: { ...params, signature } }));
    const answer = await new Promise<{ error?: { code: number } }>((resolve) =>
      ws.once('message', (data) => resolve(JSON.parse(String(data)))),
    );
    ws.close();
    assert.equal(answer.error?.code, -1022);
    const record = last();
    assert.equal(record.transport, 'ws');
    assert.equal(record.method, 'account.status');
    assert.match(record.diagnosis!.cause, /signed in the order they were sent; the WebSocket API signs them sorted/);
    assert.match(String(record.diagnosis!.details!.verifiedPayload), /^apiKey=\w{4}…\w{4}&timestamp=\d+$/);
    assertNoSecret(record, signature);
  });

  it('serves the records with filters on GET /sandbox/v1/requests and live on its WebSocket feed; local programs only', async () => {
    const errors = await raw(sb.baseUrl, 'GET', '/sandbox/v1/requests?status=error&code=-1021');
    assert.equal(errors.status, 200);
    assert.ok(errors.json.length >= 1);
    assert.ok((errors.json as RequestRecord[]).every((r) => r.code === -1021));
    const fromPage = await raw(sb.baseUrl, 'GET', '/sandbox/v1/requests', {
      headers: { Origin: 'https://evil.example' },
    });
    assert.equal(fromPage.status, 403);
    assert.equal((await raw(sb.baseUrl, 'GET', '/sandbox/v1/requests?status=maybe')).status, 400);

    const feed = new WebSocket(`${sb.baseUrl.replace('http', 'ws')}/sandbox/v1/requests/stream`);
    await new Promise((resolve) => feed.once('open', resolve));
    const next = new Promise<RequestRecord>((resolve) =>
      feed.once('message', (data) => resolve(JSON.parse(String(data)))),
    );
    await signed(sb.baseUrl, hmac, 'GET', '/api/v3/openOrders');
    const record = await next;
    feed.close();
    assert.equal(record.path, '/api/v3/openOrders');
    assertNoSecret(record);
  });

  it('no record of this whole suite holds a secret, a private key or a full API key', () => {
    const all = sb.requests!.query({ limit: 2000 });
    assert.ok(all.length >= 15, `the suite's requests are all here (${all.length} records)`);
    const text = JSON.stringify(all);
    for (const needle of [sb.secret, sb.apiKey, sb.ed25519.apiKey, 'PRIVATE KEY'])
      assert.ok(!text.includes(needle), `a record holds ${needle.slice(0, 6)}…`);
    assert.ok(
      all.every((r) => r.params.signature === undefined || /^\(redacted, \d+ characters\)$/.test(r.params.signature)),
    );
  });

  it('a foreign client (ccxt) with a wrong secret is diagnosed too', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ccxt = require('ccxt') as typeof import('ccxt');
    const exchange = new ccxt.binance({
      apiKey: sb.apiKey,
      secret: 'a secret that is not this key’s',
      enableRateLimit: false,
      options: { defaultType: 'spot', adjustForTimeDifference: false, fetchMarkets: { types: ['spot'] } },
    });
    const api = exchange.urls.api as Record<string, string>;
    for (const key of Object.keys(api)) api[key] = key === 'v1' ? `${sb.baseUrl}/api/v1` : `${sb.baseUrl}/api/v3`;
    await assert.rejects(exchange.privateGetAccount());
    const record = sb.requests!.query({ code: -1022, limit: 1 })[0];
    assert.equal(record.path, '/api/v3/account');
    assert.match(record.diagnosis!.cause, /secret used is not the one of this API key/);
  });
});
