// The control API's service endpoints in-process: health, shutdown, and the refusal of browser
// (Origin) and DNS-rebinding (foreign Host) requests.
import * as assert from 'node:assert/strict';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox';
import { raw } from '../httpHelpers';

describe('sandbox control: health, shutdown, browser refusal', () => {
  let sb: SandboxHandle | undefined;
  afterEach(async () => sb?.close());

  it('reports health without any key, and "in-memory" without a data folder', async () => {
    sb = await startSandbox({ marketMaker: false });
    const health = await raw(sb.baseUrl, 'GET', '/sandbox/v1/health');
    assert.equal(health.status, 200);
    assert.deepEqual(Object.keys(health.json), ['status', 'service', 'version', 'pid', 'startedAt', 'port', 'dataDir']);
    assert.equal(health.json.pid, process.pid);
    assert.equal(health.json.port, sb.port);
    assert.equal(health.json.startedAt, sb.startedAt);
    assert.equal(health.json.dataDir, 'in-memory');
    for (const secret of [sb.apiKey, sb.secret, sb.ed25519.apiKey]) assert.ok(!health.text.includes(secret));
  });

  it('answers POST /sandbox/v1/shutdown, then closes (the default when no service owns it)', async () => {
    sb = await startSandbox({ marketMaker: false });
    const reply = await raw(sb.baseUrl, 'POST', '/sandbox/v1/shutdown');
    assert.equal(reply.status, 202);
    assert.deepEqual(reply.json, { status: 'stopping' });
    const deadline = Date.now() + 5000;
    let refused = false;
    while (!refused && Date.now() < deadline) {
      refused = await raw(sb.baseUrl, 'GET', '/api/v3/ping').then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(refused, 'the sandbox still answers after the shutdown request');
  });

  it('calls the owner on shutdown instead when there is one', async () => {
    let asked = 0;
    sb = await startSandbox({ marketMaker: false, onShutdownRequest: () => asked++ });
    assert.equal((await raw(sb.baseUrl, 'POST', '/sandbox/v1/shutdown')).status, 202);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(asked, 1);
    assert.equal((await raw(sb.baseUrl, 'GET', '/api/v3/ping')).status, 200, 'the owner decides when to close');
  });

  it('refuses control requests from a web page (Origin) or for a foreign host name (DNS rebinding)', async () => {
    let asked = 0;
    sb = await startSandbox({ marketMaker: false, onShutdownRequest: () => asked++ });
    const fromPage = await raw(sb.baseUrl, 'POST', '/sandbox/v1/shutdown', {
      headers: { Origin: 'https://example.com' },
    });
    assert.equal(fromPage.status, 403);
    assert.match(fromPage.json.error, /do not answer browser requests/);
    const rebound = await raw(sb.baseUrl, 'POST', '/sandbox/v1/accounts', {
      body: '{}',
      headers: { Host: `attacker.example:${sb.port}`, 'Content-Type': 'application/json' },
    });
    assert.equal(rebound.status, 403);
    assert.match(rebound.json.error, /answer only requests for 127\.0\.0\.1, localhost or \[::1\]/);
    assert.equal(asked, 0);
    // Local programs (no Origin, a loopback Host) are served as before, and the API itself is untouched.
    const local = await raw(sb.baseUrl, 'GET', '/sandbox/v1/health', { headers: { Host: `localhost:${sb.port}` } });
    assert.equal(local.status, 200);
    const api = await raw(sb.baseUrl, 'GET', '/api/v3/ping', { headers: { Origin: 'https://example.com' } });
    assert.equal(api.status, 200);
  });
});
