import assert from 'node:assert/strict';
import {
  closestValid,
  commonStep,
  lotRange,
  notionalLimitsOf,
  percentBandsOf,
  priceRange,
  priceRuleOf,
  rangeEnds,
  withNotional,
} from '../../src/core/orderRules';
import { btcusdt } from '../support/symbols';

describe('orderRules: filters read as ranges of valid values', () => {
  it('the price range is the tick grid inside PRICE_FILTER and the side’s percent band', () => {
    const sym = btcusdt();
    const range = priceRange(priceRuleOf(sym), percentBandsOf(sym, 'BUY', '60000'));
    assert.deepEqual(range, { lo: '12000', hi: '300000', step: '0.01' });
    assert.deepEqual(rangeEnds(range), { lowest: '12000', highest: '300000' });
    assert.equal(closestValid('300000.004', range, 'nearest'), '300000');
    assert.equal(closestValid('12345.675', range, 'nearest'), '12345.68');
  });
  it('no valid value when the bounds cross on the grid', () => {
    assert.equal(rangeEnds({ lo: '1.001', hi: '1.009', step: '0.01' }), undefined);
    assert.equal(closestValid('1.005', { lo: '1.001', hi: '1.009', step: '0.01' }, 'nearest'), undefined);
  });
  it('quantities round down, and rise only to the smallest valid one', () => {
    const lot = lotRange([{ filterType: 'LOT_SIZE', minQty: '0.001', maxQty: '10', stepSize: '0.001' }]);
    assert.equal(closestValid('0.0019', lot, 'down'), '0.001');
    assert.equal(closestValid('0.0001', lot, 'down'), '0.001');
    assert.equal(closestValid('12', lot, 'down'), '10');
    const [min] = notionalLimitsOf(btcusdt(), 'LIMIT');
    assert.deepEqual(min, { filterType: 'NOTIONAL', kind: 'min', limit: '5' });
    assert.equal(closestValid('0.0019', withNotional(lot, [min], '3', 8), 'down'), '1.667');
  });
  it('several lot steps combine into their least common multiple', () => {
    assert.equal(commonStep('0.02', '0.03'), '0.06');
    assert.equal(commonStep('0.00001', '0.001'), '0.001');
    assert.equal(commonStep('0.25', '1'), '1');
    assert.equal(commonStep('0.4', '0.06'), '1.2');
  });
});
