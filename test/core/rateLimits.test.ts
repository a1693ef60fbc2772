import assert from 'node:assert/strict';
import { RateLimitBackoffError } from '../../src/core/errors';
import { BackoffGate, parseRetryAfter, readUsageHeaders } from '../../src/core/rateLimits';

describe('rateLimits', () => {
  it('reads weight and order-count headers by interval, any header case', () => {
    assert.deepEqual(
      readUsageHeaders({
        'x-mbx-used-weight-1m': '12',
        'X-MBX-USED-WEIGHT-1S': '2',
        'x-mbx-order-count-10s': '3',
        'x-mbx-order-count-1d': '40',
        'x-mbx-used-weight': '12',
        'content-type': 'x',
        'x-mbx-order-count-1m': 'abc',
        'x-mbx-used-weight-1h': '',
      }),
      { usedWeight: { '1M': 12, '1S': 2 }, orderCount: { '10S': 3, '1D': 40 } },
    );
  });

  it('parses Retry-After seconds', () => {
    assert.equal(parseRetryAfter('30'), 30);
    assert.equal(parseRetryAfter(' 1.2 '), 2);
    assert.equal(parseRetryAfter('0'), 0);
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter(''), undefined);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT'), undefined);
    assert.equal(parseRetryAfter('-3'), undefined);
  });

  it('the backoff gate refuses until Retry-After has passed and never shortens a wait', () => {
    let now = 1000;
    const gate = new BackoffGate(() => now);
    gate.check('Spot Testnet');
    assert.equal(gate.until, 0);
    gate.engage(10);
    assert.equal(gate.until, 11_000);
    now = 5000;
    assert.throws(
      () => gate.check('Spot Testnet'),
      (e: RateLimitBackoffError) =>
        e instanceof RateLimitBackoffError && e.retryAfterSeconds === 6 && e.untilMs === 11_000,
    );
    gate.engage(1); // shorter: ignored
    assert.equal(gate.until, 11_000);
    now = 11_000;
    gate.check('Spot Testnet');
    assert.equal(gate.until, 0);
  });
});
