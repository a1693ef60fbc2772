// The inspector's records in a data folder: back after a restart, bounded on disk, a torn line
// left out, no secret written.
import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runService, type RunningService } from '../../../src/sandbox/service/runService';
import { Creds, raw, signed } from '../httpHelpers';

describe('request inspector: records kept in the data folder', function () {
  this.timeout(30_000);
  let root: string;
  let data: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'record-file-'));
    data = join(root, 'data');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function serve(requestLogSize?: number): Promise<RunningService> {
    return runService({
      port: 0,
      dataDir: data,
      requestLogSize,
      keyRegistryDir: join(root, 'registry'),
      marketMaker: false,
      log: () => undefined,
    });
  }

  it('brings the records back after a restart, diagnoses included, and numbers new ones after them', async () => {
    const first = await serve();
    const creds: Creds = { kind: 'hmac', apiKey: first.sandbox.apiKey, secret: first.sandbox.secret };
    await signed(first.sandbox.baseUrl, creds, 'GET', '/api/v3/account');
    await signed(first.sandbox.baseUrl, { ...creds, secret: 'wrong' }, 'GET', '/api/v3/account');
    const before = first.sandbox.requests!.query();
    await first.stop('restart');

    const text = readFileSync(join(data, 'requests.jsonl'), 'utf8');
    for (const secret of [creds.apiKey, creds.secret, first.sandbox.ed25519.apiKey])
      assert.ok(!text.includes(secret), 'requests.jsonl holds a key or secret');

    const second = await serve();
    try {
      const served = (await raw(second.sandbox.baseUrl, 'GET', '/sandbox/v1/requests')).json as { id: number }[];
      assert.deepEqual(served, JSON.parse(JSON.stringify(before)));
      assert.match(second.sandbox.requests!.query({ status: 'error' })[0].diagnosis!.cause, /secret/);
      await raw(second.sandbox.baseUrl, 'GET', '/api/v3/time');
      const [latest] = second.sandbox.requests!.query({ limit: 1 });
      assert.equal(latest.id, before[before.length - 1].id + 1);
    } finally {
      await second.stop('done');
    }
  });

  it('keeps at most twice the capacity on disk, brings back the newest, and leaves out a torn line', async () => {
    const first = await serve(3);
    for (let i = 0; i < 4; i++) await raw(first.sandbox.baseUrl, 'GET', `/api/v3/time?n=${i}`);
    await first.stop('rotate');
    const second = await serve(3);
    for (let i = 4; i < 8; i++) await raw(second.sandbox.baseUrl, 'GET', `/api/v3/time?n=${i}`);
    await second.stop('rotate again');
    const count = (file: string): number =>
      existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
    const onDisk = count(join(data, 'requests.jsonl')) + count(join(data, 'requests.1.jsonl'));
    assert.ok(onDisk <= 6, `${onDisk} records on disk for a capacity of 3`);

    appendFileSync(join(data, 'requests.jsonl'), '{"id": 99, "meth'); // a crash mid-line
    const third = await serve(3);
    // With a data folder the log is its sandbox.log.
    assert.match(
      readFileSync(join(data, 'sandbox.log'), 'utf8'),
      /requests\.jsonl: 1 unreadable request record\(s\) left out/,
    );
    assert.deepEqual(
      third.sandbox.requests!.query().map((record) => record.params.n),
      ['5', '6', '7'],
    );
    await raw(third.sandbox.baseUrl, 'GET', '/api/v3/time?n=8');
    await third.stop('after the torn line');
    const fourth = await serve(3);
    try {
      assert.deepEqual(
        fourth.sandbox.requests!.query().map((record) => record.params.n),
        ['6', '7', '8'],
      );
    } finally {
      await fourth.stop('done');
    }
  });
});
