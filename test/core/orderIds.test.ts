import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  assertValidClientOrderId,
  CLIENT_ORDER_ID_PATTERN,
  clientOrderIdProblem,
  ClientOrderIdError,
  generateClientOrderId,
  isValidClientOrderId,
} from '../../src/core/orderIds';

describe('orderIds', () => {
  it('generates ids matching ^[a-zA-Z0-9-_]{1,36}$ with the td- prefix, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = generateClientOrderId();
      assert.match(id, CLIENT_ORDER_ID_PATTERN);
      assert.ok(id.startsWith('td-'));
      assert.equal(id.length, 25);
      seen.add(id);
    }
    assert.equal(seen.size, 2000);
  });

  it('custom prefixes are validated and the id never exceeds 36 characters', () => {
    assert.match(generateClientOrderId('bench_'), /^bench_[A-Za-z0-9]{22}$/);
    assert.equal(generateClientOrderId('p'.repeat(20)).length, 36);
    assert.throws(() => generateClientOrderId('bad prefix'), ClientOrderIdError);
    assert.throws(() => generateClientOrderId('p'.repeat(30)), /too long/);
  });

  it('validates', () => {
    for (const good of ['a', 'td-ABC_123', 'x'.repeat(36), '-_-']) assert.equal(isValidClientOrderId(good), true, good);
    const bad: Array<[unknown, RegExp]> = [
      ['', /empty/],
      ['x'.repeat(37), /37 characters; at most 36/],
      ['a b', /letters, digits/],
      ['é', /letters, digits/],
      ['a.b', /letters, digits/],
      [42, /text/],
    ];
    for (const [id, msg] of bad) {
      assert.equal(isValidClientOrderId(id), false);
      assert.match(clientOrderIdProblem(id)!, msg);
      assert.throws(() => assertValidClientOrderId(id), ClientOrderIdError);
    }
  });

  it('property: the validator agrees with the pattern', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => isValidClientOrderId(s) === /^[a-zA-Z0-9_-]{1,36}$/.test(s)),
    );
  });
});
