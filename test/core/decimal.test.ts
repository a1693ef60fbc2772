import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as D from '../../src/core/decimal';

describe('decimal: strict parsing', () => {
  it('accepts plain decimals and canonicalises them', () => {
    assert.equal(D.parseDecimal('0.00100000'), '0.001');
    assert.equal(D.parseDecimal('42'), '42');
    assert.equal(D.parseDecimal('007.50'), '7.5');
    assert.equal(D.parseDecimal('0'), '0');
    assert.equal(D.parseDecimal('0.0'), '0');
    assert.equal(D.parseDecimal('-1.5', { allowNegative: true }), '-1.5');
  });

  const bad: Array<[string, RegExp]> = [
    ['1e-3', /exponent notation.*0\.001/],
    ['1E5', /exponent notation/],
    ['-1', /must not be negative/],
    ['NaN', /not a number/],
    ['Infinity', /not a number/],
    ['0.1.2', /more than one decimal point/],
    ['', /empty/],
    [' 1', /spaces/],
    ['1 ', /spaces/],
    ['1\t', /spaces/],
    ['+1', /"\+" sign/],
    ['.5', /digit before the point/],
    ['5.', /ends with a point/],
    ['0x10', /not a decimal number/],
    ['1,5', /not a decimal number/],
    ['١٢', /not a decimal number/],
    ['1'.repeat(41), /41 digits; at most 40/],
    ['0.' + '0'.repeat(39) + '1', /41 digits; at most 40/],
    ['1.' + '1'.repeat(30), /31 significant digits; at most 30/],
  ];
  for (const [text, message] of bad) {
    it(`rejects ${JSON.stringify(text.length > 20 ? text.slice(0, 20) + '…' : text)} with a clear message`, () => {
      assert.throws(
        () => D.parseDecimal(text, { field: 'quantity' }),
        (err: Error) =>
          err instanceof D.DecimalError && message.test(err.message) && err.message.startsWith('quantity'),
      );
      assert.equal(D.isDecimal(text), false);
    });
  }

  it('accepts exactly 40 digits with at most 30 significant', () => {
    assert.equal(D.isDecimal('0.' + '0'.repeat(29) + '1234567891'), true); // 40 digits, 10 significant
    assert.equal(D.isDecimal('1'.repeat(30)), true);
    assert.equal(D.isDecimal('1'.repeat(31)), false);
  });

  it('refuses non-strings', () => {
    assert.throws(() => D.parseDecimal(0.1 as unknown as string), /decimal string/);
  });
});

describe('decimal: arithmetic is exact', () => {
  it('adds, subtracts, multiplies without float error', () => {
    assert.equal(D.add('0.1', '0.2'), '0.3');
    assert.equal(D.sub('0.3', '0.1'), '0.2');
    assert.equal(D.sub('0.1', '0.3'), '-0.2');
    assert.equal(D.mul('0.1', '3'), '0.3');
    assert.equal(D.mul('1.10000000', '0.00100000'), '0.0011');
    assert.equal(D.mul('123456789.123456789', '1000000000'), '123456789123456789');
  });

  it('divides with the rounding asked for', () => {
    assert.equal(D.div('10', '3', 4), '3.3333');
    assert.equal(D.div('10', '3', 4, 'up'), '3.3334');
    assert.equal(D.div('2', '3', 2, 'half-up'), '0.67');
    assert.equal(D.div('1', '8', 2, 'half-up'), '0.13');
    assert.equal(D.div('-10', '3', 1, 'up'), '-3.4');
    assert.equal(D.div('1', '4', 8), '0.25');
    assert.throws(() => D.div('1', '0', 2), /Division by zero/);
  });

  it('compares across scales', () => {
    assert.equal(D.compare('1.0', '1'), 0);
    assert.equal(D.compare('0.00000001', '0'), 1);
    assert.equal(D.compare('-0.5', '0.1'), -1);
    assert.ok(D.lt('9.99', '10') && D.gte('10.00', '10') && D.gt('10.000001', '10') && D.lte('1', '1.0'));
    assert.equal(D.min('2', '1.5'), '1.5');
    assert.equal(D.max('2', '1.5'), '2');
    assert.ok(D.isZero('0.000') && D.isPositive('0.1') && D.isNegative('-0.1'));
  });

  it('steps: multiple-of, floor, ceil, round', () => {
    assert.equal(D.isMultipleOf('0.123', '0.001'), true);
    assert.equal(D.isMultipleOf('0.1235', '0.001'), false);
    assert.equal(D.isMultipleOf('1.23', '0'), true); // a zero step disables the rule
    assert.equal(D.floorToStep('1.23456', '0.01'), '1.23');
    assert.equal(D.ceilToStep('1.23001', '0.01'), '1.24');
    assert.equal(D.ceilToStep('1.23', '0.01'), '1.23');
    assert.equal(D.roundToStep('1.235', '0.01'), '1.24');
    assert.equal(D.roundToStep('1.2349', '0.01'), '1.23');
    assert.equal(D.floorToStep('7', '2.5'), '5');
    assert.equal(D.ceilToStep('7', '2.5'), '7.5');
    assert.equal(D.floorToStep('-1.5', '1'), '-2');
  });

  it('formats with a fixed scale and strips trailing zeros', () => {
    assert.equal(D.formatFixed('1.5', 8), '1.50000000');
    assert.equal(D.formatFixed('1.23456789', 4), '1.2345');
    assert.equal(D.formatFixed('1.23456789', 4, 'half-up'), '1.2346');
    assert.equal(D.formatFixed('12', 0), '12');
    assert.equal(D.formatFixed('0.00001', 2), '0.00');
    assert.equal(D.formatFixed('-0.5', 2), '-0.50');
    assert.equal(D.stripTrailingZeros('1.50000000'), '1.5');
    assert.equal(D.stripTrailingZeros('10.000'), '10');
    assert.equal(D.decimalPlaces('0.00100000'), 3);
  });

  it('property: add/sub round-trip and floor ≤ v ≤ ceil, both multiples of step', () => {
    const dec = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 10 }))
      .map(([n, s]) => D.formatFixed(D.div(n.toString(), (10n ** BigInt(s)).toString(), s), s));
    const step = fc
      .tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 8 }))
      .map(([n, s]) => D.div(String(n), (10n ** BigInt(s)).toString(), s));
    fc.assert(
      fc.property(dec, dec, step, (a, b, st) => {
        assert.equal(D.sub(D.add(a, b), b), D.normalize(a));
        const lo = D.floorToStep(a, st);
        const hi = D.ceilToStep(a, st);
        assert.ok(D.lte(lo, a) && D.gte(hi, a));
        assert.ok(D.isMultipleOf(lo, st) && D.isMultipleOf(hi, st));
        assert.ok(D.lt(D.sub(hi, lo), D.add(st, st)));
        assert.equal(D.isMultipleOf(a, st), D.eq(lo, a));
      }),
      { numRuns: 300 },
    );
  });
});
