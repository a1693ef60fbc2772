import * as assert from 'node:assert/strict';
import { get } from 'node:http';
import { installLoopbackGuard } from './loopbackGuard';

describe('loopback guard used by the compatibility tests', () => {
  it('records and blocks non-loopback connections before any packet leaves', async () => {
    const guard = installLoopbackGuard();
    try {
      for (const url of ['http://203.0.113.7:81/', 'http://api.binance.com/api/v3/ping']) {
        await assert.rejects(
          new Promise((resolve, reject) => {
            const req = get(url, { agent: false }, resolve);
            req.on('error', reject);
          }),
          /loopback guard: blocked/,
        );
      }
      await assert.rejects(fetch('http://203.0.113.7:82/'));
      assert.deepEqual(guard.blocked.slice(0, 3), ['203.0.113.7:81', 'api.binance.com:80', '203.0.113.7:82']);
    } finally {
      guard.restore();
    }
  });
});
