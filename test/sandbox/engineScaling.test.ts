/**
 * The engine's work per order does not grow with history or with the book: asserted by counting
 * the orders it walks through (Engine.ordersVisited), never by timing (timings are in the bench).
 */
import * as assert from 'node:assert/strict';
import { DEFAULT_SYMBOLS, resolveSymbol } from '../../src/sandbox/config';
import { dec } from '../../src/sandbox/decimal';
import { Engine, NewOrderInput } from '../../src/sandbox/engine';
import { assertConserved, limit, rejects, T0 } from './engineHelpers';

/** LIMIT IOC far below the market: it expires at once on an empty book (a closed order of history). */
const expiring = (extra: Partial<NewOrderInput> = {}): NewOrderInput =>
  limit('BUY', '30000', '0.0002', { timeInForce: 'IOC', ...extra });

function visitsOf(engine: Engine, operation: () => unknown): number {
  const before = engine.ordersVisited;
  operation();
  return engine.ordersVisited - before;
}

function engineWith(maxNumOrders = 200): Engine {
  return new Engine([resolveSymbol({ ...DEFAULT_SYMBOLS[0], maxNumOrders })], { now: () => T0 });
}

describe('sandbox engine: work per order', () => {
  it("placing, validating and looking up an order walks none of the account's or other accounts' history", () => {
    const engine = engineWith();
    const alice = engine.createAccount('alice', { USDT: '1000000', BTC: '10' });
    const bob = engine.createAccount('bob', { USDT: '1000000', BTC: '10' });
    for (let i = 0; i < 10; i++) engine.placeOrder(alice.id, expiring());
    const resting = engine.placeOrder(alice.id, limit('BUY', '31000', '0.001', { newClientOrderId: 'rest-1' }));
    const small = {
      place: visitsOf(engine, () => engine.placeOrder(alice.id, expiring())),
      validate: visitsOf(engine, () => engine.validateOrder(alice.id, expiring({ newClientOrderId: 'x' }))),
      byId: visitsOf(engine, () => engine.getOrder(alice.id, 'BTCUSDT', { orderId: resting.order.orderId })),
      byClientId: visitsOf(engine, () => engine.getOrder(alice.id, 'BTCUSDT', { origClientOrderId: 'rest-1' })),
    };
    for (let i = 0; i < 3000; i++) engine.placeOrder(alice.id, expiring());
    for (let i = 0; i < 3000; i++) engine.placeOrder(bob.id, expiring());
    const large = {
      place: visitsOf(engine, () => engine.placeOrder(alice.id, expiring())),
      validate: visitsOf(engine, () => engine.validateOrder(alice.id, expiring({ newClientOrderId: 'x' }))),
      byId: visitsOf(engine, () => engine.getOrder(alice.id, 'BTCUSDT', { orderId: resting.order.orderId })),
      byClientId: visitsOf(engine, () => engine.getOrder(alice.id, 'BTCUSDT', { origClientOrderId: 'rest-1' })),
    };
    assert.deepEqual(large, small);
    // The one resting order is below this IOC's price: the sweep reads nothing (bids are not asks).
    assert.deepEqual(small, { place: 0, validate: 0, byId: 0, byClientId: 0 });
  });

  it('open-order counts and open client order ids stay right through fills and cancels', () => {
    const engine = engineWith(3);
    const alice = engine.createAccount('alice', { USDT: '1000000', BTC: '10' });
    const bob = engine.createAccount('bob', { USDT: '1000000', BTC: '10' });
    const a = engine.placeOrder(alice.id, limit('BUY', '59000', '0.001', { newClientOrderId: 'a' }));
    engine.placeOrder(alice.id, limit('BUY', '58000', '0.001', { newClientOrderId: 'b' }));
    rejects(
      () => engine.placeOrder(alice.id, limit('BUY', '56000', '0.001', { newClientOrderId: 'b' })),
      -2010,
      'Duplicate order sent.',
    );
    engine.placeOrder(alice.id, limit('BUY', '57000', '0.001'));
    rejects(() => engine.placeOrder(alice.id, limit('BUY', '56000', '0.001')), -1013, 'Filter failure: MAX_NUM_ORDERS');
    // Bob's sell fills 'a': one slot frees up, and 'a' may be used again.
    engine.placeOrder(bob.id, limit('SELL', '59000', '0.001', { timeInForce: 'IOC' }));
    assert.equal(engine.getOrder(alice.id, 'BTCUSDT', { orderId: a.order.orderId }).status, 'FILLED');
    const again = engine.placeOrder(alice.id, limit('BUY', '55000', '0.001', { newClientOrderId: 'a' }));
    assert.equal(engine.getOrder(alice.id, 'BTCUSDT', { origClientOrderId: 'a' }).orderId, again.order.orderId);
    rejects(() => engine.placeOrder(alice.id, limit('BUY', '56000', '0.001')), -1013, 'Filter failure: MAX_NUM_ORDERS');
    engine.cancelOrder(alice.id, 'BTCUSDT', { origClientOrderId: 'b' });
    engine.placeOrder(alice.id, limit('BUY', '56000', '0.001', { newClientOrderId: 'b' }));
    assert.deepEqual(
      engine.openOrders(alice.id).map((o) => o.price),
      [dec('57000'), dec('55000'), dec('56000')],
      'open orders, oldest first',
    );
  });

  it('a one-step match reads the best order and the next only, however deep the book', () => {
    const engine = engineWith(5000);
    const maker = engine.createAccount('maker', { USDT: '100000000', BTC: '100' });
    const taker = engine.createAccount('taker', { USDT: '1000000', BTC: '10' });
    const totals = engine.totals();
    for (let i = 1; i <= 2000; i++) {
      engine.placeOrder(maker.id, limit('BUY', (60000 - i * 0.01).toFixed(2), '0.01'));
      engine.placeOrder(maker.id, limit('SELL', (60000 + i * 0.01).toFixed(2), '0.01'));
    }
    const matchVisits = visitsOf(engine, () =>
      engine.placeOrder(taker.id, limit('SELL', '59999.99', '0.001', { timeInForce: 'IOC' })),
    );
    assert.equal(matchVisits, 2, 'the best bid fills; the next bid does not cross and ends the sweep');
    const restVisits = visitsOf(engine, () => engine.placeOrder(taker.id, limit('BUY', '59000', '0.001')));
    assert.equal(restVisits, 1, 'a bid below the best ask looks at the best ask only');
    assert.deepEqual(engine.depth('BTCUSDT', 2).bids, [
      [dec('59999.99'), dec('0.009')],
      [dec('59999.98'), dec('0.01')],
    ]);
    assertConserved(engine, totals);
  });
});
