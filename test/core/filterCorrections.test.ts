import assert from 'node:assert/strict';
import type { NewOrderParams } from '../../src/core/api';
import { validateOrder } from '../../src/core/filters';
import { btcusdt } from '../support/symbols';

/**
 * Corrections change only the failing field, minimally, and every violation is reported at once:
 * `corrected` passes validation in a single step (no second round that reveals a hidden violation).
 */

const limit = (over: Partial<NewOrderParams> = {}): NewOrderParams => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'GTC',
  quantity: '0.001',
  price: '60000',
  ...over,
});
const filtersOf = (r: { violations: { filter: string }[] }): string[] => r.violations.map((v) => v.filter).sort();
const fieldsOf = (r: { violations: { field: string }[] }): string[] => [...new Set(r.violations.map((v) => v.field))];

describe('filters: a correction changes only the failing field', () => {
  it('a price below the percent band is raised; the quantity, valid at that price, is kept', () => {
    // 3000 × 0.001 = 3 USDT breaks NOTIONAL at the typed price, but at the corrected 12000 it is 12 USDT.
    const ctx = { referencePrice: '60000', openOrderCount: 0 };
    const r = validateOrder(limit({ price: '3000', quantity: '0.001' }), btcusdt(), ctx);
    assert.deepEqual(filtersOf(r), ['NOTIONAL', 'PERCENT_PRICE_BY_SIDE']);
    assert.deepEqual(fieldsOf(r), ['price']);
    assert.equal(r.corrected?.price, '12000');
    assert.equal(r.corrected?.quantity, '0.001', 'the quantity was not cut');
    assert.match(
      r.violations.find((v) => v.filter === 'NOTIONAL')!.message,
      /3 USDT is below minNotional 5 USDT; once corrected to 12000 × 0\.001 it is 12 USDT/,
    );
    assert.equal(validateOrder(r.corrected!, btcusdt(), ctx).ok, true);
  });

  it('a price above maxPrice is lowered; the quantity is not raised to the maxNotional bound', () => {
    const r = validateOrder(limit({ price: '2000000', quantity: '5' }), btcusdt(), { openOrderCount: 0 });
    assert.deepEqual(r.corrected && { price: r.corrected.price, quantity: r.corrected.quantity }, {
      price: '1000000',
      quantity: '5',
    });
    assert.deepEqual(fieldsOf(r), ['price']);
  });

  it('an off-step quantity is rounded down and the price is left alone', () => {
    const r = validateOrder(limit({ quantity: '0.0012399' }), btcusdt(), {
      referencePrice: '60000',
      openOrderCount: 0,
    });
    assert.deepEqual(filtersOf(r), ['LOT_SIZE']);
    assert.equal(r.corrected?.price, '60000');
    assert.equal(r.corrected?.quantity, '0.00123');
  });

  it('MIN_NOTIONAL raises the quantity to the smallest valid one and never touches the price', () => {
    const r = validateOrder(limit({ price: '33333.33', quantity: '0.0001' }), btcusdt(), { openOrderCount: 0 });
    assert.equal(r.corrected?.price, '33333.33');
    assert.equal(r.corrected?.quantity, '0.00016');
  });
});

describe('filters: every violation is reported, and `corrected` passes in one step', () => {
  it('reports PERCENT_PRICE_BY_SIDE and PERCENT_PRICE together; the price fits both bands', () => {
    const sym = btcusdt({
      extraFilters: [{ filterType: 'PERCENT_PRICE', multiplierUp: '1.1', multiplierDown: '0.9', avgPriceMins: 5 }],
    });
    const ctx = { referencePrice: '100', openOrderCount: 0 };
    const r = validateOrder(limit({ price: '19', quantity: '1' }), sym, ctx);
    assert.deepEqual(filtersOf(r), ['PERCENT_PRICE', 'PERCENT_PRICE_BY_SIDE']);
    assert.equal(r.corrected?.price, '90');
    assert.equal(validateOrder(r.corrected!, sym, ctx).ok, true);
  });

  it('a price correction that breaks the minimum notional raises the quantity in the same result', () => {
    // 130000 × 0.00004 = 5.2 passes; the band caps the price at 100000, where 0.00004 is worth only 4.
    const ctx = { referencePrice: '20000', openOrderCount: 0 };
    const r = validateOrder(limit({ price: '130000', quantity: '0.00004' }), btcusdt(), ctx);
    assert.deepEqual(filtersOf(r), ['NOTIONAL', 'PERCENT_PRICE_BY_SIDE']);
    const notional = r.violations.find((v) => v.filter === 'NOTIONAL')!;
    assert.equal(notional.field, 'quantity');
    assert.match(notional.message, /once corrected to 100000 × 0\.00004, the order value 4 USDT would be below/);
    assert.deepEqual([r.corrected?.price, r.corrected?.quantity], ['100000', '0.00005']);
    assert.equal(validateOrder(r.corrected!, btcusdt(), ctx).ok, true);
  });

  it('a quantity rounded down below the minimum notional goes up to the smallest valid step instead', () => {
    const ctx = { referencePrice: '60000', openOrderCount: 0 };
    const r = validateOrder(limit({ quantity: '0.000085' }), btcusdt(), ctx); // 5.1 USDT; 0.00008 would be 4.8
    assert.deepEqual(filtersOf(r), ['LOT_SIZE', 'NOTIONAL']);
    assert.equal(r.corrected?.quantity, '0.00009');
    assert.equal(validateOrder(r.corrected!, btcusdt(), ctx).ok, true);
  });

  it('the nearest tick outside the percent band is not suggested: the nearest tick inside it is', () => {
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
    // Lowest valid SELL price: 100.003 × 0.8 = 80.0024 → 80.01; 80.0026 is inside the band but off-tick.
    const ctx = { referencePrice: '100.003' };
    const r = validateOrder(limit({ side: 'SELL', price: '80.0026' }), sym, ctx);
    assert.deepEqual(filtersOf(r), ['PRICE_FILTER']);
    assert.equal(r.corrected?.price, '80.01');
    assert.equal(validateOrder(r.corrected!, sym, ctx).ok, true);
  });

  it('quoteOrderQty below MIN_NOTIONAL and NOTIONAL minimums: both reported, the larger minimum suggested', () => {
    const sym = btcusdt({
      extraFilters: [{ filterType: 'MIN_NOTIONAL', minNotional: '10', applyToMarket: true, avgPriceMins: 5 }],
    });
    const ctx = { referencePrice: '60000', openOrderCount: 0 };
    const r = validateOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '4' }, sym, ctx);
    assert.deepEqual(filtersOf(r), ['MIN_NOTIONAL', 'NOTIONAL']);
    assert.equal(r.corrected?.quoteOrderQty, '10');
    assert.equal(validateOrder(r.corrected!, sym, ctx).ok, true);
  });

  it('MARKET quantity moves onto a step that both LOT_SIZE and MARKET_LOT_SIZE accept', () => {
    const sym = btcusdt({
      filters: [
        { filterType: 'LOT_SIZE', minQty: '0.02', maxQty: '1000', stepSize: '0.02' },
        { filterType: 'MARKET_LOT_SIZE', minQty: '0.03', maxQty: '100', stepSize: '0.03' },
      ],
    });
    const r = validateOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '1' }, sym);
    assert.deepEqual(filtersOf(r), ['MARKET_LOT_SIZE']); // 1 is on LOT_SIZE's grid, not on MARKET_LOT_SIZE's
    assert.equal(r.corrected?.quantity, '0.96');
    assert.equal(validateOrder(r.corrected!, sym).ok, true);
  });

  it('no `corrected` when some violation cannot be corrected (it could not pass); the others still say how', () => {
    const r = validateOrder(limit({ price: '60000.126' }), btcusdt(), { referencePrice: '60000', openOrderCount: 200 });
    assert.deepEqual(filtersOf(r), ['MAX_NUM_ORDERS', 'PRICE_FILTER']);
    assert.equal(r.violations.find((v) => v.filter === 'PRICE_FILTER')!.suggestion, '60000.13');
    assert.equal(r.corrected, undefined);
  });

  it('a minimum notional no quantity within LOT_SIZE can reach is said in words, without a suggestion', () => {
    const sym = btcusdt({
      filters: [
        { filterType: 'LOT_SIZE', minQty: '0.001', maxQty: '1', stepSize: '0.001' },
        { filterType: 'MIN_NOTIONAL', minNotional: '100', applyToMarket: true, avgPriceMins: 5 },
      ],
    });
    const r = validateOrder(limit({ price: '10', quantity: '0.5' }), sym);
    const v = r.violations.find((x) => x.filter === 'MIN_NOTIONAL')!;
    assert.equal(v.suggestion, undefined);
    assert.match(
      v.message,
      /order value 10 × 0\.5 = 5 USDT is below minNotional 100 USDT; no quantity within LOT_SIZE fixes it at 10\./,
    );
    assert.equal(r.corrected, undefined);
  });
});
