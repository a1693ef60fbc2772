import * as assert from 'node:assert/strict';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { Creds, signed } from './httpHelpers';

describe('sandbox HTTP: unknown parameters on order endpoints (-1104)', function () {
  this.timeout(20000);
  let sb: SandboxHandle;
  let me: Creds;

  before(async () => {
    sb = await startSandbox({ port: 0, marketMaker: false });
  });
  after(() => sb.close());
  beforeEach(() => {
    const fresh = sb.createAccount({ BTC: '1', USDT: '10000' });
    me = { kind: 'hmac', apiKey: fresh.apiKey, secret: fresh.secret };
  });

  const limit = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '50000' };

  it('refuses POST /api/v3/order, order/test and order/cancelReplace with a parameter they do not read', async () => {
    // 6 order params + foo + timestamp + signature = 9 sent, 8 read.
    const placed = await signed(sb.baseUrl, me, 'POST', '/api/v3/order', { body: { ...limit, foo: 'bar' } });
    assert.equal(placed.status, 400, placed.text);
    assert.deepEqual(placed.json, {
      code: -1104,
      msg: "Not all sent parameters were read; read '8' parameter(s) but was sent '9'.",
    });
    const two = await signed(sb.baseUrl, me, 'POST', '/api/v3/order/test', {
      body: { ...limit, foo: 'bar', stopPx: '1' },
      recvWindow: 5000,
    });
    assert.deepEqual(two.json, {
      code: -1104,
      msg: "Not all sent parameters were read; read '9' parameter(s) but was sent '11'.",
    });
    const replace = await signed(sb.baseUrl, me, 'POST', '/api/v3/order/cancelReplace', {
      body: { ...limit, cancelReplaceMode: 'STOP_ON_FAILURE', cancelOrderId: '1', extra: 'x' },
    });
    assert.equal(replace.json.code, -1104);
    const open = await signed(sb.baseUrl, me, 'GET', '/api/v3/openOrders', { params: { symbol: 'BTCUSDT' } });
    assert.deepEqual(open.json, [], 'nothing was placed');
  });

  it('reads every documented order parameter and keeps read-only endpoints lenient', async () => {
    const placed = await signed(sb.baseUrl, me, 'POST', '/api/v3/order', {
      body: {
        ...limit,
        newOrderRespType: 'RESULT',
        strategyId: '7',
        strategyType: '1000000',
        selfTradePreventionMode: 'EXPIRE_MAKER',
      },
      recvWindow: 5000,
    });
    assert.equal(placed.status, 200, placed.text);
    const tested = await signed(sb.baseUrl, me, 'POST', '/api/v3/order/test', {
      body: { ...limit, computeCommissionRates: 'true' },
    });
    assert.equal(tested.status, 200, tested.text);
    const query = await signed(sb.baseUrl, me, 'GET', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', orderId: placed.json.orderId, foo: 'bar' },
    });
    assert.equal(query.status, 200, query.text);
  });
});
