import * as assert from 'node:assert/strict';
import { startSandbox } from '../../../src/sandbox';
import { fromSandboxRecord, InspectedRequest } from '../../../src/app/inspector/inspectedRequest';
import { ownRequest } from '../../../src/app/inspector/ownRequests';
import { RequestList } from '../../../src/app/inspector/requestList';
import { SandboxRequestFeed } from '../../../src/app/inspector/sandboxRequestFeed';
import { SPOT_TESTNET } from '../../../src/core/environments';
import { waitFor } from '../../../scripts/harness/waits';
import { signed } from '../../sandbox/httpHelpers';

const request = (n: number, over: Partial<InspectedRequest> = {}): InspectedRequest => ({
  key: `sandbox:${n}`,
  environment: 'Local sandbox (1)',
  time: 1000 + n,
  transport: 'rest',
  client: '127.0.0.1:5000',
  method: 'GET',
  path: '/api/v3/account',
  status: 200,
  latencyMs: 1,
  ...over,
});

describe('Requests view model', () => {
  it('keeps the newest requests, newest first, once each', () => {
    const list = new RequestList(3);
    let changes = 0;
    list.onDidChange(() => changes++);
    list.add(request(1), request(3));
    list.add(request(2), request(3)); // 3 again: skipped
    list.add(request(4));
    assert.deepEqual(
      list.visible().map((r) => r.key),
      ['sandbox:4', 'sandbox:3', 'sandbox:2'],
    );
    assert.equal(changes, 3);
    list.add(request(2));
    assert.equal(changes, 3, 'nothing new, no change');
  });

  it('filters by failures, client (connection or masked key) and endpoint', () => {
    const list = new RequestList();
    list.add(
      request(1),
      request(2, { status: 400, code: -1022, apiKey: 'vmPU…1a2b' }),
      request(3, { client: 'Testnet Desk', path: '/api/v3/order', method: 'POST' }),
    );
    list.filter = { failuresOnly: true };
    assert.deepEqual(
      list.visible().map((r) => r.key),
      ['sandbox:2'],
    );
    list.filter = { client: 'vmPU…1a2b' };
    assert.deepEqual(
      list.visible().map((r) => r.key),
      ['sandbox:2'],
    );
    list.filter = { endpoint: '/order' };
    assert.deepEqual(
      list.visible().map((r) => r.key),
      ['sandbox:3'],
    );
    assert.deepEqual(list.clients(), ['127.0.0.1:5000', 'Testnet Desk', 'vmPU…1a2b']);
  });

  it('reads a sandbox record field by field and drops one that is not a record', () => {
    assert.equal(fromSandboxRecord({ id: 'x' }, 'e'), undefined);
    assert.equal(fromSandboxRecord(null, 'e'), undefined);
    const r = fromSandboxRecord(
      {
        id: 7,
        time: 5,
        transport: 'ws',
        method: 'order.place',
        status: 400,
        code: -1022,
        latencyMs: 2,
        connection: 'ws 127.0.0.1 #1',
        diagnosis: { cause: 'c', fix: 'f' },
      },
      'Local sandbox (1)',
    );
    assert.equal(r?.key, 'sandbox:7');
    assert.equal(r?.transport, 'ws');
    assert.equal(r?.diagnosis?.cause, 'c');
  });

  it("lists the extension's own requests without their query string", () => {
    const own = ownRequest(
      {
        method: 'GET',
        path: '/api/v3/account?timestamp=1&signature=abc',
        status: 200,
        latencyMs: 12.4,
        usedWeight: 20,
      },
      SPOT_TESTNET,
      10_000,
    );
    assert.equal(own.path, '/api/v3/account');
    assert.equal(own.client, 'Testnet Desk');
    assert.equal(own.environment, 'Spot Testnet');
    assert.equal(own.weight, 20);
    assert.ok(!JSON.stringify(own).includes('signature=abc'));
  });

  it('follows a sandbox: the recent records, then each new one live, a failure with its diagnosis', async function () {
    this.timeout(15_000);
    const sb = await startSandbox({ marketMaker: false });
    const list = new RequestList();
    const feed = new SandboxRequestFeed({ baseUrl: sb.baseUrl, environment: 'Local sandbox', list });
    try {
      await signed(sb.baseUrl, { kind: 'hmac', apiKey: sb.apiKey, secret: sb.secret }, 'GET', '/api/v3/account');
      feed.start();
      await waitFor('the earlier request', () => list.visible().length >= 1, { timeoutMs: 5000, intervalMs: 25 });
      await signed(sb.baseUrl, { kind: 'hmac', apiKey: sb.apiKey, secret: 'wrong' }, 'GET', '/api/v3/openOrders');
      const failed = await waitFor('the failed request, live', () => list.visible().find((r) => r.code === -1022), {
        timeoutMs: 5000,
        intervalMs: 25,
      });
      assert.equal(failed.path, '/api/v3/openOrders');
      assert.match(failed.diagnosis!.cause, /secret used is not the one of this API key/);
      assert.ok(!JSON.stringify(list.visible()).includes(sb.secret));
    } finally {
      feed.stop();
      await sb.close();
    }
  });

  it('follows loopback sandboxes only', () => {
    assert.throws(
      () => new SandboxRequestFeed({ baseUrl: 'http://10.0.0.1:27182', environment: 'x', list: new RequestList() }),
      /loopback sandboxes only/,
    );
  });
});
