import * as assert from 'node:assert/strict';
import { DEFAULT_SYMBOLS, resolveSymbol } from '../../src/sandbox/config';
import { dec, fmt, tryParseDec } from '../../src/sandbox/decimal';
import { Account, Engine, EngineEvent } from '../../src/sandbox/engine';
import { assertConserved, limit, newEngine, rejects, T0 } from './engineHelpers';

function bal(account: Account, asset: string): { free: string; locked: string } {
  const b = account.balances.get(asset);
  return { free: fmt(b?.free ?? 0n), locked: fmt(b?.locked ?? 0n) };
}

describe('sandbox decimal', () => {
  it('parses only plain decimals', () => {
    assert.equal(tryParseDec('0.001'), 10n ** 15n);
    for (const bad of ['1e-3', '-1', 'NaN', '0.1.2', '', '.5', '5.', ' 1', '1'.repeat(40), 'Infinity', '0x10']) {
      assert.equal(tryParseDec(bad), undefined, bad);
    }
    assert.equal(fmt(dec('60000.5')), '60000.50000000');
    assert.equal(fmt(dec('-0.000000001')), '0.00000000');
  });

  it('formats every amount the same once the 8-place cache has filled and cleared', () => {
    for (let i = 0; i < 10_000; i++) {
      const units = BigInt(i) * 123_456_789n;
      const whole = units / 10n ** 18n;
      const frac = (units % 10n ** 18n).toString().padStart(18, '0').slice(0, 8);
      assert.equal(fmt(units), `${whole}.${frac}`);
    }
    assert.equal(fmt(dec('60000.5')), '60000.50000000');
  });
});

describe('sandbox engine', () => {
  let engine: Engine;
  let alice: Account;
  let bob: Account;
  let carol: Account;
  beforeEach(() => {
    engine = newEngine();
    alice = engine.createAccount('alice', { BTC: '1', USDT: '100000', ETH: '10' });
    bob = engine.createAccount('bob', { BTC: '1', USDT: '100000', ETH: '10' });
    carol = engine.createAccount('carol', { BTC: '1', USDT: '100000', ETH: '10' });
  });

  it('rests a LIMIT order, locks funds, then fills partially with commissions to the fee account', () => {
    const before = engine.totals();
    const ask = engine.placeOrder(alice.id, limit('SELL', '60000', '0.5'));
    assert.equal(ask.order.status, 'NEW');
    assert.deepEqual(bal(alice, 'BTC'), { free: '0.50000000', locked: '0.50000000' });

    const bid = engine.placeOrder(bob.id, limit('BUY', '60010', '0.2'));
    assert.equal(bid.order.status, 'FILLED');
    assert.equal(bid.fills.length, 1);
    assert.equal(fmt(bid.fills[0].price), '60000.00000000', 'maker price');
    assert.equal(fmt(bid.fills[0].commission), '0.00020000');
    assert.equal(bid.fills[0].commissionAsset, 'BTC');
    assert.equal(engine.getOrder(alice.id, 'BTCUSDT', { orderId: ask.order.orderId }).status, 'PARTIALLY_FILLED');
    // bob paid 12000 USDT, got 0.2 BTC minus 0.1 %
    assert.deepEqual(bal(bob, 'USDT'), { free: '88000.00000000', locked: '0.00000000' });
    assert.deepEqual(bal(bob, 'BTC'), { free: '1.19980000', locked: '0.00000000' });
    // alice sold 0.2 of her locked 0.5, got 12000 minus 12 USDT
    assert.deepEqual(bal(alice, 'BTC'), { free: '0.50000000', locked: '0.30000000' });
    assert.deepEqual(bal(alice, 'USDT'), { free: '111988.00000000', locked: '0.00000000' });
    assert.deepEqual(bal(engine.feeAccount, 'USDT'), { free: '12.00000000', locked: '0.00000000' });
    assert.equal(engine.lastPrice('BTCUSDT'), dec('60000'));
    assertConserved(engine, before);

    const trades = engine.myTrades(alice.id, 'BTCUSDT');
    assert.equal(trades.length, 1);
    assert.equal(trades[0].isMaker, true);
    assert.equal(trades[0].isBuyer, false);
  });

  it('matches by price, then by time', () => {
    const a1 = engine.placeOrder(alice.id, limit('SELL', '60100', '0.1'));
    const b1 = engine.placeOrder(bob.id, limit('SELL', '60050', '0.1'));
    const a2 = engine.placeOrder(alice.id, limit('SELL', '60050', '0.1'));
    const buy = engine.placeOrder(carol.id, limit('BUY', '60100', '0.25'));
    assert.deepEqual(
      buy.fills.map((f) => [fmt(f.price), fmt(f.qty)]),
      [
        ['60050.00000000', '0.10000000'],
        ['60050.00000000', '0.10000000'],
        ['60100.00000000', '0.05000000'],
      ],
    );
    assert.equal(engine.getOrder(bob.id, 'BTCUSDT', { orderId: b1.order.orderId }).status, 'FILLED');
    assert.equal(engine.getOrder(alice.id, 'BTCUSDT', { orderId: a2.order.orderId }).status, 'FILLED');
    assert.equal(engine.getOrder(alice.id, 'BTCUSDT', { orderId: a1.order.orderId }).status, 'PARTIALLY_FILLED');
    const tradeOrder = engine.myTrades(carol.id, 'BTCUSDT').map((t) => t.id);
    assert.deepEqual(tradeOrder, [1, 2, 3]);
  });

  it('IOC fills what it can and expires the rest; FOK fills all or nothing', () => {
    engine.placeOrder(alice.id, limit('SELL', '60000', '0.1'));
    const before = engine.totals();
    const ioc = engine.placeOrder(bob.id, limit('BUY', '60000', '0.3', { timeInForce: 'IOC' }));
    assert.equal(ioc.order.status, 'EXPIRED');
    assert.equal(fmt(ioc.order.executedQty), '0.10000000');
    assert.deepEqual(bal(bob, 'USDT').locked, '0.00000000');

    engine.placeOrder(alice.id, limit('SELL', '60000', '0.1'));
    const bobUsdt = bal(bob, 'USDT');
    const fokFail = engine.placeOrder(bob.id, limit('BUY', '60000', '0.2', { timeInForce: 'FOK' }));
    assert.equal(fokFail.order.status, 'EXPIRED');
    assert.equal(fokFail.fills.length, 0);
    assert.deepEqual(bal(bob, 'USDT'), bobUsdt, 'a failed FOK moves nothing');

    const fok = engine.placeOrder(bob.id, limit('BUY', '60000', '0.1', { timeInForce: 'FOK' }));
    assert.equal(fok.order.status, 'FILLED');
    assert.equal(engine.openOrders(alice.id).length, 0);
    assertConserved(engine, before);
  });

  it('rejects a LIMIT_MAKER that would take and rests one that would not', () => {
    engine.placeOrder(alice.id, limit('SELL', '60000', '0.1'));
    rejects(
      () => engine.placeOrder(bob.id, { ...limit('BUY', '60000', '0.1'), type: 'LIMIT_MAKER', timeInForce: undefined }),
      -2010,
      'Order would immediately match and take.',
    );
    assert.deepEqual(bal(bob, 'USDT'), { free: '100000.00000000', locked: '0.00000000' });
    const maker = engine.placeOrder(bob.id, {
      ...limit('BUY', '59999.99', '0.1'),
      type: 'LIMIT_MAKER',
      timeInForce: undefined,
    });
    assert.equal(maker.order.status, 'NEW');
    assert.equal(bal(bob, 'USDT').locked, '5999.99900000');
  });

  it('MARKET buy by quoteOrderQty spends at most the quote amount in whole steps', () => {
    engine.placeOrder(alice.id, limit('SELL', '60000', '0.01'));
    engine.placeOrder(alice.id, limit('SELL', '61000', '0.5'));
    const before = engine.totals();
    const m = engine.placeOrder(bob.id, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: dec('1000') });
    assert.equal(m.order.status, 'FILLED');
    // 0.01 @ 60000 = 600, then floor(400 / 61000, 0.00001) = 0.00655 @ 61000 = 399.55
    assert.deepEqual(
      m.fills.map((f) => fmt(f.qty)),
      ['0.01000000', '0.00655000'],
    );
    assert.equal(fmt(m.order.cumQuote), '999.55000000');
    assert.equal(fmt(m.order.origQty), '0.01655000');
    assert.deepEqual(bal(bob, 'USDT'), { free: '99000.45000000', locked: '0.00000000' });
    assertConserved(engine, before);
  });

  it('MARKET orders without enough liquidity expire; with none at all they fill nothing', () => {
    const empty = engine.placeOrder(bob.id, { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: dec('0.1') });
    assert.equal(empty.order.status, 'EXPIRED');
    assert.equal(bal(bob, 'BTC').free, '1.00000000');
    engine.placeOrder(alice.id, limit('BUY', '50000', '0.05'));
    const partial = engine.placeOrder(bob.id, {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: dec('0.1'),
    });
    assert.equal(partial.order.status, 'EXPIRED');
    assert.equal(fmt(partial.order.executedQty), '0.05000000');
    assert.deepEqual(bal(bob, 'BTC'), { free: '0.95000000', locked: '0.00000000' });
  });

  it('rejects orders the account cannot pay for without touching balances', () => {
    rejects(
      () => engine.placeOrder(bob.id, limit('BUY', '60000', '2')),
      -2010,
      'Account has insufficient balance for requested action.',
    );
    rejects(
      () => engine.placeOrder(bob.id, limit('SELL', '60000', '1.5')),
      -2010,
      'Account has insufficient balance for requested action.',
    );
    assert.deepEqual(bal(bob, 'USDT'), { free: '100000.00000000', locked: '0.00000000' });
    assert.equal(engine.allOrders(bob.id, 'BTCUSDT').length, 0);
  });

  it('applies filters with exact decimals', () => {
    rejects(() => engine.placeOrder(bob.id, limit('BUY', '60000.001', '0.01')), -1013, 'Filter failure: PRICE_FILTER');
    rejects(() => engine.placeOrder(bob.id, limit('BUY', '60000', '0.000015')), -1013, 'Filter failure: LOT_SIZE');
    rejects(() => engine.placeOrder(bob.id, limit('BUY', '60000', '0')), -1013, 'Filter failure: LOT_SIZE');
    rejects(
      () => engine.placeOrder(bob.id, limit('BUY', '100', '0.00001')),
      -1013,
      'Filter failure: PERCENT_PRICE_BY_SIDE',
    );
    rejects(() => engine.placeOrder(bob.id, limit('BUY', '20000', '0.0002')), -1013, 'Filter failure: NOTIONAL');
    rejects(
      () => engine.placeOrder(bob.id, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: dec('101') }),
      -1013,
      'Filter failure: MARKET_LOT_SIZE',
    );
    rejects(
      () => engine.placeOrder(bob.id, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: dec('4.99') }),
      -1013,
      'Filter failure: NOTIONAL',
    );
    rejects(() => engine.placeOrder(bob.id, limit('BUY', '1', '1', { symbol: 'NOPE' })), -1121, 'Invalid symbol.');
    // 0.1 * 0.05 = 0.005 BTC: fine on ETHBTC with its 9-decimal notional
    const ok = engine.placeOrder(bob.id, {
      symbol: 'ETHBTC',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: dec('0.05001'),
      quantity: dec('0.1001'),
    });
    assert.equal(ok.order.status, 'NEW');
    assert.equal(bal(bob, 'BTC').locked, '0.00500601');
  });

  it('enforces MAX_NUM_ORDERS per symbol', () => {
    const e = new Engine([resolveSymbol({ ...DEFAULT_SYMBOLS[0], maxNumOrders: 2 })], { now: () => T0 });
    const a = e.createAccount('a', { USDT: '100000' });
    e.placeOrder(a.id, limit('BUY', '59000', '0.001'));
    e.placeOrder(a.id, limit('BUY', '59000', '0.001'));
    rejects(() => e.placeOrder(a.id, limit('BUY', '59000', '0.001')), -1013, 'Filter failure: MAX_NUM_ORDERS');
  });

  it('keeps newClientOrderId unique among open orders only', () => {
    engine.placeOrder(bob.id, limit('BUY', '59000', '0.001', { newClientOrderId: 'dup-1' }));
    rejects(
      () => engine.placeOrder(bob.id, limit('BUY', '59000', '0.001', { newClientOrderId: 'dup-1' })),
      -2010,
      'Duplicate order sent.',
    );
    engine.cancelOrder(bob.id, 'BTCUSDT', { origClientOrderId: 'dup-1' });
    const again = engine.placeOrder(bob.id, limit('BUY', '59000', '0.001', { newClientOrderId: 'dup-1' }));
    assert.equal(
      engine.getOrder(bob.id, 'BTCUSDT', { origClientOrderId: 'dup-1' }).orderId,
      again.order.orderId,
      'latest order wins',
    );
    rejects(() => engine.cancelOrder(bob.id, 'BTCUSDT', { orderId: 999 }), -2011, 'Unknown order sent.');
    rejects(() => engine.getOrder(bob.id, 'BTCUSDT', { orderId: 999 }), -2013, 'Order does not exist.');
    rejects(
      () => engine.getOrder(alice.id, 'BTCUSDT', { orderId: again.order.orderId }),
      -2013,
      'Order does not exist.',
    );
  });

  it('cancels return every lock, and events describe each step', () => {
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    const o = engine.placeOrder(bob.id, limit('BUY', '59000', '0.5'));
    assert.equal(bal(bob, 'USDT').locked, '29500.00000000');
    engine.cancelOrder(bob.id, 'BTCUSDT', { orderId: o.order.orderId });
    assert.deepEqual(bal(bob, 'USDT'), { free: '100000.00000000', locked: '0.00000000' });
    const kinds = events.map((e) => (e.kind === 'execution' ? `${e.kind}:${e.execType}:${e.order.status}` : e.kind));
    assert.deepEqual(kinds, ['execution:NEW:NEW', 'balances', 'execution:CANCELED:CANCELED', 'balances']);
  });

  it('expires the resting maker on a self-trade (EXPIRE_MAKER)', () => {
    const own = engine.placeOrder(bob.id, limit('SELL', '60000', '0.1'));
    engine.placeOrder(alice.id, limit('SELL', '60001', '0.1'));
    const before = engine.totals();
    const buy = engine.placeOrder(bob.id, limit('BUY', '60001', '0.1'));
    assert.equal(engine.getOrder(bob.id, 'BTCUSDT', { orderId: own.order.orderId }).status, 'EXPIRED_IN_MATCH');
    assert.deepEqual(
      buy.fills.map((f) => fmt(f.price)),
      ['60001.00000000'],
    );
    assertConserved(engine, before);
  });

  it('a sweep through both legs of an OCO (two LIMIT_MAKER legs on one side) fills one and expires the other', () => {
    const before = engine.totals();
    const [below, above] = engine.placeOco(alice.id, {
      symbol: 'BTCUSDT',
      side: 'SELL',
      quantity: dec('0.1'),
      above: { type: 'LIMIT_MAKER', price: dec('60100') },
      below: { type: 'LIMIT_MAKER', price: dec('59900') },
    }).orders;
    const sweep = engine.placeOrder(bob.id, limit('BUY', '60100', '0.2', { timeInForce: 'IOC' }));
    assert.deepEqual(
      sweep.fills.map((f) => fmt(f.price)),
      ['59900.00000000'],
    );
    assert.equal(below.status, 'FILLED');
    assert.equal(above.status, 'EXPIRED');
    assert.equal(fmt(above.executedQty), '0.00000000');
    assert.deepEqual(bal(alice, 'BTC'), { free: '0.90000000', locked: '0.00000000' }, 'sold the OCO quantity once');
    assertConserved(engine, before);
  });

  it('a sweep that passes a stop triggers it; a triggered market BUY tops its lock up, or buys what the lock pays for', () => {
    for (const [usdt, status, executed] of [
      ['1000', 'FILLED', '0.01000000'],
      ['600.1', 'EXPIRED', '0.00999000'],
    ] as const) {
      const e = newEngine();
      const maker = e.createAccount('m', { BTC: '1' });
      const stopper = e.createAccount('s', { USDT: usdt });
      const taker = e.createAccount('t', { USDT: '10000' });
      const before = e.totals();
      const stop = e.placeOrder(stopper.id, {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'STOP_LOSS',
        quantity: dec('0.01'),
        stopPrice: dec('60010'),
      }).order;
      assert.deepEqual(bal(stopper, 'USDT').locked, '600.10000000');
      assert.equal(stop.working, false);
      e.placeOrder(maker.id, {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: dec('0.005'),
        price: dec('60020'),
      });
      e.placeOrder(maker.id, {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: dec('0.01'),
        price: dec('60050'),
      });
      // The taker's trade at 60020 triggers the stop (at or above 60010); it buys 0.004 @ 60020 and 0.006 @ 60050.
      e.placeOrder(taker.id, {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity: dec('0.001'),
        price: dec('60020'),
      });
      assert.equal(stop.working, true);
      assert.equal(stop.status, status);
      assert.equal(fmt(stop.executedQty), executed);
      assert.deepEqual(bal(stopper, 'USDT').locked, '0.00000000');
      assertConserved(e, before);
    }
  });
});
