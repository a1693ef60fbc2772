/**
 * Names that come from the wire (paths, methods, asset names, control bodies) and happen to be
 * members of Object.prototype must be ordinary names: unknown where they are unknown, kept where
 * they are data. (The WebSocket API's method names are covered in wsApi.test.ts.)
 */
import * as assert from 'node:assert/strict';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { get, raw, signed } from './httpHelpers';

const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

describe('sandbox: wire names that are Object.prototype members', function () {
  this.timeout(20000);
  let sb: SandboxHandle;

  before(async () => {
    sb = await startSandbox({ port: 0, marketMaker: false });
  });
  after(() => sb.close());

  it('answers REST paths named after them as unknown endpoints, and counts them per path', async () => {
    for (const name of INHERITED) {
      const reply = await get(sb.baseUrl, `/${name}`);
      assert.equal(reply.status, 404, name);
      assert.deepEqual(reply.json, { code: -1000, msg: `Unknown endpoint GET /${name}.` });
      assert.equal(Object.hasOwn(sb.stats.byPath, `GET /${name}`), true, name);
      assert.equal(sb.stats.byPath[`GET /${name}`], 1, name);
    }
  });

  it('keeps assets named after them as balances (control API)', async () => {
    const created = await raw(sb.baseUrl, 'POST', '/sandbox/v1/accounts', {
      // Written out: in an object literal `__proto__` would set the prototype, not a property.
      body: '{"balances": {"__proto__": "5", "constructor": "1", "USDT": "10"}}',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(created.status, 200, created.text);
    const account = await signed(sb.baseUrl, { kind: 'hmac', ...created.json }, 'GET', '/api/v3/account');
    const balances = Object.fromEntries(
      (account.json.balances as { asset: string; free: string }[]).map((b) => [b.asset, b.free]),
    );
    assert.deepEqual(
      [balances['__proto__'], balances['constructor'], balances['USDT']],
      ['5.00000000', '1.00000000', '10.00000000'],
    );
  });

  it('refuses a control body that is JSON but not an object, saying what it must be', async () => {
    for (const body of ['5', 'null', '[]', '"text"']) {
      const reply = await raw(sb.baseUrl, 'POST', '/sandbox/v1/accounts', {
        body,
        headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(reply.status, 400, body);
      assert.match(reply.json.error, /^body must be a JSON object/, body);
    }
  });

  it('funds the market maker in a seed asset named __proto__', async () => {
    const seeded = await startSandbox({
      port: 0,
      seed: { symbols: [{ symbol: 'PROTOUSDT', baseAsset: '__proto__', quoteAsset: 'USDT', price: '100' }] },
    });
    try {
      const depth = await get(seeded.baseUrl, '/api/v3/depth', { symbol: 'PROTOUSDT' });
      assert.equal(depth.status, 200, depth.text);
      assert.equal(depth.json.bids.length, 5, 'bids');
      assert.equal(depth.json.asks.length, 5, 'asks need the maker to hold __proto__');
    } finally {
      await seeded.close();
    }
  });
});
