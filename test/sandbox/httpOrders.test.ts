import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { Creds, get, raw, signed } from './httpHelpers';

function balance(
  account: { balances: { asset: string; free: string; locked: string }[] },
  asset: string,
): { free: string; locked: string } {
  const b = account.balances.find((x) => x.asset === asset);
  return { free: b?.free ?? '0.00000000', locked: b?.locked ?? '0.00000000' };
}

describe('sandbox HTTP: orders', function () {
  this.timeout(20000);
  let sb: SandboxHandle;
  let me: Creds;

  before(async () => {
    sb = await startSandbox({ port: 0 });
  });
  after(() => sb.close());
  beforeEach(() => {
    const fresh = sb.createAccount({ BTC: '1', ETH: '1', BNB: '1', USDT: '10000' });
    me = { kind: 'hmac', apiKey: fresh.apiKey, secret: fresh.secret };
  });

  const order = (params: Record<string, string>, creds?: Creds) =>
    signed(sb.baseUrl, creds ?? me, 'POST', '/api/v3/order', { body: params });

  it('places, queries, lists and cancels a resting LIMIT order', async () => {
    const placed = await order({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '50000',
      newClientOrderId: 'my-order_1',
    });
    assert.equal(placed.status, 200, placed.text);
    assert.deepEqual(Object.keys(placed.json).sort(), [
      'clientOrderId',
      'cummulativeQuoteQty',
      'executedQty',
      'fills',
      'orderId',
      'orderListId',
      'origQty',
      'origQuoteOrderQty',
      'price',
      'selfTradePreventionMode',
      'side',
      'status',
      'symbol',
      'timeInForce',
      'transactTime',
      'type',
      'workingTime',
    ]);
    assert.equal(placed.json.status, 'NEW');
    assert.equal(placed.json.clientOrderId, 'my-order_1');
    assert.equal(placed.headers['x-mbx-order-count-10s'], '1');
    assert.equal(placed.headers['x-mbx-order-count-1d'], '1');

    const account = await signed(sb.baseUrl, me, 'GET', '/api/v3/account');
    assert.deepEqual(balance(account.json, 'USDT'), { free: '9500.00000000', locked: '500.00000000' });

    const byId = await signed(sb.baseUrl, me, 'GET', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', orderId: placed.json.orderId },
    });
    assert.equal(byId.json.clientOrderId, 'my-order_1');
    assert.equal(byId.json.isWorking, true);
    const byClientId = await signed(sb.baseUrl, me, 'GET', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', origClientOrderId: 'my-order_1' },
    });
    assert.equal(byClientId.json.orderId, placed.json.orderId);
    const open = await signed(sb.baseUrl, me, 'GET', '/api/v3/openOrders', { params: { symbol: 'BTCUSDT' } });
    assert.equal(open.json.length, 1);
    const mismatch = await signed(sb.baseUrl, me, 'GET', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', orderId: placed.json.orderId, origClientOrderId: 'other' },
    });
    assert.deepEqual(mismatch.json, { code: -2039, msg: 'Client order ID is not correct for this order ID.' });

    const canceled = await signed(sb.baseUrl, me, 'DELETE', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', orderId: placed.json.orderId },
    });
    assert.equal(canceled.status, 200, canceled.text);
    assert.equal(canceled.json.status, 'CANCELED');
    assert.equal(canceled.json.origClientOrderId, 'my-order_1');
    const again = await signed(sb.baseUrl, me, 'DELETE', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', orderId: placed.json.orderId },
    });
    assert.deepEqual(again.json, { code: -2011, msg: 'Unknown order sent.' });
    const missing = await signed(sb.baseUrl, me, 'GET', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', orderId: 987654 },
    });
    assert.deepEqual(missing.json, { code: -2013, msg: 'Order does not exist.' });
    const all = await signed(sb.baseUrl, me, 'GET', '/api/v3/allOrders', { params: { symbol: 'BTCUSDT' } });
    assert.deepEqual(
      all.json.map((o: { status: string }) => o.status),
      ['CANCELED'],
    );
    const after = await signed(sb.baseUrl, me, 'GET', '/api/v3/account');
    assert.deepEqual(balance(after.json, 'USDT'), { free: '10000.00000000', locked: '0.00000000' });
  });

  it('fills MARKET orders against the market maker with FULL fills, trades and commissions', async () => {
    const buy = await order({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '1000' });
    assert.equal(buy.status, 200, buy.text);
    assert.equal(buy.json.status, 'FILLED');
    assert.ok(buy.json.fills.length >= 1);
    for (const f of buy.json.fills) {
      assert.equal(f.commissionAsset, 'BTC');
      assert.match(f.price, /^\d+\.\d{8}$/);
    }
    assert.ok(Number(buy.json.cummulativeQuoteQty) <= 1000);
    const sell = await order({
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: '0.005',
      newOrderRespType: 'RESULT',
    });
    assert.equal(sell.json.status, 'FILLED');
    assert.equal(sell.json.fills, undefined);
    const ack = await order({
      symbol: 'ETHUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.01',
      newOrderRespType: 'ACK',
    });
    assert.deepEqual(Object.keys(ack.json).sort(), [
      'clientOrderId',
      'orderId',
      'orderListId',
      'symbol',
      'transactTime',
    ]);
    const trades = await signed(sb.baseUrl, me, 'GET', '/api/v3/myTrades', { params: { symbol: 'BTCUSDT' } });
    assert.equal(trades.json.length, buy.json.fills.length + 1);
    assert.equal(trades.json[0].isBuyer, true);
    assert.equal(trades.json[0].isMaker, false);
    const byOrder = await signed(sb.baseUrl, me, 'GET', '/api/v3/myTrades', {
      params: { symbol: 'BTCUSDT', orderId: sell.json.orderId },
    });
    assert.equal(byOrder.json.length, 1);
  });

  it('serves market data derived from real fills: trades, bookTicker, avgPrice, 24hr; and the unfilled order count', async () => {
    const filled = await order({
      symbol: 'BNBUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.5',
      newOrderRespType: 'FULL',
    });
    assert.equal(filled.json.status, 'FILLED');
    const trades = await get(sb.baseUrl, '/api/v3/trades', { symbol: 'BNBUSDT', limit: 5 });
    assert.equal(trades.status, 200);
    const last = trades.json[trades.json.length - 1];
    assert.equal(last.id, filled.json.fills[filled.json.fills.length - 1].tradeId);
    assert.equal(last.isBuyerMaker, false);
    const book = await get(sb.baseUrl, '/api/v3/ticker/bookTicker', { symbol: 'BNBUSDT' });
    assert.deepEqual(Object.keys(book.json), ['symbol', 'bidPrice', 'bidQty', 'askPrice', 'askQty']);
    assert.ok(Number(book.json.bidPrice) < Number(book.json.askPrice));
    const avg = await get(sb.baseUrl, '/api/v3/avgPrice', { symbol: 'BNBUSDT' });
    assert.equal(avg.json.mins, 5);
    assert.ok(Number(avg.json.price) > 590 && Number(avg.json.price) < 610, avg.text);
    const day = await get(sb.baseUrl, '/api/v3/ticker/24hr', { symbol: 'BNBUSDT' });
    assert.ok(day.json.count >= filled.json.fills.length);
    assert.equal(day.json.lastPrice, filled.json.fills[filled.json.fills.length - 1].price);
    const all = await get(sb.baseUrl, '/api/v3/ticker/24hr');
    assert.equal(all.json.length, 4);
    const counts = await signed(sb.baseUrl, me, 'GET', '/api/v3/rateLimit/order');
    assert.equal(counts.json[0].rateLimitType, 'ORDERS');
    assert.ok(counts.json[0].count >= 1);
  });

  it('validates order parameters with the exact codes and messages', async () => {
    const cases: [Record<string, string>, number, string | RegExp][] = [
      [{ symbol: 'NOPE', side: 'BUY', type: 'MARKET', quantity: '1' }, -1121, 'Invalid symbol.'],
      [
        { side: 'BUY', type: 'MARKET', quantity: '1' },
        -1102,
        "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
      ],
      [
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000' },
        -1102,
        "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.",
      ],
      [
        { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET' },
        -1102,
        "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
      ],
      [{ symbol: 'BTCUSDT', side: 'HOLD', type: 'MARKET', quantity: '1' }, -1117, 'Invalid side.'],
      [{ symbol: 'BTCUSDT', side: 'BUY', type: 'STOPPY', quantity: '1' }, -1116, 'Invalid orderType.'],
      [
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTD', quantity: '1', price: '1' },
        -1115,
        'Invalid timeInForce.',
      ],
      [
        { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001', timeInForce: 'GTC' },
        -1106,
        "Parameter 'timeInForce' sent when not required.",
      ],
      [
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.000001', price: '50000' },
        -1013,
        'Filter failure: LOT_SIZE',
      ],
      [
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000.001' },
        -1013,
        'Filter failure: PRICE_FILTER',
      ],
      [
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.00001', price: '50000' },
        -1013,
        'Filter failure: NOTIONAL',
      ],
      [
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '50000' },
        -2010,
        'Account has insufficient balance for requested action.',
      ],
      [
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT_MAKER', quantity: '0.01', price: '70000' },
        -2010,
        'Order would immediately match and take.',
      ],
      [
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.000000001', price: '50000' },
        -1111,
        "Parameter 'quantity' has too much precision.",
      ],
      [
        {
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          timeInForce: 'GTC',
          quantity: '0.001',
          price: '50000',
          newClientOrderId: 'has space',
        },
        -1100,
        /newClientOrderId/,
      ],
    ];
    for (const bad of ['1e-3', '-1', 'NaN', '0.1.2', '1'.repeat(40), ' 1', '0x1', 'Infinity']) {
      cases.push([
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: bad, price: '50000' },
        -1100,
        /Illegal characters found in parameter 'quantity'/,
      ]);
    }
    for (const [params, code, msg] of cases) {
      const reply = await order(params);
      assert.equal(reply.status, 400, JSON.stringify(params));
      assert.equal(reply.json.code, code, `${JSON.stringify(params)} -> ${reply.text}`);
      if (typeof msg === 'string') assert.equal(reply.json.msg, msg);
      else assert.match(reply.json.msg, msg);
    }
    const account = await signed(sb.baseUrl, me, 'GET', '/api/v3/account');
    assert.deepEqual(
      balance(account.json, 'USDT'),
      { free: '10000.00000000', locked: '0.00000000' },
      'rejections never move money',
    );
    const all = await signed(sb.baseUrl, me, 'GET', '/api/v3/allOrders', { params: { symbol: 'BTCUSDT' } });
    assert.equal(all.json.length, 0);
  });

  it('rejects a duplicate newClientOrderId among open orders', async () => {
    const params = {
      symbol: 'ETHUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '2500',
      newClientOrderId: 'same-id',
    };
    assert.equal((await order(params)).status, 200);
    const dup = await order(params);
    assert.deepEqual(dup.json, { code: -2010, msg: 'Duplicate order sent.' });
  });

  it('tests orders without placing them, optionally with commission rates', async () => {
    const params = {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '50000',
    };
    const test = await signed(sb.baseUrl, me, 'POST', '/api/v3/order/test', { body: params });
    assert.equal(test.status, 200);
    assert.deepEqual(test.json, {});
    const rates = await signed(sb.baseUrl, me, 'POST', '/api/v3/order/test', {
      body: { ...params, computeCommissionRates: 'true' },
    });
    assert.deepEqual(rates.json, {
      standardCommissionForOrder: { maker: '0.00100000', taker: '0.00100000' },
      specialCommissionForOrder: { maker: '0.00000000', taker: '0.00000000' },
      taxCommissionForOrder: { maker: '0.00000000', taker: '0.00000000' },
      discount: { enabledForAccount: false, enabledForSymbol: false, discountAsset: 'BNB', discount: '0.00000000' },
    });
    const bad = await signed(sb.baseUrl, me, 'POST', '/api/v3/order/test', { body: { ...params, price: '50000.001' } });
    assert.equal(bad.json.code, -1013);
    const open = await signed(sb.baseUrl, me, 'GET', '/api/v3/openOrders', { params: { symbol: 'BTCUSDT' } });
    assert.equal(open.json.length, 0);
  });

  it('cancel-replaces an order, and reports a failed cancel with -2022', async () => {
    const first = await order({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '50000',
    });
    const replaced = await signed(sb.baseUrl, me, 'POST', '/api/v3/order/cancelReplace', {
      body: {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.02',
        price: '49000',
        cancelReplaceMode: 'STOP_ON_FAILURE',
        cancelOrderId: first.json.orderId,
      },
    });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.json.cancelResult, 'SUCCESS');
    assert.equal(replaced.json.newOrderResult, 'SUCCESS');
    assert.equal(replaced.json.cancelResponse.status, 'CANCELED');
    assert.equal(replaced.json.newOrderResponse.price, '49000.00000000');
    const failed = await signed(sb.baseUrl, me, 'POST', '/api/v3/order/cancelReplace', {
      body: {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.02',
        price: '49000',
        cancelReplaceMode: 'STOP_ON_FAILURE',
        cancelOrderId: first.json.orderId,
      },
    });
    assert.equal(failed.status, 400);
    assert.equal(failed.json.code, -2022);
    assert.equal(failed.json.data.cancelResult, 'FAILURE');
    assert.equal(failed.json.data.newOrderResult, 'NOT_ATTEMPTED');
    const partial = await signed(sb.baseUrl, me, 'POST', '/api/v3/order/cancelReplace', {
      body: {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '5',
        price: '49000',
        cancelReplaceMode: 'STOP_ON_FAILURE',
        cancelOrderId: replaced.json.newOrderResponse.orderId,
      },
    });
    assert.equal(partial.status, 409);
    assert.equal(partial.json.code, -2021);
    assert.equal(partial.json.data.newOrderResponse.code, -2010);
  });

  it('cancels all open orders of a symbol, and -2011 when there are none', async () => {
    for (const price of ['40000', '41000'])
      await order({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price });
    const all = await signed(sb.baseUrl, me, 'DELETE', '/api/v3/openOrders', { params: { symbol: 'BTCUSDT' } });
    assert.equal(all.json.length, 2);
    const none = await signed(sb.baseUrl, me, 'DELETE', '/api/v3/openOrders', { params: { symbol: 'BTCUSDT' } });
    assert.equal(none.json.code, -2011);
  });

  it('keeps balances consistent under concurrent orders on one account', async () => {
    const before = sb.engine.totals();
    // 30 concurrent BUYs locking 500 USDT each; only 20 fit into 10000 USDT.
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        order({
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          timeInForce: 'GTC',
          quantity: '0.01',
          price: '50000',
          newClientOrderId: `c${i}`,
        }),
      ),
    );
    const accepted = replies.filter((r) => r.status === 200).length;
    const rejected = replies.filter((r) => r.json?.code === -2010).length;
    assert.equal(accepted, 20);
    assert.equal(rejected, 10);
    // And concurrent market orders against the maker.
    await Promise.all(
      Array.from({ length: 10 }, () => order({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.05' })),
    );
    const account = await signed(sb.baseUrl, me, 'GET', '/api/v3/account');
    assert.deepEqual(balance(account.json, 'USDT').locked, '10000.00000000');
    assert.ok(Number(balance(account.json, 'BTC').free) >= 0);
    sb.engine.checkInvariants();
    const after = sb.engine.totals();
    for (const [asset, total] of before) assert.equal(after.get(asset), total, asset);
  });

  it('survives random garbage in every order parameter, totals conserved (fuzz)', async () => {
    const before = sb.engine.totals();
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        '1e-3',
        '-1',
        'NaN',
        '0.1.2',
        '1'.repeat(40),
        '0',
        '0.00000001',
        '99999999999999999999.99999999',
        'BTCUSDT',
        'BUY',
        'SELL',
        'LIMIT',
        'MARKET',
        'GTC',
        'FOK',
        '%',
        '\u0000',
        '☃',
      ),
    );
    const names = [
      'symbol',
      'side',
      'type',
      'timeInForce',
      'quantity',
      'quoteOrderQty',
      'price',
      'newClientOrderId',
      'newOrderRespType',
      'recvWindow',
    ];
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 8 }), async (params) => {
        const reply = await signed(sb.baseUrl, me, 'POST', '/api/v3/order', {
          body: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', ...params },
        });
        assert.ok([200, 400, 429].includes(reply.status), `${reply.status} ${reply.text}`);
        if (reply.status !== 200) assert.equal(typeof reply.json.code, 'number');
      }),
      { numRuns: 150 },
    );
    const alive = await get(sb.baseUrl, '/api/v3/ping');
    assert.equal(alive.status, 200);
    sb.engine.checkInvariants();
    const after = sb.engine.totals();
    for (const [asset, total] of before) assert.equal(after.get(asset), total, asset);
    const longUrl = await raw(sb.baseUrl, 'GET', `/api/v3/ping?x=${'a'.repeat(100 * 1024)}`).catch(() => ({
      status: -1,
    }));
    assert.ok([400, 414, 431, -1].includes(longUrl.status), String(longUrl.status));
    assert.equal((await get(sb.baseUrl, '/api/v3/ping')).status, 200);
  });
});
