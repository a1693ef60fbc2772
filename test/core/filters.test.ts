import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { NewOrderParams } from '../../src/core/api';
import * as D from '../../src/core/decimal';
import { checkRequiredParams, FilterViolation, validateOrder } from '../../src/core/filters';
import { btcusdt } from '../support/symbols';

const limit = (over: Partial<NewOrderParams> = {}): NewOrderParams => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'GTC',
  quantity: '0.001',
  price: '60000',
  ...over,
});
const only = (violations: FilterViolation[], filter: string): FilterViolation => {
  const found = violations.filter((v) => v.filter === filter);
  assert.equal(found.length, 1, `expected one ${filter} violation, got ${JSON.stringify(violations)}`);
  return found[0];
};

describe('filters: required parameters per order type', () => {
  it('LIMIT needs timeInForce, quantity and price', () => {
    const v = checkRequiredParams({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT' });
    assert.deepEqual(v.map((x) => x.field).sort(), ['price', 'quantity', 'timeInForce']);
    assert.ok(v.every((x) => x.filter === 'PARAMETERS'));
    assert.match(v.find((x) => x.field === 'timeInForce')!.message, /needs timeInForce \(GTC, IOC or FOK\)/);
  });
  it('MARKET needs quantity xor quoteOrderQty, and no price or timeInForce', () => {
    assert.match(
      checkRequiredParams({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET' })[0].message,
      /quantity .* or quoteOrderQty/,
    );
    assert.match(
      checkRequiredParams({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '1', quoteOrderQty: '10' })[0]
        .message,
      /not both/,
    );
    assert.deepEqual(checkRequiredParams({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '10' }), []);
    assert.deepEqual(
      checkRequiredParams({
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '1',
        price: '5',
        timeInForce: 'GTC',
      })
        .map((x) => x.field)
        .sort(),
      ['price', 'timeInForce'],
    );
  });
  it('LIMIT_MAKER needs quantity and price, and no timeInForce', () => {
    assert.deepEqual(
      checkRequiredParams({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT_MAKER' })
        .map((x) => x.field)
        .sort(),
      ['price', 'quantity'],
    );
    assert.deepEqual(
      checkRequiredParams({
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'LIMIT_MAKER',
        quantity: '1',
        price: '1',
        timeInForce: 'GTC',
      }).map((x) => x.field),
      ['timeInForce'],
    );
  });
  it('stop orders need stopPrice', () => {
    assert.deepEqual(
      checkRequiredParams({
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'STOP_LOSS_LIMIT',
        quantity: '1',
        price: '1',
        timeInForce: 'GTC',
      }).map((x) => x.field),
      ['stopPrice'],
    );
    assert.deepEqual(
      checkRequiredParams({ symbol: 'BTCUSDT', side: 'SELL', type: 'TAKE_PROFIT', quantity: '1', stopPrice: '1' }),
      [],
    );
  });
  it('decimal syntax and positivity', () => {
    const v = checkRequiredParams(limit({ quantity: '1e-3', price: '-5' }));
    assert.match(v.find((x) => x.field === 'quantity')!.message, /exponent notation/);
    assert.match(v.find((x) => x.field === 'price')!.message, /must not be negative/);
    assert.match(checkRequiredParams(limit({ price: '0' }))[0].message, /greater than zero/);
  });
  it('a bad parameter is reported without filter arithmetic on it', () => {
    const r = validateOrder(limit({ price: '0.1.2' }), btcusdt());
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.violations.map((x) => x.filter),
      ['PARAMETERS'],
    );
  });
});

describe('filters: PRICE_FILTER', () => {
  it('accepts a valid order', () => {
    const r = validateOrder(limit(), btcusdt(), { referencePrice: '60000', openOrderCount: 0 });
    assert.deepEqual(r.violations, []);
    assert.equal(r.ok, true);
    assert.equal(r.corrected, undefined);
  });
  it('off-tick price → nearest tick', () => {
    const v = only(validateOrder(limit({ price: '60000.126' }), btcusdt()).violations, 'PRICE_FILTER');
    assert.equal(v.field, 'price');
    assert.equal(v.suggestion, '60000.13');
    assert.match(v.message, /price 60000\.126 is not a multiple of tickSize 0\.01; a valid price is 60000\.13/);
    assert.equal(
      only(validateOrder(limit({ price: '60000.124' }), btcusdt()).violations, 'PRICE_FILTER').suggestion,
      '60000.12',
    );
  });
  it('below minPrice → minPrice; above maxPrice → maxPrice', () => {
    const low = only(validateOrder(limit({ price: '0.001', quantity: '9000' }), btcusdt()).violations, 'PRICE_FILTER');
    assert.equal(low.suggestion, '0.01');
    assert.match(low.message, /below minPrice 0\.01/);
    const high = only(
      validateOrder(limit({ price: '2000000', quantity: '0.00001' }), btcusdt()).violations,
      'PRICE_FILTER',
    );
    assert.equal(high.suggestion, '1000000');
    assert.match(high.message, /above maxPrice 1000000/);
  });
  it('checks stopPrice too', () => {
    const r = validateOrder(
      {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'STOP_LOSS_LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        price: '59000',
        stopPrice: '59000.005',
      },
      btcusdt(),
    );
    const v = only(r.violations, 'PRICE_FILTER');
    assert.equal(v.field, 'stopPrice');
    assert.equal(v.suggestion, '59000.01');
  });
  it('a zero field disables its rule', () => {
    const sym = btcusdt({ filters: [{ filterType: 'PRICE_FILTER', minPrice: '0', maxPrice: '0', tickSize: '0' }] });
    assert.equal(validateOrder(limit({ price: '0.000000001' }), sym).ok, true);
  });
});

describe('filters: LOT_SIZE and MARKET_LOT_SIZE', () => {
  it('off-step quantity → rounded DOWN to step', () => {
    const v = only(validateOrder(limit({ quantity: '0.0012345' }), btcusdt()).violations, 'LOT_SIZE');
    assert.equal(v.field, 'quantity');
    assert.equal(v.suggestion, '0.00123');
    assert.match(v.message, /quantity 0\.0012345 is not a multiple of stepSize 0\.00001; a valid quantity is 0\.00123/);
  });
  it('below minQty → minQty; above maxQty → maxQty', () => {
    const low = only(
      validateOrder(limit({ quantity: '0.000001', price: '1000000' }), btcusdt()).violations,
      'LOT_SIZE',
    );
    assert.equal(low.suggestion, '0.00001');
    assert.match(low.message, /below minQty 0\.00001 and is not a multiple of stepSize/);
    const high = only(validateOrder(limit({ quantity: '9000.5', price: '0.01' }), btcusdt()).violations, 'LOT_SIZE');
    assert.equal(high.suggestion, '9000');
  });
  it('MARKET_LOT_SIZE applies to MARKET quantity only', () => {
    const sym = btcusdt();
    const v = only(
      validateOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '150' }, sym, {
        referencePrice: '60000',
      }).violations,
      'MARKET_LOT_SIZE',
    );
    assert.equal(v.suggestion, '100');
    assert.match(v.message, /above maxQty 100/);
    assert.equal(
      validateOrder(limit({ quantity: '150' }), sym).violations.filter((x) => x.filter === 'MARKET_LOT_SIZE').length,
      0,
    );
  });
  it('MARKET by quoteOrderQty is not checked against lot sizes', () => {
    const r = validateOrder(
      { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '100.123456' },
      btcusdt(),
      { referencePrice: '60000', openOrderCount: 0 },
    );
    assert.deepEqual(r.violations, []);
  });
});

describe('filters: MIN_NOTIONAL / NOTIONAL', () => {
  it('LIMIT below minNotional → smallest quantity that satisfies it, rounded UP to step', () => {
    // 3 / 60000 = 0.00005 → fine; use a price where the minimum is off-step: 5 / 33333.33 = 0.000150000015 → 0.00016
    const r = validateOrder(limit({ price: '33333.33', quantity: '0.0001' }), btcusdt());
    const v = only(r.violations, 'NOTIONAL');
    assert.equal(v.field, 'quantity');
    assert.equal(v.suggestion, '0.00016');
    assert.ok(D.gte(D.mul('33333.33', v.suggestion!), '5'));
    assert.ok(D.lt(D.mul('33333.33', D.sub(v.suggestion!, '0.00001')), '5'));
    assert.match(
      v.message,
      /order value 33333\.33 × 0\.0001 = 3\.333333 USDT is below minNotional 5 USDT; the smallest valid quantity at 33333\.33 is 0\.00016/,
    );
    assert.equal(r.corrected?.quantity, '0.00016');
  });
  it('exact boundary passes', () => {
    assert.equal(validateOrder(limit({ price: '50000', quantity: '0.0001' }), btcusdt()).violations.length, 0);
  });
  it('above maxNotional → largest quantity, rounded DOWN', () => {
    const v = only(validateOrder(limit({ price: '1000000', quantity: '9.5' }), btcusdt()).violations, 'NOTIONAL');
    assert.equal(v.suggestion, '9');
    assert.match(v.message, /above maxNotional 9000000/);
  });
  it('MARKET uses the reference price when applyMinToMarket, and says when it cannot check', () => {
    const order: NewOrderParams = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.00001' };
    const v = only(validateOrder(order, btcusdt(), { referencePrice: '60000' }).violations, 'NOTIONAL');
    assert.equal(v.suggestion, '0.00009'); // 5 / 60000 = 0.0000833… → up to step 0.00009
    assert.match(v.message, /reference price/);
    const r = validateOrder(order, btcusdt());
    assert.equal(r.ok, true);
    assert.ok(r.skipped.some((s) => /NOTIONAL not checked: no reference price/.test(s)));
  });
  it('MARKET with applyMinToMarket=false is not checked; maxNotional only with applyMaxToMarket', () => {
    const sym = btcusdt({
      filters: [
        {
          filterType: 'NOTIONAL',
          minNotional: '5',
          applyMinToMarket: false,
          maxNotional: '100',
          applyMaxToMarket: true,
          avgPriceMins: 5,
        },
      ],
    });
    assert.equal(
      validateOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.00001' }, sym, {
        referencePrice: '60000',
      }).ok,
      true,
    );
    const v = only(
      validateOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '1' }, sym, { referencePrice: '60000' })
        .violations,
      'NOTIONAL',
    );
    assert.match(v.message, /above maxNotional 100/);
    assert.equal(v.suggestion, '0.00166666'); // no LOT_SIZE: 8 decimals, rounded down
  });
  it('MARKET quoteOrderQty is the notional itself', () => {
    const v = only(
      validateOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '4.99' }, btcusdt()).violations,
      'NOTIONAL',
    );
    assert.equal(v.field, 'quoteOrderQty');
    assert.equal(v.suggestion, '5');
  });
  it('legacy MIN_NOTIONAL with applyToMarket', () => {
    const sym = btcusdt({
      filters: [
        { filterType: 'LOT_SIZE', minQty: '0.001', maxQty: '1000', stepSize: '0.001' },
        { filterType: 'MIN_NOTIONAL', minNotional: '10', applyToMarket: true, avgPriceMins: 5 },
      ],
    });
    const v = only(validateOrder(limit({ price: '3', quantity: '1' }), sym).violations, 'MIN_NOTIONAL');
    assert.equal(v.suggestion, '3.334');
    const m = only(
      validateOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '1' }, sym, { referencePrice: '3' })
        .violations,
      'MIN_NOTIONAL',
    );
    assert.equal(m.suggestion, '3.334');
    const off = btcusdt({
      filters: [{ filterType: 'MIN_NOTIONAL', minNotional: '10', applyToMarket: false, avgPriceMins: 5 }],
    });
    assert.equal(
      validateOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '1' }, off, { referencePrice: '3' })
        .ok,
      true,
    );
  });
  it('notional suggestion respects minQty', () => {
    const sym = btcusdt({
      filters: [
        { filterType: 'LOT_SIZE', minQty: '1', maxQty: '1000', stepSize: '0.001' },
        {
          filterType: 'NOTIONAL',
          minNotional: '10',
          applyMinToMarket: true,
          maxNotional: '0',
          applyMaxToMarket: false,
          avgPriceMins: 5,
        },
      ],
    });
    const r = validateOrder(limit({ price: '100', quantity: '0.05' }), sym);
    assert.equal(only(r.violations, 'LOT_SIZE').suggestion, '1');
    assert.equal(only(r.violations, 'NOTIONAL').suggestion, '1');
  });
});

describe('filters: PERCENT_PRICE_BY_SIDE and PERCENT_PRICE', () => {
  it('BUY uses bid multipliers, SELL ask multipliers; suggestion is the bound on the tick grid', () => {
    const sym = btcusdt({
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0.01', maxPrice: '1000000', tickSize: '0.01' },
        {
          filterType: 'PERCENT_PRICE_BY_SIDE',
          bidMultiplierUp: '1.2',
          bidMultiplierDown: '0.2',
          askMultiplierUp: '5',
          askMultiplierDown: '0.8',
          avgPriceMins: 1,
        },
      ],
    });
    const buyHigh = only(
      validateOrder(limit({ price: '130' }), sym, { referencePrice: '100.003' }).violations,
      'PERCENT_PRICE_BY_SIDE',
    );
    assert.equal(buyHigh.suggestion, '120'); // 100.003 × 1.2 = 120.0036 → floor to tick 120.00
    assert.match(buyHigh.message, /price 130 is above 120\.0036 \(reference price 100\.003 × bidMultiplierUp 1\.2\)/);
    assert.equal(validateOrder(limit({ price: '130', side: 'SELL' }), sym, { referencePrice: '100.003' }).ok, true);
    const sellLow = only(
      validateOrder(limit({ price: '79', side: 'SELL' }), sym, { referencePrice: '100.003' }).violations,
      'PERCENT_PRICE_BY_SIDE',
    );
    assert.equal(sellLow.suggestion, '80.01'); // 80.0024 → ceil to tick
    assert.match(sellLow.message, /askMultiplierDown 0\.8/);
  });
  it('PERCENT_PRICE uses multiplierUp/Down, skipped without a reference price', () => {
    const sym = btcusdt({
      filters: [{ filterType: 'PERCENT_PRICE', multiplierUp: '1.3', multiplierDown: '0.7', avgPriceMins: 5 }],
    });
    const v = only(validateOrder(limit({ price: '69' }), sym, { referencePrice: '100' }).violations, 'PERCENT_PRICE');
    assert.equal(v.suggestion, '70');
    const r = validateOrder(limit({ price: '69' }), sym);
    assert.equal(r.ok, true);
    assert.deepEqual(r.skipped, ['PERCENT_PRICE not checked: no reference price.']);
  });
});

describe('filters: MAX_NUM_ORDERS and symbol rules', () => {
  it('refuses the order that would exceed maxNumOrders', () => {
    const sym = btcusdt();
    assert.equal(validateOrder(limit(), sym, { openOrderCount: 199 }).ok, true);
    const v = only(validateOrder(limit(), sym, { openOrderCount: 200 }).violations, 'MAX_NUM_ORDERS');
    assert.equal(v.field, 'openOrders');
    assert.match(v.message, /already has 200 open orders and allows at most 200/);
    assert.ok(validateOrder(limit(), sym).skipped.includes('MAX_NUM_ORDERS not checked: open order count unknown.'));
  });
  it('MAX_NUM_ALGO_ORDERS for stop orders', () => {
    const v = only(
      validateOrder(
        { symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_LOSS', quantity: '0.001', stopPrice: '50000' },
        btcusdt(),
        { openOrderCount: 5, openAlgoOrderCount: 5 },
      ).violations,
      'MAX_NUM_ALGO_ORDERS',
    );
    assert.match(v.message, /stop\/take-profit/);
  });
  it('symbol not trading, order type not allowed, quoteOrderQty not allowed', () => {
    assert.match(
      validateOrder(limit(), btcusdt({ status: 'HALT' })).violations[0].message,
      /not trading right now \(status HALT\)/,
    );
    assert.match(
      validateOrder(
        limit({ type: 'LIMIT_MAKER', timeInForce: undefined }),
        btcusdt({ orderTypes: ['LIMIT', 'MARKET'] }),
      ).violations[0].message,
      /does not accept LIMIT_MAKER/,
    );
    assert.match(
      validateOrder(
        { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '10' },
        btcusdt({ quoteOrderQtyMarketAllowed: false }),
      ).violations[0].message,
      /quoteOrderQty/,
    );
  });
  it('corrected order applies every suggestion and then passes', () => {
    const r = validateOrder(limit({ price: '60000.126', quantity: '0.0000123' }), btcusdt(), {
      referencePrice: '60000',
      openOrderCount: 0,
    });
    assert.equal(r.ok, false);
    assert.ok(r.corrected);
    assert.equal(r.corrected.price, '60000.13');
    assert.equal(validateOrder(r.corrected, btcusdt(), { referencePrice: '60000', openOrderCount: 0 }).ok, true);
  });
});

describe('filters: property — corrections converge to an order that satisfies the rules', () => {
  const decimalArb = (maxInt: bigint, scale: number) =>
    fc.bigInt({ min: 1n, max: maxInt }).map((n) => D.div(n.toString(), (10n ** BigInt(scale)).toString(), scale));
  it('applying `corrected` at most 3 times yields ok, and the result is on the grids and above minNotional', () => {
    const sym = btcusdt();
    fc.assert(
      // The reference price is within ×0.1..×10 of the price, so most orders are fixable.
      fc.property(
        decimalArb(10n ** 12n, 6),
        decimalArb(10n ** 11n, 8),
        fc.integer({ min: 10, max: 1000 }),
        fc.constantFrom('BUY' as const, 'SELL' as const),
        (price, quantity, pct, side) => {
          const ref = D.div(D.mul(price, String(pct)), '100', 4, 'up');
          let order: NewOrderParams = { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', price, quantity };
          let result = validateOrder(order, sym, { referencePrice: ref, openOrderCount: 0 });
          for (let i = 0; i < 3 && !result.ok && result.corrected; i++) {
            order = result.corrected;
            result = validateOrder(order, sym, { referencePrice: ref, openOrderCount: 0 });
          }
          // Some inputs cannot be fixed (no price fits both PRICE_FILTER and PERCENT_PRICE_BY_SIDE):
          // then there is no suggestion left, rather than suggestions that cycle.
          if (!result.ok) {
            assert.equal(result.corrected, undefined, JSON.stringify(result.violations));
            return;
          }
          assert.ok(D.isMultipleOf(order.price!, '0.01'), `price ${order.price}`);
          assert.ok(D.isMultipleOf(order.quantity!, '0.00001'), `qty ${order.quantity}`);
          assert.ok(D.gte(D.mul(order.price!, order.quantity!), '5'));
          assert.ok(D.lte(D.mul(order.price!, order.quantity!), '9000000'));
          assert.ok(D.gte(order.quantity!, '0.00001') && D.lte(order.quantity!, '9000'));
        },
      ),
      { numRuns: 500, seed: Number(process.env.FC_SEED ?? 20260301) },
    );
  });
});
