// The sandbox's durable state in process: restarts, export / reset / import, and the bad inputs of
// a data folder (a torn or damaged journal, a damaged or newer snapshot, a bad import file).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dec } from '../../../src/sandbox/decimal';
import { SandboxHandle, startSandbox } from '../../../src/sandbox/index';
import { StoreDamagedError } from '../../../src/sandbox/persistence/durableStore';
import { decodeState } from '../../../src/sandbox/persistence/stateFile';
import { Creds, raw, Reply, signed } from '../httpHelpers';

const folders: string[] = [];
function stateDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sandbox-state-')), 'state');
  folders.push(dir);
  return dir;
}

const open: SandboxHandle[] = [];
async function sandboxOn(dir: string, logs: string[] = []): Promise<SandboxHandle> {
  const sandbox = await startSandbox({ stateDir: dir, marketMaker: false, log: (line) => logs.push(line) });
  open.push(sandbox);
  return sandbox;
}

/** The state without the file header (whose createdAt differs between two exports). */
const stateOf = (sandbox: SandboxHandle): unknown => decodeState(sandbox.exportState(), 'export').state;

/** Two resting orders and a trade on the default account and an extra account. */
function trade(sandbox: SandboxHandle): { extraKey: string } {
  const { engine } = sandbox;
  const extra = sandbox.createAccount({ BTC: '1', USDT: '100000' });
  const accounts = engine.allAccounts();
  const main = accounts.find((a) => a.name === 'default')!;
  const other = accounts.find((a) => a.name === 'extra-1')!;
  engine.placeOrder(main.id, {
    symbol: 'BTCUSDT',
    side: 'SELL',
    type: 'LIMIT',
    price: dec('60100'),
    quantity: dec('0.01'),
  });
  engine.placeOrder(main.id, {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    price: dec('59000'),
    quantity: dec('0.02'),
  });
  engine.placeOrder(other.id, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: dec('0.004') });
  return { extraKey: extra.apiKey };
}

describe('sandbox durable state', function () {
  this.timeout(20_000);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('a restart continues from the same accounts, orders, trades and keys', async () => {
    const dir = stateDir();
    const first = await sandboxOn(dir);
    const { extraKey } = trade(first);
    const before = stateOf(first);
    await first.close();

    const second = await sandboxOn(dir);
    assert.deepStrictEqual(stateOf(second), before);
    second.engine.checkInvariants();
    // The extra account's key came back with it.
    second.deposit(extraKey, 'USDT', '1');
  });

  it('a restart without a clean stop replays the journal (what a kill -9 leaves)', async () => {
    const dir = stateDir();
    const first = await sandboxOn(dir);
    trade(first);
    const before = stateOf(first);
    // Copy the folder as it is now, durable records included, before close() writes a snapshot.
    const journal = readdirSync(dir).find((name) => name.startsWith('journal-'))!;
    await new Promise((resolve) => setTimeout(resolve, 50)); // the group commit's write
    const copy = stateDir();
    mkdirSync(copy, { recursive: true });
    for (const name of readdirSync(dir)) writeFileSync(join(copy, name), readFileSync(join(dir, name)));
    assert.ok(readFileSync(join(copy, journal)).length > 0, 'the orders are in the journal');

    const logs: string[] = [];
    const second = await sandboxOn(copy, logs);
    assert.deepStrictEqual(stateOf(second), before);
    assert.ok(
      logs.some((line) => /journal records replayed/.test(line) && !/\(0 journal/.test(line)),
      logs.join('\n'),
    );
  });

  it('export, reset and import give back an identical state; reset keeps the keys', async () => {
    const sandbox = await sandboxOn(stateDir());
    trade(sandbox);
    const exported = sandbox.exportState();
    const before = stateOf(sandbox);
    sandbox.reset();
    assert.equal(sandbox.engine.openOrders(2).length, 0, 'reset: no open orders');
    assert.notDeepStrictEqual(stateOf(sandbox), before);
    sandbox.importState(exported);
    assert.deepStrictEqual(stateOf(sandbox), before);
    sandbox.engine.checkInvariants();
  });

  it('a reset or an import is durable at once', async () => {
    const dir = stateDir();
    const first = await sandboxOn(dir);
    trade(first);
    first.reset();
    const afterReset = stateOf(first);
    await first.close();
    const second = await sandboxOn(dir);
    assert.deepStrictEqual(stateOf(second), afterReset);
  });

  it('over HTTP: GET and PUT /sandbox/v1/state and POST /sandbox/v1/reset; a bad file changes nothing', async () => {
    const sandbox = await sandboxOn(stateDir());
    trade(sandbox);
    const exported = Buffer.from(await (await fetch(`${sandbox.baseUrl}/sandbox/v1/state`)).arrayBuffer());
    const before = stateOf(sandbox);
    assert.equal((await raw(sandbox.baseUrl, 'POST', '/sandbox/v1/reset')).status, 200);
    const bad = await raw(sandbox.baseUrl, 'PUT', '/sandbox/v1/state', {
      body: exported.subarray(0, exported.length - 10),
    });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /truncated or damaged/);
    assert.equal(sandbox.engine.openOrders(2).length, 0, 'the bad import changed nothing');
    const good = await raw(sandbox.baseUrl, 'PUT', '/sandbox/v1/state', { body: exported });
    assert.equal(good.status, 200, good.text);
    assert.deepStrictEqual(stateOf(sandbox), before);
    const fromBrowser = await raw(sandbox.baseUrl, 'POST', '/sandbox/v1/reset', {
      headers: { Origin: 'https://evil.example' },
    });
    assert.equal(fromBrowser.status, 403, 'a web page cannot reset the sandbox');
  });

  it('cuts a torn last journal record (a crash mid-write) and says so', async () => {
    const dir = stateDir();
    const first = await sandboxOn(dir);
    trade(first);
    const before = stateOf(first);
    await first.close();
    const journal = readdirSync(dir).find((name) => name.startsWith('journal-'))!;
    appendFileSync(join(dir, journal), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5])); // a frame cut short
    const logs: string[] = [];
    const second = await sandboxOn(dir, logs);
    assert.deepStrictEqual(stateOf(second), before);
    assert.ok(
      logs.some((line) => /incomplete record .* never acknowledged/.test(line)),
      logs.join('\n'),
    );
  });

  it('refuses a journal damaged in the middle, a damaged snapshot and a newer one, and changes no file', async () => {
    const dir = stateDir();
    const first = await sandboxOn(dir);
    trade(first);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const journal = readdirSync(dir).find((name) => name.startsWith('journal-'))!;
    // Copy before close(), so the journal still holds the orders.
    const files = new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
    await first.close();
    const bytesOf = (d: string): Map<string, Buffer> =>
      new Map(readdirSync(d).map((n) => [n, readFileSync(join(d, n))]));

    const damagedJournal = stateDir();
    mkdirSync(damagedJournal, { recursive: true });
    for (const [name, bytes] of files) {
      const copy = Buffer.from(bytes);
      if (name === journal) copy[12] ^= 0xff; // inside the first record; more follow
      writeFileSync(join(damagedJournal, name), copy);
    }
    const journalBefore = bytesOf(damagedJournal);
    await assert.rejects(sandboxOn(damagedJournal), (error: Error) => {
      assert.ok(error instanceof StoreDamagedError);
      assert.match(error.message, /is damaged at byte 0 \(record 1: a checksum mismatch\).*Nothing was changed/);
      return true;
    });
    assert.deepStrictEqual(bytesOf(damagedJournal), journalBefore);

    const snapshot = join(dir, 'snapshot.state');
    const good = readFileSync(snapshot);
    const damaged = Buffer.from(good);
    damaged[damaged.length - 3] ^= 0xff;
    writeFileSync(snapshot, damaged);
    await assert.rejects(sandboxOn(dir), /checksum does not match.*Nothing was changed/);
    assert.deepStrictEqual(readFileSync(snapshot), damaged);

    const newline = good.indexOf(0x0a);
    const header = JSON.parse(good.subarray(0, newline).toString()) as Record<string, unknown>;
    writeFileSync(
      snapshot,
      Buffer.concat([Buffer.from(`${JSON.stringify({ ...header, version: 9 })}\n`), good.subarray(newline + 1)]),
    );
    await assert.rejects(sandboxOn(dir), /written by a newer sandbox .*Update Testnet Desk/);
  });

  it('on a full disk answers 503 instead of acknowledging, asks to be stopped, and keeps what was acknowledged', async () => {
    const dir = stateDir();
    let full = false;
    const failures: Error[] = [];
    const disk = {
      write: (fd: number, data: Buffer, callback: (error: NodeJS.ErrnoException | null, written: number) => void) =>
        full
          ? callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 0)
          : fs.write(fd, data, 0, data.length, null, callback),
      fdatasync: (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => fs.fdatasync(fd, callback),
    };
    const sandbox = await startSandbox({
      stateDir: dir,
      marketMaker: false,
      journalFiles: disk,
      onStorageFailure: (error) => failures.push(error),
    });
    open.push(sandbox);
    const creds: Creds = { kind: 'hmac', apiKey: sandbox.apiKey, secret: sandbox.secret };
    const order = (price: string): Promise<Reply> =>
      signed(sandbox.baseUrl, creds, 'POST', '/api/v3/order', {
        body: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price, quantity: '0.01' },
      });
    const kept = await order('50000');
    assert.equal(kept.status, 200, kept.text);
    full = true;
    const lost = await order('50001');
    assert.equal(lost.status, 503, 'not acknowledged');
    assert.equal(lost.json.code, -1000);
    assert.match(lost.json.msg, /could not save this request .*ENOSPC.*not acknowledged.*free disk space/);
    assert.equal(failures.length, 1);
    assert.match(failures[0].message, /ENOSPC/);

    // What the owner does (the service exits 6); a restart has the acknowledged order only.
    const files = new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
    const copy = stateDir();
    mkdirSync(copy, { recursive: true });
    for (const [name, bytes] of files) writeFileSync(join(copy, name), bytes);
    const again = await sandboxOn(copy);
    const account = again.engine.allAccounts().find((a) => a.name === 'default')!.id;
    assert.deepEqual(
      again.engine.openOrders(account).map((o) => o.orderId),
      [kept.json.orderId],
    );
  });
});
