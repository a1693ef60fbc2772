/**
 * Retention: closed orders, order lists and trades beyond the bounds leave memory, oldest first;
 * open orders always stay; queries answer like Binance does for data it no longer serves.
 */
import * as assert from 'node:assert/strict';
import { DEFAULT_SYMBOLS, resolveSymbol, validateSeed } from '../../src/sandbox/config';
import { dec } from '../../src/sandbox/decimal';
import { EngineOrder, Engine, resolveRetention, DEFAULT_RETENTION, Retention } from '../../src/sandbox/engine';
import { assertConserved, limit, rejects, T0 } from './engineHelpers';

function engineKeeping(retention: Partial<Retention>, forgotten: EngineOrder[] = []): Engine {
  return new Engine(DEFAULT_SYMBOLS.map(resolveSymbol), {
    now: () => T0,
    retention,
    onForget: (order) => forgotten.push(order),
  });
}

const expiring = limit('BUY', '30000', '0.0002', { timeInForce: 'IOC' });

describe('sandbox engine: retention', () => {
  it('keeps the newest closed orders up to the bound and every open order; dropped ids answer -2026', () => {
    const forgotten: EngineOrder[] = [];
    const engine = engineKeeping({ closedOrders: 3 }, forgotten);
    const alice = engine.createAccount('alice', { USDT: '100000' });
    const totals = engine.totals();
    const resting = engine.placeOrder(alice.id, limit('BUY', '31000', '0.001', { newClientOrderId: 'keep' })).order;
    const closed = Array.from(
      { length: 6 },
      (_, i) => engine.placeOrder(alice.id, { ...expiring, newClientOrderId: `ioc-${i}` }).order,
    );
    assert.deepEqual(
      engine.allOrders(alice.id, 'BTCUSDT').map((o) => o.orderId),
      [resting.orderId, ...closed.slice(3).map((o) => o.orderId)],
      'the open order and the 3 newest closed ones, in id order',
    );
    assert.deepEqual(
      forgotten.map((o) => o.orderId),
      closed.slice(0, 3).map((o) => o.orderId),
      'the oldest closed go first, each handed to onForget',
    );
    rejects(
      () => engine.getOrder(alice.id, 'BTCUSDT', { orderId: closed[0].orderId }),
      -2026,
      'Order was canceled or expired with no executed qty over 90 days ago and has been archived.',
    );
    assert.equal(engine.findOrderOrUndefined(alice.id, 'BTCUSDT', { origClientOrderId: 'ioc-0' }), undefined);
    assert.equal(engine.getOrder(alice.id, 'BTCUSDT', { origClientOrderId: 'ioc-5' }).status, 'EXPIRED');
    assert.equal(engine.getOrder(alice.id, 'BTCUSDT', { origClientOrderId: 'keep' }).orderId, resting.orderId);
    rejects(() => engine.getOrder(alice.id, 'BTCUSDT', { orderId: 999 }), -2013, 'Order does not exist.');
    engine.cancelOrder(alice.id, 'BTCUSDT', { orderId: resting.orderId });
    assert.equal(engine.openOrders(alice.id).length, 0);
    assertConserved(engine, totals);
  });

  it('keeps the newest trades up to the bound, over all accounts', () => {
    const engine = engineKeeping({ trades: 4 });
    const maker = engine.createAccount('maker', { BTC: '1' });
    const taker = engine.createAccount('taker', { USDT: '100000' });
    const totals = engine.totals();
    engine.placeOrder(maker.id, limit('SELL', '60000', '0.005'));
    const fills = Array.from({ length: 5 }, () =>
      engine.placeOrder(taker.id, limit('BUY', '60000', '0.001', { timeInForce: 'IOC' })),
    ).map((r) => r.fills[0].tradeId);
    // Each fill is two account trades (taker's, maker's): 4 kept = the last two fills.
    assert.deepEqual(
      engine.myTrades(taker.id, 'BTCUSDT').map((t) => t.id),
      fills.slice(3),
    );
    assert.deepEqual(
      engine.myTrades(maker.id, 'BTCUSDT').map((t) => t.id),
      fills.slice(3),
    );
    assert.equal(engine.openOrders(maker.id).length, 0, 'the maker order filled');
    assertConserved(engine, totals);
  });

  it('keeps ended order lists up to the closed-order bound; open lists always', () => {
    const engine = engineKeeping({ closedOrders: 1 });
    const alice = engine.createAccount('alice', { BTC: '1' });
    const oco = (id: string) =>
      engine.placeOco(alice.id, {
        symbol: 'BTCUSDT',
        side: 'SELL',
        quantity: dec('0.001'),
        listClientOrderId: id,
        above: { type: 'LIMIT_MAKER', price: dec('61000') },
        below: { type: 'STOP_LOSS', stopPrice: dec('59000') },
      }).list;
    const first = oco('first');
    const second = oco('second');
    const open = oco('open');
    engine.cancelOrderList(alice.id, 'BTCUSDT', { orderListId: first.orderListId });
    engine.cancelOrderList(alice.id, 'BTCUSDT', { orderListId: second.orderListId });
    // The bound counts ended lists (as it counts closed orders): only the newest ended list stays.
    assert.equal(engine.orderList(alice.id, { listClientOrderId: 'first' }), undefined);
    assert.equal(engine.orderList(alice.id, { orderListId: second.orderListId })?.listOrderStatus, 'ALL_DONE');
    assert.deepEqual(
      engine.openOrderLists(alice.id).map((l) => l.orderListId),
      [open.orderListId],
    );
    assert.equal(engine.orderList(alice.id, { listClientOrderId: 'open' })?.orderListId, open.orderListId);
  });

  it('defaults are documented numbers; bad bounds are refused with a message saying how to fix them', () => {
    assert.deepEqual(resolveRetention(), DEFAULT_RETENTION);
    assert.deepEqual(DEFAULT_RETENTION, { closedOrders: 100_000, trades: 100_000, candles: 1000 });
    assert.throws(
      () => resolveRetention({ trades: 0 }),
      /retention.trades must be a whole number of at least 1 \(got 0\)/,
    );
    assert.throws(
      () => validateSeed({ retention: { closedOrders: 1.5 } }),
      /seed.retention.closedOrders must be a whole number/,
    );
    assert.throws(() => validateSeed({ retention: { orders: 5 } }), /seed.retention.orders is not a retention setting/);
  });
});
