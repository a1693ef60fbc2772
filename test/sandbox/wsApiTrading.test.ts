import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { createHmac, sign } from 'node:crypto';
import { WebSocket } from 'ws';
import { SandboxHandle, startSandbox } from '../../src/sandbox';

type Frame = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Request/response by id over the WebSocket API; pushed events are ignored. */
class WsApiClient {
  private readonly pending = new Map<string, (frame: Frame) => void>();
  private nextId = 1;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      if ('id' in frame) this.pending.get(String(frame.id))?.(frame);
    });
  }

  static open(url: string): Promise<WsApiClient> {
    if (!url.startsWith('ws://127.0.0.1:')) throw new Error('loopback only');
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new WsApiClient(ws)));
      ws.once('error', reject);
    });
  }

  call(method: string, params?: Record<string, unknown>): Promise<Frame> {
    const id = `t${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${method}`)), 5000);
      this.pending.set(id, (frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
      this.ws.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** Reference §3.3: params sorted by name, `name=value` joined by '&', raw UTF-8, no percent-encoding. */
function wsSigned(
  params: Record<string, unknown>,
  apiKey: string,
  signer: (payload: Buffer) => string,
): Record<string, unknown> {
  const all: Record<string, unknown> = { ...params, apiKey, timestamp: params.timestamp ?? Date.now() };
  const text = (v: unknown): string => (typeof v === 'object' ? JSON.stringify(v) : String(v));
  const payload = Object.keys(all)
    .filter((k) => all[k] !== null && all[k] !== undefined)
    .sort()
    .map((k) => `${k}=${text(all[k])}`)
    .join('&');
  return { ...all, signature: signer(Buffer.from(payload, 'utf8')) };
}

describe('sandbox WebSocket API trading methods', function () {
  this.timeout(20000);
  let sb: SandboxHandle;
  let ws: WsApiClient;
  let hmacKey: string;
  let hmac: (payload: Buffer) => string;

  before(async () => {
    sb = await startSandbox({ port: 0 });
    const fresh = sb.createAccount({ BTC: '1', ETH: '10', USDT: '100000' });
    hmacKey = fresh.apiKey;
    hmac = (payload) => createHmac('sha256', fresh.secret).update(payload).digest('hex');
  });
  beforeEach(async () => {
    ws = await WsApiClient.open(sb.wsApiUrl);
  });
  afterEach(() => ws.close());
  after(() => sb.close());

  const hmacCall = (method: string, params: Record<string, unknown> = {}): Promise<Frame> =>
    ws.call(method, wsSigned(params, hmacKey, hmac));

  it('places, queries and cancels an order signed per request, with the REST shapes and rateLimits', async () => {
    const placed = await hmacCall('order.place', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '50000',
      newClientOrderId: 'ws-trade-1',
    });
    assert.equal(placed.status, 200, JSON.stringify(placed));
    assert.deepEqual(Object.keys(placed), ['id', 'status', 'result', 'rateLimits']);
    assert.equal(placed.result.clientOrderId, 'ws-trade-1');
    assert.equal(placed.result.status, 'NEW');
    assert.equal(placed.result.price, '50000.00000000');
    assert.deepEqual(placed.result.fills, []);
    assert.deepEqual(
      placed.rateLimits.map((r: Frame) => `${r.rateLimitType}/${r.interval}/${r.intervalNum}`),
      ['REQUEST_WEIGHT/MINUTE/1', 'ORDERS/SECOND/10', 'ORDERS/DAY/1'],
    );
    assert.ok(placed.rateLimits[1].count >= 1);

    const status = await hmacCall('order.status', { symbol: 'BTCUSDT', orderId: placed.result.orderId });
    assert.equal(status.status, 200);
    assert.equal(status.result.clientOrderId, 'ws-trade-1');
    assert.equal(status.result.status, 'NEW');
    const byClientId = await hmacCall('order.status', { symbol: 'BTCUSDT', origClientOrderId: 'ws-trade-1' });
    assert.equal(byClientId.result.orderId, placed.result.orderId);

    const canceled = await hmacCall('order.cancel', { symbol: 'BTCUSDT', orderId: placed.result.orderId });
    assert.equal(canceled.status, 200);
    assert.equal(canceled.result.status, 'CANCELED');
    assert.equal(canceled.result.origClientOrderId, 'ws-trade-1');

    // JSON numbers are accepted like their text.
    const market = await hmacCall('order.place', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: 0.01 });
    assert.equal(market.status, 200, JSON.stringify(market));
    assert.equal(market.result.status, 'FILLED');
    assert.ok(market.result.fills.length > 0);
  });

  it('charges weight like REST: 0 for a successful order.place/order.cancel, the documented weight otherwise', async () => {
    // Weight windows are per minute: keep the whole check inside one.
    if (Date.now() % 60_000 > 55_000)
      await new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 50));
    const used = async (): Promise<number> => (await ws.call('ping')).rateLimits[0].count as number;
    let before = await used();
    const placed = await hmacCall('order.place', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '40000',
    });
    assert.equal(placed.rateLimits[0].count, before, 'order.place costs 0 on success');
    before = placed.rateLimits[0].count;
    const status = await hmacCall('order.status', { symbol: 'BTCUSDT', orderId: placed.result.orderId });
    assert.equal(status.rateLimits[0].count, before + 4);
    const account = await hmacCall('account.status');
    assert.equal(account.rateLimits[0].count, before + 4 + 20);
    const open = await hmacCall('openOrders.status', { symbol: 'BTCUSDT' });
    assert.equal(open.rateLimits[0].count, before + 4 + 20 + 6);
    const failed = await hmacCall('order.place', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.0000001',
      price: '40000',
    });
    assert.equal(failed.status, 400);
    assert.equal(failed.rateLimits[0].count, before + 4 + 20 + 6 + 1, 'a failed order is charged');
  });

  it('answers with the REST error codes and HTTP-like statuses', async () => {
    const cases: [string, Record<string, string | number | boolean>, number, number, string | RegExp][] = [
      ['order.place', { symbol: 'NOPE', side: 'BUY', type: 'MARKET', quantity: '1' }, 400, -1121, 'Invalid symbol.'],
      [
        'order.place',
        { symbol: 'BTCUSDT', type: 'MARKET', quantity: '1' },
        400,
        -1102,
        "Mandatory parameter 'side' was not sent, was empty/null, or malformed.",
      ],
      [
        'order.place',
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.000001', price: '50000' },
        400,
        -1013,
        'Filter failure: LOT_SIZE',
      ],
      [
        'order.place',
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '5', price: '50000' },
        400,
        -2010,
        'Account has insufficient balance for requested action.',
      ],
      [
        'order.place',
        { symbol: 'BTCUSDT', side: 'BUY', type: 'STOP', quantity: '1' },
        400,
        -1116,
        'Invalid orderType.',
      ],
      ['order.cancel', { symbol: 'BTCUSDT', orderId: 999999 }, 400, -2011, 'Unknown order sent.'],
      [
        'order.cancel',
        { symbol: 'BTCUSDT' },
        400,
        -1102,
        "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!",
      ],
      ['order.status', { symbol: 'BTCUSDT', orderId: 999999 }, 400, -2013, 'Order does not exist.'],
      ['openOrders.cancelAll', { symbol: 'ETHBTC' }, 400, -2011, 'Unknown order sent.'],
      [
        'order.place',
        { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001', timestamp: Date.now() - 60_000 },
        400,
        -1021,
        'Timestamp for this request is outside of the recvWindow.',
      ],
    ];
    for (const [method, params, status, code, msg] of cases) {
      const reply = await hmacCall(method, params);
      assert.equal(reply.status, status, `${method} ${JSON.stringify(params)}: ${JSON.stringify(reply)}`);
      assert.deepEqual(Object.keys(reply), ['id', 'status', 'error', 'rateLimits']);
      assert.equal(reply.error.code, code, JSON.stringify(reply.error));
      if (typeof msg === 'string') assert.equal(reply.error.msg, msg);
      else assert.match(reply.error.msg, msg);
    }
    const badSig = await ws.call('order.place', {
      ...wsSigned({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' }, hmacKey, hmac),
      quantity: '0.002',
    });
    assert.equal(badSig.error.code, -1022);
    const unknownKey = await ws.call('account.status', wsSigned({}, 'A'.repeat(64), hmac));
    assert.equal(unknownKey.status, 401);
    assert.equal(unknownKey.error.code, -2015);
    const unsigned = await ws.call('account.status', { timestamp: Date.now() });
    assert.equal(unsigned.error.code, -1102);
    assert.match(unsigned.error.msg, /'apiKey'/);
    // Odd JSON types are refused like malformed text, never crash the server.
    const odd = await ws.call(
      'order.place',
      wsSigned({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET' }, hmacKey, hmac),
    );
    assert.equal(odd.error.code, -1102);
    const weird = await ws.call('order.place', {
      symbol: ['BTCUSDT'],
      quantity: { a: 1 },
      apiKey: hmacKey,
      timestamp: Date.now(),
      signature: 'x',
    });
    assert.equal(weird.status, 400);
    assert.equal((await ws.call('ping')).status, 200);
  });

  it('authorizes by session.logon (Ed25519): timestamp only; order.test, openOrders.status/cancelAll and account.status', async () => {
    const edSign = (payload: Buffer): string => sign(null, payload, sb.ed25519.privateKeyPem).toString('base64');
    const logon = await ws.call('session.logon', wsSigned({}, sb.ed25519.apiKey, edSign));
    assert.equal(logon.status, 200, JSON.stringify(logon));

    const test = await ws.call('order.test', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '50000',
      timestamp: Date.now(),
    });
    assert.deepEqual(test.result, {});
    const withRates = await ws.call('order.test', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.01',
      computeCommissionRates: true,
      timestamp: Date.now(),
    });
    assert.deepEqual(Object.keys(withRates.result), [
      'standardCommissionForOrder',
      'specialCommissionForOrder',
      'taxCommissionForOrder',
      'discount',
    ]);
    assert.equal(withRates.rateLimits[0].count - test.rateLimits[0].count, 20);
    const failedTest = await ws.call('order.test', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '0.001',
      timestamp: Date.now(),
    });
    assert.equal(failedTest.error.code, -1013);

    for (const price of ['41000', '42000']) {
      const placed = await ws.call('order.place', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        price,
        timestamp: Date.now(),
      });
      assert.equal(placed.status, 200, JSON.stringify(placed));
    }
    const open = await ws.call('openOrders.status', { symbol: 'BTCUSDT', timestamp: Date.now() });
    assert.equal(open.status, 200);
    assert.deepEqual(open.result.map((o: Frame) => o.price).sort(), ['41000.00000000', '42000.00000000']);
    const all = await ws.call('openOrders.status', { timestamp: Date.now() });
    assert.equal(all.rateLimits[0].count - open.rateLimits[0].count, 80);

    const account = await ws.call('account.status', { omitZeroBalances: true, timestamp: Date.now() });
    const usdt = account.result.balances.find((b: Frame) => b.asset === 'USDT');
    assert.ok(Number(usdt.locked) >= 83, JSON.stringify(usdt));
    assert.ok(account.result.balances.every((b: Frame) => Number(b.free) + Number(b.locked) > 0));

    const canceled = await ws.call('openOrders.cancelAll', { symbol: 'BTCUSDT', timestamp: Date.now() });
    assert.equal(canceled.status, 200);
    assert.equal(canceled.result.length, 2);
    assert.ok(canceled.result.every((o: Frame) => o.status === 'CANCELED'));

    // A logged-on session still needs a fresh timestamp.
    const stale = await ws.call('account.status', { timestamp: Date.now() - 120_000 });
    assert.equal(stale.error.code, -1021);
    const noTimestamp = await ws.call('account.status');
    assert.equal(noTimestamp.error.code, -1102);
    // A request signed with another key is that key's account, even on a logged-on session.
    const other = await hmacCall('account.status', { omitZeroBalances: true });
    assert.ok(!other.result.balances.some((b: Frame) => b.asset === 'BNB'), 'the HMAC account holds no BNB');
  });

  it('serves market data methods with the REST handlers', async () => {
    const book = await ws.call('ticker.book', { symbol: 'BTCUSDT' });
    assert.deepEqual(Object.keys(book.result), ['symbol', 'bidPrice', 'bidQty', 'askPrice', 'askQty']);
    const some = await ws.call('ticker.24hr', { symbols: ['BTCUSDT', 'ETHUSDT'], type: 'MINI' });
    assert.equal(some.result.length, 2);
    const klines = await ws.call('klines', { symbol: 'ETHUSDT', interval: '1m', limit: 5 });
    assert.equal(klines.status, 200);
    assert.ok(Array.isArray(klines.result));
    const bad = await ws.call('klines', { symbol: 'ETHUSDT', interval: '7m' });
    assert.deepEqual(bad.error, { code: -1120, msg: 'Invalid interval.' });
    const depth = await ws.call('depth', { symbol: 'ETHUSDT', limit: 5 });
    assert.equal(depth.result.bids.length, 5);
  });

  it('answers random method params with a coded error or a result, never a crash (fuzz)', async () => {
    const methods = fc.constantFrom(
      'order.place',
      'order.test',
      'order.status',
      'order.cancel',
      'openOrders.status',
      'openOrders.cancelAll',
      'account.status',
      'klines',
      'ticker.24hr',
      'trades.aggregate',
    );
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
      fc.constantFrom('BTCUSDT', 'BUY', 'SELL', 'LIMIT', 'MARKET', 'GTC', '0.001', '50000', '1m'),
    );
    const names = fc.constantFrom(
      'symbol',
      'side',
      'type',
      'timeInForce',
      'quantity',
      'price',
      'orderId',
      'origClientOrderId',
      'interval',
      'symbols',
      'recvWindow',
      'timestamp',
      'newOrderRespType',
    );
    await fc.assert(
      fc.asyncProperty(methods, fc.dictionary(names, value), fc.boolean(), async (method, params, sign) => {
        const reply = await (sign ? ws.call(method, wsSigned({ ...params }, hmacKey, hmac)) : ws.call(method, params));
        assert.ok(
          reply.status === 200 || (reply.status >= 400 && reply.status < 500 && typeof reply.error.code === 'number'),
          JSON.stringify(reply),
        );
      }),
      { numRuns: 150 },
    );
    sb.engine.checkInvariants();
  });
});
