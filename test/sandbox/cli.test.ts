import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE, buildBundle, exitCode, ROOT, runToExit, start, stopAll } from './cliProcess';
import { ExitCode } from '../../src/sandbox/service/exitCodes';
import { Creds, get, signed } from './httpHelpers';

describe('sandbox CLI (dist/sandbox.js)', function () {
  this.timeout(30000);

  before(buildBundle);
  after(stopAll);

  it('prints exactly one JSON line, serves on 127.0.0.1 and exits 0 on SIGTERM', async () => {
    const started = await start(['--port', '0']);
    const { info } = started;
    assert.match(info.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.wsApiUrl, `${info.baseUrl.replace('http:', 'ws:')}/ws-api/v3`);
    assert.match(info.apiKey, /^[A-Za-z0-9]{64}$/);
    assert.match(info.secret, /^[A-Za-z0-9]{64}$/);
    assert.match(info.ed25519.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
    // The six fields of the first version, then what the service adds (nothing secret).
    assert.deepEqual(Object.keys(info), [
      'baseUrl',
      'wsApiUrl',
      'streamUrl',
      'apiKey',
      'secret',
      'ed25519',
      'port',
      'pid',
      'startedAt',
      'version',
      'dataDir',
    ]);
    assert.equal(info.pid, started.child.pid);
    assert.equal(info.dataDir, 'in-memory');
    assert.equal(info.streamUrl, `${info.baseUrl.replace('http:', 'ws:')}/ws`);
    const ping = await get(info.baseUrl, '/api/v3/ping');
    assert.equal(ping.status, 200);
    const creds: Creds = { kind: 'hmac', apiKey: info.apiKey, secret: info.secret };
    const account = await signed(info.baseUrl, creds, 'GET', '/api/v3/account');
    assert.equal(account.status, 200);
    started.child.kill('SIGTERM');
    assert.equal(await exitCode(started.child), 0);
    assert.equal(started.stdout().trim().split('\n').length, 1, 'stdout has exactly one line');
  });

  it('loads a --seed file and exits 0 on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-seed-'));
    const seedFile = join(dir, 'seed.json');
    writeFileSync(
      seedFile,
      JSON.stringify({
        symbols: [
          {
            symbol: 'SOLUSDT',
            baseAsset: 'SOL',
            quoteAsset: 'USDT',
            price: '150',
            tickSize: '0.01',
            stepSize: '0.001',
            minQty: '0.001',
            minNotional: '5',
          },
        ],
        defaultBalances: { SOL: '3', USDT: '42' },
      }),
    );
    const started = await start(['--port', '0', '--seed', seedFile, '--no-market-maker']);
    const info = await get(started.info.baseUrl, '/api/v3/exchangeInfo');
    assert.deepEqual(
      info.json.symbols.map((s: { symbol: string }) => s.symbol),
      ['SOLUSDT'],
    );
    const creds: Creds = { kind: 'hmac', apiKey: started.info.apiKey, secret: started.info.secret };
    const account = await signed(started.info.baseUrl, creds, 'GET', '/api/v3/account');
    assert.deepEqual(account.json.balances, [
      { asset: 'SOL', free: '3.00000000', locked: '0.00000000' },
      { asset: 'USDT', free: '42.00000000', locked: '0.00000000' },
    ]);
    started.child.kill('SIGINT');
    assert.equal(await exitCode(started.child), 0);
  });

  it('--keep-closed-orders bounds the closed history: a dropped order answers -2026, allOrders lists what is kept', async () => {
    const started = await start(['--port', '0', '--no-market-maker', '--keep-closed-orders', '2']);
    const { baseUrl } = started.info;
    const creds: Creds = { kind: 'hmac', apiKey: started.info.apiKey, secret: started.info.secret };
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const placed = await signed(baseUrl, creds, 'POST', '/api/v3/order', {
        body: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '0.001', price: '30000' },
      });
      assert.equal(placed.json.status, 'EXPIRED');
      ids.push(placed.json.orderId);
    }
    const dropped = await signed(baseUrl, creds, 'GET', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', orderId: ids[0] },
    });
    assert.equal(dropped.status, 400);
    assert.equal(dropped.json.code, -2026);
    const all = await signed(baseUrl, creds, 'GET', '/api/v3/allOrders', { params: { symbol: 'BTCUSDT' } });
    assert.deepEqual(
      all.json.map((o: { orderId: number }) => o.orderId),
      ids.slice(1),
    );
    started.child.kill('SIGTERM');
    assert.equal(await exitCode(started.child), 0);
  });

  it('refuses a retention flag that is not a whole number of at least 1, saying so', async () => {
    // A usage error since the service names its exit codes (service/exitCodes.ts); it was 1 before.
    const { code, stderr } = await runToExit(['--port', '0', '--keep-trades', '0']);
    assert.equal(code, ExitCode.usage);
    assert.match(stderr, /--keep-trades must be a whole number of at least 1 \(got 0\)/);
  });

  it('npm run sandbox builds only a stale bundle: skips a current one, rebuilds after a source or the input list changes', async () => {
    const build = (): Promise<void> =>
      new Promise((done, fail) =>
        execFile(process.execPath, ['esbuild.js', '--if-stale', '--only=sandbox'], { cwd: ROOT }, (error) =>
          error ? fail(error) : done(),
        ),
      );
    const builtAt = (): number => statSync(BUNDLE).mtimeMs;
    await build();
    const first = builtAt();
    await build();
    assert.equal(builtAt(), first, 'a current bundle is not rebuilt');
    // A source of the bundle changes (its mtime moves past the bundle's): rebuilt.
    const source = join(ROOT, 'src/sandbox/lineBuffer.ts');
    const later = new Date(first + 5000);
    utimesSync(source, later, later);
    await build();
    const second = builtAt();
    assert.ok(second > first, 'a changed input rebuilds the bundle');
    // No list of the last build's inputs (as on a fresh clone): rebuilt.
    utimesSync(source, new Date(first), new Date(first));
    rmSync(join(ROOT, 'dist/sandbox.meta.json'));
    await build();
    assert.ok(builtAt() > second, 'rebuilt without a list');
    assert.ok(statSync(join(ROOT, 'dist/sandbox.meta.json')).isFile(), 'the build writes its input list again');
  });

  it('fails with a clear message and exit code 1 on a bad seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-seed-'));
    const seedFile = join(dir, 'bad.json');
    writeFileSync(seedFile, JSON.stringify({ symbols: [{ symbol: 'X' }] }));
    const { code, stdout, stderr } = await runToExit(['--port', '0', '--seed', seedFile]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /seed symbol/);
  });
});
