import assert from 'node:assert/strict';
import { balanceTooltip, nonZeroBalances, valueBalances } from '../../../src/app/account/balanceModel';
import { formatValue } from '../../../src/app/format';

describe('balance valuation, exact', () => {
  it('never goes through a float: 0.1 + 0.2 style sums and 18-digit prices stay exact', () => {
    const rows = nonZeroBalances([
      { asset: 'AAA', free: '0.1', locked: '0.2' },
      { asset: 'BBB', free: '123456789.123456789', locked: '0' },
    ]);
    const valued = valueBalances(
      rows,
      [
        { symbol: 'AAAUSDT', price: '3' },
        { symbol: 'BBBUSDT', price: '0.000000000000000001' },
      ],
      'USDT',
    );
    assert.equal(valued.rows[0].total, '0.3');
    assert.equal(valued.rows[0].value, '0.9');
    assert.equal(valued.rows[1].value, '0.000000000123456789123456789');
    assert.equal(valued.totalValue, '0.900000000123456789123456789');
  });

  it('keeps the price it used, direct or inverse; an inverse value keeps 18 places', () => {
    const rows = nonZeroBalances([
      { asset: 'EUR', free: '1', locked: '0' },
      { asset: 'USDT', free: '2', locked: '0' },
    ]);
    const valued = valueBalances(rows, [{ symbol: 'USDTEUR', price: '3' }], 'USDT');
    assert.equal(valued.rows[0].value, '0.333333333333333333');
    assert.deepEqual(valued.rows[0].price, { symbol: 'USDTEUR', price: '3', inverse: true });
    assert.equal(valued.rows[1].value, '2');
    assert.equal(valued.rows[1].price, undefined);
  });

  it('an asset without a price (or with a zero price) has no value, not 0, and stays out of the total', () => {
    const rows = nonZeroBalances([
      { asset: 'XYZ', free: '5', locked: '0' },
      { asset: 'ZERO', free: '1', locked: '0' },
      { asset: 'USDT', free: '1', locked: '0' },
    ]);
    const valued = valueBalances(rows, [{ symbol: 'ZEROUSDT', price: '0.00000000' }], 'USDT');
    assert.equal(valued.rows.find((r) => r.asset === 'XYZ')!.value, undefined);
    assert.equal(valued.rows.find((r) => r.asset === 'ZERO')!.value, undefined);
    assert.deepEqual(valued.unvalued, ['XYZ', 'ZERO']);
    assert.equal(valued.totalValue, '1');
    assert.equal(
      valueBalances(nonZeroBalances([{ asset: 'XYZ', free: '5', locked: '0' }]), [], 'USDT').totalValue,
      undefined,
    );
  });

  it('formats values sensibly: grouped cents from 1 up, significant digits below, never a false 0.00', () => {
    assert.equal(formatValue('6000.004'), '6,000.00');
    assert.equal(formatValue('6000.005'), '6,000.01');
    assert.equal(formatValue('1234567.999'), '1,234,568.00');
    assert.equal(formatValue('0.5'), '0.50');
    assert.equal(formatValue('0.00123456'), '0.0012');
    assert.equal(formatValue('0.000000000123'), '< 0.00000001');
    assert.equal(formatValue('0'), '0.00');
    assert.equal(formatValue('-0.25'), '-0.25');
  });

  it('the tooltip shows free, locked, total, the value and the price used, or says why there is no value', () => {
    const [btc] = valueBalances(
      nonZeroBalances([{ asset: 'BTC', free: '0.1', locked: '0.05' }]),
      [{ symbol: 'BTCUSDT', price: '60000.10' }],
      'USDT',
    ).rows;
    const text = balanceTooltip(btc, 'USDT', 'Spot Testnet, 14:03:05');
    assert.match(text, /Free: `0\.1`/);
    assert.match(text, /Locked \(in open orders\): `0\.05`/);
    assert.match(text, /Total: `0\.15`/);
    assert.match(text, /Value: ≈ `9,000\.02` USDT/);
    assert.match(text, /Price used: 0\.15 × BTCUSDT 60,000\.1 \(Spot Testnet, 14:03:05 ticker\)/);
    const [xyz] = valueBalances(nonZeroBalances([{ asset: 'XYZ', free: '1', locked: '0' }]), [], 'USDT').rows;
    assert.match(
      balanceTooltip(xyz, 'USDT', 'Spot Testnet, 14:03:05'),
      /Value: not shown, no USDT price for XYZ on Spot Testnet/,
    );
    assert.doesNotMatch(balanceTooltip(xyz, 'USDT', undefined), /≈/);
  });
});
