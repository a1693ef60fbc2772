import * as assert from 'node:assert/strict';
import { priceStepProblem, quantityStepProblem } from '../../src/app/orderStepChecks';
import { btcusdt } from '../support/symbols';

const info = btcusdt();
const context = { lastPrice: '60000', openOrderCount: 0 };

describe('Place Order step checks', () => {
  it('judges the quantity at its step by the lot rules, naming the valid value, and not yet the value of a priced order', () => {
    const limit = { info, side: 'BUY' as const, type: 'LIMIT' as const };
    assert.equal(quantityStepProblem('0.001', limit, context), undefined);
    assert.match(
      quantityStepProblem('0.000015', limit, context) ?? '',
      /^LOT_SIZE: Quantity 0\.000015 .*a valid quantity is 0\.00001\./,
    );
    // 0.00001 BTC × 60,000 = 0.6 USDT is below the 5 USDT minimum, but the price is not asked yet.
    assert.equal(quantityStepProblem('0.00001', limit, context), undefined);
    assert.match(quantityStepProblem('1e-3', limit, context) ?? '', /quantity/);
  });

  it('judges a MARKET quantity by its value at the last price, at the quantity step', () => {
    const market = { info, side: 'BUY' as const, type: 'MARKET' as const };
    assert.match(quantityStepProblem('0.00001', market, context) ?? '', /^NOTIONAL: .*below/);
    assert.equal(quantityStepProblem('0.001', market, context), undefined);
  });

  it('judges the price at its step: every price rule broken is said, each with its valid value', () => {
    const draft = { info, side: 'BUY' as const, type: 'LIMIT' as const, quantity: '0.001' };
    assert.equal(priceStepProblem('59000.01', draft, context), undefined);
    const offTick = priceStepProblem('59000.005', draft, context) ?? '';
    assert.match(offTick, /^PRICE_FILTER: .*59000\.00/);
    // Off the tick and far below the band: both said, not only the first.
    const twice = priceStepProblem('1000.005', draft, context) ?? '';
    assert.match(twice, /PRICE_FILTER/);
    assert.match(twice, /PERCENT_PRICE_BY_SIDE/);
  });

  it('says a value below the minimum at the price step, where both are known, and offers Back for the quantity', () => {
    const draft = { info, side: 'BUY' as const, type: 'LIMIT' as const, quantity: '0.00001' };
    const problem = priceStepProblem('60000', draft, context) ?? '';
    assert.match(problem, /^NOTIONAL: .*below/);
    assert.match(problem, /press Back to change the quantity\.$/);
  });
});
