// The sandbox program's snapshots: --export-on-exit writes the whole state on a clean stop,
// --import starts from it (a team's fixture, a bot's CI), and bad files or damaged data folders
// are refused with their own exit code and nothing changed. Real processes of dist/sandbox.js.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeState } from '../../../src/sandbox/persistence/stateFile';
import { ExitCode } from '../../../src/sandbox/service/exitCodes';
import { buildBundle, exitCode, runToExit, start, stopAll } from '../cliProcess';
import { Creds, raw, signed } from '../httpHelpers';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'sandbox-snapshots-'));

async function restingOrder(baseUrl: string, creds: Creds): Promise<number> {
  const placed = await signed(baseUrl, creds, 'POST', '/api/v3/order', {
    body: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000', quantity: '0.01' },
  });
  assert.equal(placed.status, 200, placed.text);
  return placed.json.orderId as number;
}

describe('sandbox snapshots (--export-on-exit, --import)', function () {
  this.timeout(30_000);
  before(buildBundle);
  afterEach(stopAll);

  it('exports on a clean stop, and a sandbox started from the export has the same orders and balances', async () => {
    const dir = tempDir();
    const exportFile = join(dir, 'fixture.state');
    const first = await start(['--port', '0', '--in-memory', '--no-market-maker', '--export-on-exit', exportFile]);
    const creds: Creds = { kind: 'hmac', apiKey: first.info.apiKey, secret: first.info.secret };
    const orderId = await restingOrder(first.info.baseUrl, creds);
    const account = (await signed(first.info.baseUrl, creds, 'GET', '/api/v3/account')).json;
    assert.equal((await raw(first.info.baseUrl, 'POST', '/sandbox/v1/shutdown')).status, 202);
    assert.equal(await exitCode(first.child), 0);
    const { state } = decodeState(readFileSync(exportFile), exportFile);
    assert.ok(state.engine.ledger.accounts.some((a) => a.name === 'default'));

    // Another data folder, so other keys: the default account's orders come with the import all the same.
    const second = await start([
      '--port',
      '0',
      '--data',
      join(dir, 'data'),
      '--no-market-maker',
      '--import',
      exportFile,
    ]);
    const theirs: Creds = { kind: 'hmac', apiKey: second.info.apiKey, secret: second.info.secret };
    const order = await signed(second.info.baseUrl, theirs, 'GET', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', orderId },
    });
    assert.equal(order.status, 200, order.text);
    assert.equal(order.json.status, 'NEW');
    const balances = (await signed(second.info.baseUrl, theirs, 'GET', '/api/v3/account')).json.balances;
    assert.deepEqual(balances, account.balances);
  });

  it('refuses an import file that is not a whole state file, exits 2, and leaves the data folder as it was', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const first = await start(['--port', '0', '--data', data, '--no-market-maker']);
    await restingOrder(first.info.baseUrl, { kind: 'hmac', apiKey: first.info.apiKey, secret: first.info.secret });
    await raw(first.info.baseUrl, 'POST', '/sandbox/v1/shutdown');
    await exitCode(first.child);
    const stateBefore = readdirSync(join(data, 'state')).map((name) => readFileSync(join(data, 'state', name)));

    const broken = join(dir, 'broken.state');
    writeFileSync(broken, '{"format":"testnet-desk-sandbox-state","version":1,"bytes":100,"sha256":"00"}\nshort');
    const result = await runToExit(['--port', '0', '--data', data, '--import', broken]);
    assert.equal(result.code, ExitCode.usage);
    assert.match(result.stderr, /broken\.state is truncated or damaged.*Nothing was changed/);
    const missing = await runToExit(['--port', '0', '--data', data, '--import', join(dir, 'nope.state')]);
    assert.equal(missing.code, ExitCode.usage);
    assert.match(missing.stderr, /Cannot read the import file .*nope\.state/);
    assert.deepEqual(
      readdirSync(join(data, 'state')).map((name) => readFileSync(join(data, 'state', name))),
      stateBefore,
    );
  });

  it('refuses a damaged journal with exit code 5 and a message saying what to do', async () => {
    const data = join(tempDir(), 'data');
    const first = await start(['--port', '0', '--data', data, '--no-market-maker']);
    const creds: Creds = { kind: 'hmac', apiKey: first.info.apiKey, secret: first.info.secret };
    await restingOrder(first.info.baseUrl, creds);
    await restingOrder(first.info.baseUrl, creds);
    first.child.kill('SIGKILL'); // the orders stay in the journal, no snapshot of them
    await exitCode(first.child);
    const journal = readdirSync(join(data, 'state')).find((name) => name.startsWith('journal-'))!;
    const bytes = readFileSync(join(data, 'state', journal));
    bytes[10] ^= 0xff;
    writeFileSync(join(data, 'state', journal), bytes);
    const result = await runToExit(['--port', '0', '--data', data]);
    assert.equal(result.code, ExitCode.dataDirUnusable);
    assert.match(result.stderr, /is damaged at byte 0 .*Nothing was changed\. Restore the data folder/);
    assert.deepEqual(readFileSync(join(data, 'state', journal)), bytes);
  });
});
