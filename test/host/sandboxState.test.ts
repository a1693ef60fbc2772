// The local sandbox's durable state through the extension's commands in the real extension host:
// an open order outlives Stop and Start (the data folder keeps it), and Export, Reset and Import
// give back the same orders, asking before anything is replaced.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SandboxInfo } from '../../src/vscode/sandbox/sandboxController';
import type { TestnetDeskTestHooks } from '../../src/vscode/testHooks';
import { activateExtension } from './support/extension';
import { freePort } from './support/ports';
import { ScriptedPrompter } from './support/prompter';

const settings = () => vscode.workspace.getConfiguration('testnetDesk');

describe('local sandbox state (kept across Stop and Start; Export, Reset, Import)', function () {
  this.timeout(90_000);
  let api: TestnetDeskTestHooks;
  let prompter: ScriptedPrompter;

  const start = async (): Promise<SandboxInfo> => {
    const info = (await vscode.commands.executeCommand('testnetDesk.sandbox.start')) as SandboxInfo | undefined;
    assert.ok(info, `Start did not start: ${JSON.stringify(prompter.asked)}`);
    return info;
  };
  const openOrderIds = async (): Promise<number[]> =>
    (await api.session.client.openOrders()).map((o) => o.orderId).sort((a, b) => a - b);

  before(async () => {
    api = await activateExtension();
    await settings().update('sandbox.port', await freePort(), vscode.ConfigurationTarget.Global);
  });

  beforeEach(() => {
    prompter = new ScriptedPrompter();
    api.setPrompter(prompter);
  });

  after(async () => {
    api?.setPrompter(undefined);
    await api?.sandbox.service.stop().catch(() => undefined);
    await settings().update('sandbox.port', undefined, vscode.ConfigurationTarget.Global);
  });

  it('keeps an open order across Stop and Start, with the same key', async () => {
    const first = await start();
    const placed = await api.session.client.placeOrder({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.001',
      price: '41000',
    });
    assert.strictEqual(placed.outcome, 'accepted');
    const before = await openOrderIds();
    prompter.message(/^Stop the local sandbox\?/, 'Stop Sandbox');
    assert.strictEqual(await vscode.commands.executeCommand('testnetDesk.sandbox.stop'), true);
    const second = await start();
    assert.notStrictEqual(second.pid, first.pid, 'a new process');
    assert.strictEqual(second.port, first.port);
    assert.deepStrictEqual(await openOrderIds(), before);
  });

  it('exports the state, resets after asking, and imports the export back', async () => {
    await start();
    const before = await openOrderIds();
    assert.ok(before.length > 0, 'the previous test left an open order');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-export-')), 'fixture.state');
    await vscode.commands.executeCommand('testnetDesk.sandbox.exportState', { file });
    assert.ok(fs.statSync(file).size > 0);
    const key = api.store.activeFor(api.environments.active.id)!;
    assert.ok(!fs.readFileSync(file).includes(Buffer.from(key.apiKey)), "the folder's own key is not in an export");

    // Declined: nothing changes.
    await vscode.commands.executeCommand('testnetDesk.sandbox.reset');
    assert.match(prompter.messages('warning')[0], /^Reset the local sandbox to a fresh exchange\?/);
    assert.deepStrictEqual(await openOrderIds(), before);

    prompter.message(/^Reset the local sandbox/, 'Reset');
    await vscode.commands.executeCommand('testnetDesk.sandbox.reset');
    assert.deepStrictEqual(await openOrderIds(), []);

    prompter.message(/^Replace the local sandbox's accounts and orders/, 'Import');
    await vscode.commands.executeCommand('testnetDesk.sandbox.importState', { file });
    assert.deepStrictEqual(await openOrderIds(), before);
    assert.ok(
      prompter.messages('info').some((m) => m.startsWith('Imported ')),
      JSON.stringify(prompter.asked),
    );
  });
});
