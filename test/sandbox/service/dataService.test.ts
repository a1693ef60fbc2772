// The sandbox program as a service (`--data DIR`): stable keys, one sandbox per data folder, the
// health and shutdown endpoints, the discovery file, a port in use, and a kill -9 left-over lock.
// Real processes of dist/sandbox.js, on 127.0.0.1.
import * as assert from 'node:assert/strict';
import { createServer, Server } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../../src/sandbox/service/exitCodes';
import { buildBundle, exitCode, runToExit, start, stopAll } from '../cliProcess';
import { Creds, get, raw, signed } from '../httpHelpers';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sandbox-data-'));
}

async function shutdown(baseUrl: string): Promise<number> {
  return (await raw(baseUrl, 'POST', '/sandbox/v1/shutdown')).status;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

describe('sandbox service (--data, health, shutdown, lock)', function () {
  this.timeout(30000);
  before(buildBundle);
  afterEach(stopAll);

  it('keeps the same HMAC and Ed25519 keys across two starts on one data folder', async () => {
    const data = join(tempDir(), 'data'); // created by the sandbox
    const first = await start(['--port', '0', '--data', data]);
    const keysFile = join(data, 'keys.json');
    assert.equal(statSync(keysFile).mode & 0o777, 0o600, 'keys.json is for its owner only');
    assert.equal(await shutdown(first.info.baseUrl), 202);
    assert.equal(await exitCode(first.child), 0);
    const second = await start(['--port', '0', '--data', data]);
    assert.notEqual(second.info.pid, first.info.pid);
    assert.equal(second.info.apiKey, first.info.apiKey);
    assert.equal(second.info.secret, first.info.secret);
    assert.deepEqual(second.info.ed25519, first.info.ed25519);
    const stored = JSON.parse(readFileSync(keysFile, 'utf8'));
    assert.equal(stored.hmac.secret, first.info.secret);
    // The keys work against the new process: a bot configured before the restart still signs.
    const creds: Creds = { kind: 'hmac', apiKey: first.info.apiKey, secret: first.info.secret };
    assert.equal((await signed(second.info.baseUrl, creds, 'GET', '/api/v3/account')).status, 200);
    const ed: Creds = {
      kind: 'ed25519',
      apiKey: first.info.ed25519.apiKey,
      privateKey: first.info.ed25519.privateKeyPem,
    };
    assert.equal((await signed(second.info.baseUrl, ed, 'GET', '/api/v3/account')).status, 200);
  });

  it('refuses a second sandbox on the same data folder, naming the first, and changes nothing', async () => {
    const data = tempDir();
    const first = await start(['--port', '0', '--data', data]);
    const keysBefore = readFileSync(join(data, 'keys.json'), 'utf8');
    const lockBefore = readFileSync(join(data, 'sandbox.lock'), 'utf8');
    const second = await runToExit(['--port', '0', '--data', data]);
    assert.equal(second.code, ExitCode.dataDirLocked);
    assert.equal(second.stdout, '');
    assert.match(second.stderr, new RegExp(`Another sandbox \\(pid ${first.info.pid}, port ${first.info.port}\\)`));
    assert.match(second.stderr, /another --data folder/);
    assert.equal(readFileSync(join(data, 'keys.json'), 'utf8'), keysBefore);
    assert.equal(readFileSync(join(data, 'sandbox.lock'), 'utf8'), lockBefore);
    assert.equal((await get(first.info.baseUrl, '/api/v3/ping')).status, 200, 'the first one still serves');
  });

  it('answers health with who it is and nothing secret, and stops cleanly on POST /sandbox/v1/shutdown', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const discovery = join(dir, 'sandbox.json');
    const started = await start(['--port', '0', '--data', data, '--discovery', discovery, '--no-keys-on-stdout']);
    const { info } = started;
    const keys = JSON.parse(readFileSync(join(data, 'keys.json'), 'utf8'));
    // --no-keys-on-stdout: the JSON line names the keys file instead of the keys.
    assert.equal(info.apiKey, undefined);
    assert.equal(info.keysFile, join(data, 'keys.json'));
    const health = await get(info.baseUrl, '/sandbox/v1/health');
    assert.equal(health.status, 200);
    assert.deepEqual(health.json, {
      status: 'ok',
      service: 'testnet-desk-sandbox',
      version: info.version,
      pid: started.child.pid,
      startedAt: info.startedAt,
      port: info.port,
      dataDir: data,
    });
    const discovered = JSON.parse(readFileSync(discovery, 'utf8'));
    assert.deepEqual(
      [discovered.pid, discovered.port, discovered.startedAt, discovered.dataDir, discovered.version],
      [started.child.pid, info.port, info.startedAt, data, info.version],
    );
    // Traffic with every key, then nothing secret in anything it wrote: stdout, stderr, log, discovery, health.
    const creds: Creds = { kind: 'hmac', apiKey: keys.hmac.apiKey, secret: keys.hmac.secret };
    await signed(info.baseUrl, creds, 'GET', '/api/v3/account');
    const order = await signed(info.baseUrl, creds, 'POST', '/api/v3/order', {
      body: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000' },
    });
    assert.equal(order.status, 200, order.text);
    assert.equal(await shutdown(info.baseUrl), 202);
    assert.equal(await exitCode(started.child), 0);
    assert.equal(existsSync(discovery), false, 'the discovery file is removed on a clean stop');
    assert.equal(existsSync(join(data, 'sandbox.lock')), false, 'the lock is released');
    const log = readFileSync(join(data, 'sandbox.log'), 'utf8');
    assert.match(log, /POST \/api\/v3\/order -> 200/);
    assert.match(log, /stopping: shutdown requested/);
    const written = [started.stdout(), started.stderr(), log, JSON.stringify(health.json), JSON.stringify(discovered)];
    for (const secret of [keys.hmac.apiKey, keys.hmac.secret, keys.ed25519.apiKey, 'PRIVATE KEY', 'signature='])
      for (const text of written) assert.ok(!text.includes(secret), `"${secret.slice(0, 12)}…" was written out`);
  });

  it('says a port is in use by another program, exits 3, and keeps the data folder as it was', async () => {
    const blocker = createServer();
    const port = await listen(blocker);
    try {
      const data = tempDir();
      const first = await start(['--port', '0', '--data', data]);
      await shutdown(first.info.baseUrl);
      await exitCode(first.child);
      const keysBefore = readFileSync(join(data, 'keys.json'), 'utf8');
      const result = await runToExit(['--port', String(port), '--data', data]);
      assert.equal(result.code, ExitCode.portInUse);
      assert.match(
        result.stderr,
        new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is in use: another program is listening there`),
      );
      assert.match(result.stderr, /--port 0 picks a free one/);
      assert.equal(readFileSync(join(data, 'keys.json'), 'utf8'), keysBefore);
      assert.equal(existsSync(join(data, 'sandbox.lock')), false, 'a failed start releases the lock');
    } finally {
      blocker.close();
    }
  });

  it('names the sandbox that holds a port', async () => {
    const first = await start(['--port', '0']);
    const result = await runToExit(['--port', String(first.info.port), '--data', tempDir()]);
    assert.equal(result.code, ExitCode.portInUse);
    assert.match(result.stderr, new RegExp(`another Testnet Desk sandbox \\(pid ${first.info.pid}, data in-memory\\)`));
  });

  it('after kill -9, the next start takes over the left-over lock with the same keys', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const discovery = join(dir, 'sandbox.json');
    const first = await start(['--port', '0', '--data', data, '--discovery', discovery]);
    first.child.kill('SIGKILL');
    await exitCode(first.child);
    assert.ok(existsSync(join(data, 'sandbox.lock')), 'a killed sandbox leaves its lock');
    assert.ok(existsSync(discovery), '… and its discovery file');
    const second = await start(['--port', '0', '--data', data, '--discovery', discovery]);
    assert.equal(second.info.secret, first.info.secret);
    assert.equal(JSON.parse(readFileSync(join(data, 'sandbox.lock'), 'utf8')).pid, second.child.pid);
    assert.equal(JSON.parse(readFileSync(discovery, 'utf8')).pid, second.child.pid);
  });

  it('refuses --data with --in-memory, and a folder that is not a sandbox folder', async () => {
    const both = await runToExit(['--data', tempDir(), '--in-memory']);
    assert.equal(both.code, ExitCode.usage);
    assert.match(both.stderr, /--data and --in-memory exclude each other/);
    const home = tempDir();
    writeFileSync(join(home, 'notes.txt'), 'mine');
    const foreign = await runToExit(['--port', '0', '--data', home]);
    assert.equal(foreign.code, ExitCode.dataDirUnusable);
    assert.match(foreign.stderr, /is not a sandbox data folder .*\(notes\.txt\)\. Nothing was changed/);
    assert.deepEqual(readdirSync(home), ['notes.txt']);
  });
});
