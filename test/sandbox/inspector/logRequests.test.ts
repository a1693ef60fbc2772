// `npm run sandbox -- --log-requests`: one line per request, a failure with its diagnosis, no secret.
import * as assert from 'node:assert/strict';
import { buildBundle, start, stopAll } from '../cliProcess';
import { signed } from '../httpHelpers';

describe('sandbox CLI --log-requests', function () {
  this.timeout(30_000);
  before(buildBundle);
  afterEach(stopAll);

  it('logs one line per request, a failed one with why it failed and the fix', async () => {
    const cli = await start(['--port', '0', '--in-memory', '--no-market-maker', '--log-requests']);
    const { baseUrl, apiKey, secret } = cli.info;
    await signed(baseUrl, { kind: 'hmac', apiKey, secret }, 'GET', '/api/v3/account');
    await signed(baseUrl, { kind: 'hmac', apiKey, secret: 'not it' }, 'GET', '/api/v3/openOrders');
    const deadline = Date.now() + 5000;
    while (!/openOrders/.test(cli.stderr()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const lines = cli
      .stderr()
      .split('\n')
      .filter((line) => line.includes('request: '));
    assert.match(
      lines.find((l) => l.includes('/api/v3/account')) ?? '',
      /request: GET \/api\/v3\/account 200 \d+ ms w\d+ \w{4}…\w{4} 127\.0\.0\.1:\d+$/,
    );
    assert.match(
      lines.find((l) => l.includes('/api/v3/openOrders')) ?? '',
      /request: GET \/api\/v3\/openOrders 400 -1022 .* — No known mistake explains it: the secret used is not the one of this API key.* Fix: /,
    );
    for (const line of lines) {
      assert.ok(!line.includes(secret), 'no secret in the log');
      assert.ok(!line.includes(apiKey), 'no full key in the log');
    }
  });
});
