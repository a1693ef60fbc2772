import * as assert from 'node:assert/strict';
import { Creds, signed } from './httpHelpers';
import { balance, useFreshMarket, UserStream } from './orderSuiteHelpers';

describe('sandbox HTTP: OCO order lists (orderList/oco, openOrderList, orderList)', function () {
  this.timeout(20000);
  // A fresh market per test: BTCUSDT last price 60000, empty book.
  const market = useFreshMarket();
  const { make, order, query, account } = market;
  const oco = (creds: Creds, params: Record<string, string>) =>
    signed(market.sb.baseUrl, creds, 'POST', '/api/v3/orderList/oco', {
      body: { symbol: 'BTCUSDT', quantity: '0.01', ...params },
    });
  const openLists = async (creds: Creds) =>
    (await signed(market.sb.baseUrl, creds, 'GET', '/api/v3/openOrderList')).json;

  it('places a SELL OCO with one lock; the LIMIT_MAKER fill expires the stop leg; listStatus events', async () => {
    const me = make();
    const taker = make();
    const stream = await UserStream.open(market.sb.wsApiUrl, me.apiKey, me.secret);
    try {
      const placed = await oco(me, {
        side: 'SELL',
        listClientOrderId: 'list-1',
        aboveType: 'LIMIT_MAKER',
        abovePrice: '62000',
        belowType: 'STOP_LOSS_LIMIT',
        belowStopPrice: '58000',
        belowPrice: '57900',
        belowTimeInForce: 'GTC',
      });
      assert.equal(placed.status, 200, placed.text);
      assert.equal(placed.json.contingencyType, 'OCO');
      assert.equal(placed.json.listStatusType, 'EXEC_STARTED');
      assert.equal(placed.json.listOrderStatus, 'EXECUTING');
      assert.equal(placed.json.listClientOrderId, 'list-1');
      assert.deepEqual(
        placed.json.orderReports.map((r: { type: string }) => r.type),
        ['STOP_LOSS_LIMIT', 'LIMIT_MAKER'],
      );
      assert.equal(placed.json.orderReports[0].stopPrice, '58000.00000000');
      assert.ok(
        placed.json.orderReports.every((r: { orderListId: number }) => r.orderListId === placed.json.orderListId),
      );
      assert.deepEqual(
        balance(await account(me), 'BTC'),
        { free: '0.99000000', locked: '0.01000000' },
        'both legs share one lock',
      );
      assert.equal((await openLists(me)).length, 1);
      const [stopLeg, makerLeg] = placed.json.orderReports.map((r: { orderId: number }) => r.orderId);
      assert.equal((await query(me, stopLeg)).json.orderListId, placed.json.orderListId);

      await order(taker, {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity: '0.01',
        price: '62000',
      });
      assert.equal((await query(me, makerLeg)).json.status, 'FILLED');
      assert.equal((await query(me, stopLeg)).json.status, 'EXPIRED');
      assert.deepEqual(await openLists(me), []);
      const list = (
        await signed(market.sb.baseUrl, me, 'GET', '/api/v3/orderList', {
          params: { orderListId: placed.json.orderListId },
        })
      ).json;
      assert.equal(list.listOrderStatus, 'ALL_DONE');
      assert.deepEqual(balance(await account(me), 'BTC'), { free: '0.99000000', locked: '0.00000000' });

      const statuses = await stream.waitFor((e) => e.e === 'listStatus', 2);
      assert.deepEqual(
        statuses.map((e) => [e.l, e.L, e.C, e.O.length]),
        [
          ['EXEC_STARTED', 'EXECUTING', 'list-1', 2],
          ['ALL_DONE', 'ALL_DONE', 'list-1', 2],
        ],
      );
      const expired = await stream.waitFor((e) => e.e === 'executionReport' && e.i === stopLeg && e.x === 'EXPIRED');
      assert.equal(expired[0].g, placed.json.orderListId);
    } finally {
      stream.close();
    }
  });

  it('a triggered stop leg expires the LIMIT_MAKER leg and sells with the shared lock', async () => {
    const me = make();
    const maker = make();
    const taker = make();
    const placed = await oco(me, {
      side: 'SELL',
      aboveType: 'LIMIT_MAKER',
      abovePrice: '62000',
      belowType: 'STOP_LOSS',
      belowStopPrice: '59000',
    });
    assert.equal(placed.status, 200, placed.text);
    const [stopLeg, makerLeg] = placed.json.orderReports.map((r: { orderId: number }) => r.orderId);
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
      quantity: '0.02',
      price: '58900',
    });
    await order(taker, { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.001' });
    const stop = (await query(me, stopLeg)).json;
    assert.equal(stop.status, 'FILLED');
    assert.equal(stop.cummulativeQuoteQty, '589.00000000');
    assert.equal((await query(me, makerLeg)).json.status, 'EXPIRED');
    const depth = (await signed(market.sb.baseUrl, me, 'GET', '/api/v3/depth', { params: { symbol: 'BTCUSDT' } })).json;
    assert.deepEqual(depth.asks, []);
    assert.deepEqual(balance(await account(me), 'BTC'), { free: '0.99000000', locked: '0.00000000' });
  });

  it('cancels a BUY OCO by orderList or by one leg; both legs end CANCELED and the lock returns', async () => {
    const me = make();
    const params = {
      side: 'BUY',
      belowType: 'LIMIT_MAKER',
      belowPrice: '58000',
      aboveType: 'STOP_LOSS_LIMIT',
      aboveStopPrice: '61000',
      abovePrice: '61100',
      aboveTimeInForce: 'GTC',
    };
    const first = await oco(me, params);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(
      balance(await account(me), 'USDT'),
      { free: '9389.00000000', locked: '611.00000000' },
      'the dearer leg sets the lock',
    );
    const canceled = await signed(market.sb.baseUrl, me, 'DELETE', '/api/v3/orderList', {
      params: { symbol: 'BTCUSDT', orderListId: first.json.orderListId },
    });
    assert.equal(canceled.status, 200, canceled.text);
    assert.equal(canceled.json.listOrderStatus, 'ALL_DONE');
    assert.deepEqual(
      canceled.json.orderReports.map((r: { status: string }) => r.status),
      ['CANCELED', 'CANCELED'],
    );
    assert.deepEqual(balance(await account(me), 'USDT'), { free: '10000.00000000', locked: '0.00000000' });
    const again = await signed(market.sb.baseUrl, me, 'DELETE', '/api/v3/orderList', {
      params: { symbol: 'BTCUSDT', orderListId: first.json.orderListId },
    });
    assert.deepEqual(again.json, { code: -2011, msg: 'Order list does not exist.' });

    const second = await oco(me, params);
    const leg = second.json.orderReports[1].orderId;
    await signed(market.sb.baseUrl, me, 'DELETE', '/api/v3/order', { params: { symbol: 'BTCUSDT', orderId: leg } });
    assert.equal((await query(me, second.json.orderReports[0].orderId)).json.status, 'CANCELED');
    assert.deepEqual(await openLists(me), []);
    assert.deepEqual(balance(await account(me), 'USDT'), { free: '10000.00000000', locked: '0.00000000' });
  });

  it('refuses legs on the wrong side of the market, missing leg parameters and unknown parameters', async () => {
    const me = make();
    const cases: [Record<string, string>, number, string][] = [
      [
        {
          side: 'SELL',
          aboveType: 'LIMIT_MAKER',
          abovePrice: '59000',
          belowType: 'STOP_LOSS',
          belowStopPrice: '58000',
        },
        -1013,
        'The relationship of the prices for the orders is not correct.',
      ],
      [
        { side: 'SELL', aboveType: 'LIMIT_MAKER', abovePrice: '62000', belowType: 'STOP_LOSS' },
        -1102,
        "Param 'belowStopPrice' or 'belowTrailingDelta' must be sent, but both were empty/null!",
      ],
      [
        { side: 'SELL', aboveType: 'LIMIT_MAKER', belowType: 'STOP_LOSS', belowStopPrice: '58000' },
        -1102,
        "Mandatory parameter 'abovePrice' was not sent, was empty/null, or malformed.",
      ],
      [
        { side: 'SELL', aboveType: 'LIMIT', abovePrice: '62000', belowType: 'STOP_LOSS', belowStopPrice: '58000' },
        -1100,
        "Illegal characters found in parameter 'aboveType'; legal range is 'STOP_LOSS_LIMIT, STOP_LOSS, LIMIT_MAKER, TAKE_PROFIT, TAKE_PROFIT_LIMIT'.",
      ],
      [
        {
          side: 'SELL',
          aboveType: 'LIMIT_MAKER',
          abovePrice: '62000',
          belowType: 'STOP_LOSS',
          belowStopPrice: '58000',
          foo: '1',
        },
        -1104,
        "Not all sent parameters were read; read '9' parameter(s) but was sent '10'.",
      ],
      [
        {
          side: 'SELL',
          quantity: '2',
          aboveType: 'LIMIT_MAKER',
          abovePrice: '62000',
          belowType: 'STOP_LOSS',
          belowStopPrice: '58000',
        },
        -2010,
        'Account has insufficient balance for requested action.',
      ],
    ];
    for (const [params, code, msg] of cases) {
      const reply = await oco(me, params);
      assert.deepEqual(reply.json, { code, msg }, JSON.stringify(params));
    }
    assert.deepEqual(await openLists(me), []);
  });
});
