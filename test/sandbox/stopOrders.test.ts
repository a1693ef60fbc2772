import * as assert from 'node:assert/strict';
import { signed } from './httpHelpers';
import { balance, useFreshMarket, UserStream } from './orderSuiteHelpers';

describe('sandbox HTTP: stop orders (STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT, TAKE_PROFIT_LIMIT)', function () {
  this.timeout(20000);
  // A fresh market per test: BTCUSDT last price 60000, empty book.
  const market = useFreshMarket();
  const { make, order, query, account } = market;

  it('validates per type and refuses a stop that would trigger immediately', async () => {
    const me = make();
    const base = { symbol: 'BTCUSDT', side: 'SELL', quantity: '0.01' };
    const cases: [Record<string, string>, number, string][] = [
      [
        { ...base, type: 'STOP_LOSS_LIMIT', timeInForce: 'GTC', price: '58000' },
        -1102,
        "Param 'stopPrice' or 'trailingDelta' must be sent, but both were empty/null!",
      ],
      [
        { ...base, type: 'STOP_LOSS_LIMIT', price: '58000', stopPrice: '59000' },
        -1102,
        "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.",
      ],
      [
        { ...base, type: 'TAKE_PROFIT_LIMIT', timeInForce: 'GTC', stopPrice: '61000' },
        -1102,
        "Mandatory parameter 'price' was not sent, was empty/null, or malformed.",
      ],
      [
        { symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_LOSS', stopPrice: '59000' },
        -1102,
        "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.",
      ],
      [
        { ...base, type: 'STOP_LOSS', stopPrice: '59000', price: '58000' },
        -1106,
        "Parameter 'price' sent when not required.",
      ],
      [
        { ...base, type: 'TAKE_PROFIT', stopPrice: '61000', timeInForce: 'GTC' },
        -1106,
        "Parameter 'timeInForce' sent when not required.",
      ],
      [
        { ...base, type: 'LIMIT', timeInForce: 'GTC', price: '61000', stopPrice: '61000' },
        -1106,
        "Parameter 'stopPrice' sent when not required.",
      ],
      [
        { ...base, type: 'STOP_LOSS', trailingDelta: '100' },
        -1013,
        'trailingDelta is not supported by the sandbox (allowTrailingStop is false); send stopPrice instead.',
      ],
      [{ ...base, type: 'STOP_LOSS', stopPrice: '59000.001' }, -1013, 'Filter failure: PRICE_FILTER'],
      // SELL STOP_LOSS triggers at or below its stop: 60000 is the last price.
      [{ ...base, type: 'STOP_LOSS', stopPrice: '60000' }, -2010, 'Order would trigger immediately.'],
      [
        { ...base, type: 'TAKE_PROFIT_LIMIT', timeInForce: 'GTC', price: '59000', stopPrice: '59500' },
        -2010,
        'Order would trigger immediately.',
      ],
      [{ ...base, side: 'BUY', type: 'STOP_LOSS', stopPrice: '59999' }, -2010, 'Order would trigger immediately.'],
      [{ ...base, side: 'BUY', type: 'TAKE_PROFIT', stopPrice: '60001' }, -2010, 'Order would trigger immediately.'],
      [
        { ...base, quantity: '2', type: 'STOP_LOSS', stopPrice: '59000' },
        -2010,
        'Account has insufficient balance for requested action.',
      ],
    ];
    for (const [params, code, msg] of cases) {
      const reply = await order(me, params);
      assert.equal(reply.status, 400, JSON.stringify(params));
      assert.deepEqual(reply.json, { code, msg }, JSON.stringify(params));
    }
    assert.deepEqual(
      (await signed(market.sb.baseUrl, me, 'GET', '/api/v3/openOrders', { params: { symbol: 'BTCUSDT' } })).json,
      [],
    );
    const info = (await signed(market.sb.baseUrl, me, 'GET', '/api/v3/exchangeInfo', { params: { symbol: 'BTCUSDT' } }))
      .json;
    assert.ok(info.symbols[0].orderTypes.includes('STOP_LOSS_LIMIT'));
    assert.deepEqual(
      info.symbols[0].filters.find((f: { filterType: string }) => f.filterType === 'MAX_NUM_ALGO_ORDERS'),
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    );
  });

  it('locks on placement, waits off the book, triggers on the last trade price and then works as a LIMIT order', async () => {
    const stopper = make();
    const maker = make();
    const taker = make();
    const stream = await UserStream.open(market.sb.wsApiUrl, stopper.apiKey, stopper.secret);
    try {
      const placed = await order(stopper, {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'STOP_LOSS_LIMIT',
        timeInForce: 'GTC',
        quantity: '0.01',
        price: '58900',
        stopPrice: '59000',
        newClientOrderId: 'sl-1',
      });
      assert.equal(placed.status, 200, placed.text);
      assert.deepEqual(
        Object.keys(placed.json).sort(),
        ['clientOrderId', 'orderId', 'orderListId', 'symbol', 'transactTime'],
        'ACK by default',
      );
      assert.deepEqual(balance(await account(stopper), 'BTC'), { free: '0.99000000', locked: '0.01000000' });
      const waiting = (await query(stopper, placed.json.orderId)).json;
      assert.equal(waiting.status, 'NEW');
      assert.equal(waiting.type, 'STOP_LOSS_LIMIT');
      assert.equal(waiting.stopPrice, '59000.00000000');
      assert.equal(waiting.isWorking, false);
      assert.equal(waiting.workingTime, -1);
      const depth = (
        await signed(market.sb.baseUrl, stopper, 'GET', '/api/v3/depth', { params: { symbol: 'BTCUSDT' } })
      ).json;
      assert.deepEqual(depth.asks, [], 'a waiting stop is not in the book');
      assert.equal(
        (await signed(market.sb.baseUrl, stopper, 'GET', '/api/v3/openOrders', { params: { symbol: 'BTCUSDT' } })).json
          .length,
        1,
      );

      // A trade at 59500 does not reach the stop.
      await order(maker, {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        price: '59500',
      });
      await order(taker, { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.001' });
      assert.equal((await query(stopper, placed.json.orderId)).json.isWorking, false);

      // Bids at 59000 and 58950; a trade at 59000 triggers the stop, which sells into 58950.
      await order(maker, {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        price: '59000',
      });
      await order(maker, {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.01',
        price: '58950',
      });
      await order(taker, { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.001' });
      const done = (await query(stopper, placed.json.orderId)).json;
      assert.equal(done.status, 'FILLED');
      assert.equal(done.isWorking, true);
      assert.ok(done.workingTime > 0);
      assert.equal(done.executedQty, '0.01000000');
      assert.equal(done.cummulativeQuoteQty, '589.50000000');
      assert.deepEqual(balance(await account(stopper), 'BTC'), { free: '0.99000000', locked: '0.00000000' });

      const reports = await stream.waitFor((e) => e.e === 'executionReport' && e.c === 'sl-1', 3);
      assert.deepEqual(
        reports.map((r) => [r.x, r.X, r.o, r.P]),
        [
          ['NEW', 'NEW', 'STOP_LOSS_LIMIT', '59000.00000000'],
          ['NEW', 'NEW', 'STOP_LOSS_LIMIT', '59000.00000000'],
          ['TRADE', 'FILLED', 'STOP_LOSS_LIMIT', '59000.00000000'],
        ],
      );
      assert.deepEqual([reports[0].w, reports[1].w], [false, true], 'isWorking once triggered');
      assert.equal(reports[0].W, -1);
      assert.ok(reports[1].W > 0);
    } finally {
      stream.close();
    }
  });

  it('TAKE_PROFIT BUY executes as MARKET when the price falls to it; STOP_LOSS BUY cancels and unlocks; MAX_NUM_ALGO_ORDERS', async () => {
    const me = make();
    const maker = make();
    const taker = make();
    const tp = await order(me, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'TAKE_PROFIT',
      quantity: '0.001',
      stopPrice: '58000',
      newOrderRespType: 'RESULT',
    });
    assert.equal(tp.status, 200, tp.text);
    assert.equal(tp.json.stopPrice, '58000.00000000');
    assert.equal(tp.json.workingTime, -1);
    assert.deepEqual(balance(await account(me), 'USDT'), { free: '9942.00000000', locked: '58.00000000' });
    await order(maker, {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '58000',
    });
    await order(taker, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'IOC',
      quantity: '0.001',
      price: '58000',
    });
    const filled = (await query(me, tp.json.orderId)).json;
    assert.equal(filled.status, 'FILLED');
    assert.equal(filled.cummulativeQuoteQty, '58.00000000');
    assert.deepEqual(balance(await account(me), 'USDT'), { free: '9942.00000000', locked: '0.00000000' });
    assert.deepEqual(balance(await account(me), 'BTC'), { free: '1.00099900', locked: '0.00000000' });

    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sl = await order(me, {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'STOP_LOSS',
        quantity: '0.001',
        stopPrice: String(70000 + i),
      });
      assert.equal(sl.status, 200, sl.text);
      ids.push(sl.json.orderId);
    }
    const sixth = await order(me, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'STOP_LOSS',
      quantity: '0.001',
      stopPrice: '71000',
    });
    assert.deepEqual(sixth.json, { code: -1013, msg: 'Filter failure: MAX_NUM_ALGO_ORDERS' });
    const plain = await order(me, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.001',
      price: '50000',
    });
    assert.equal(plain.status, 200, 'MAX_NUM_ALGO_ORDERS counts stop orders only');
    const canceled = await signed(market.sb.baseUrl, me, 'DELETE', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', orderId: ids[0] },
    });
    assert.equal(canceled.json.status, 'CANCELED');
    assert.equal(canceled.json.stopPrice, '70000.00000000');
    const all = await signed(market.sb.baseUrl, me, 'DELETE', '/api/v3/openOrders', { params: { symbol: 'BTCUSDT' } });
    assert.equal(all.json.length, 5);
    assert.deepEqual(balance(await account(me), 'USDT'), { free: '9942.00000000', locked: '0.00000000' });
  });
});
