// Issue #4: a key for one environment is never sent to another. Two sandboxes are two environments
// (each port is its own). With sandbox A's key stored and active, the extension is switched to
// sandbox B (reached through a recording proxy) and every view and trading command is run.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { localSandbox, type Environment } from '../../src/core/environments';
import type { TestnetDeskTestHooks } from '../../src/vscode/testHooks';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { activateExtension } from './support/extension';
import { ScriptedPrompter } from './support/prompter';
import { startRecordingProxy, type RecordingProxy } from './support/recordingProxy';

describe('keys stay with their environment', () => {
  let api: TestnetDeskTestHooks;
  let a: SandboxHandle;
  let b: SandboxHandle;
  let proxyB: RecordingProxy;
  let envA: Environment;
  let envB: Environment;
  let prompter: ScriptedPrompter;

  const carriesKey = (r: { url: string; apiKeyHeader?: string }) =>
    r.apiKeyHeader !== undefined ||
    r.url.includes('signature=') ||
    r.url.includes(a.apiKey) ||
    r.url.includes(encodeURIComponent(a.apiKey));

  before(async () => {
    api = await activateExtension();
    [a, b] = await Promise.all([startSandbox({ marketMaker: false }), startSandbox({ marketMaker: false })]);
    proxyB = await startRecordingProxy(b.baseUrl);
    envA = localSandbox(a.baseUrl);
    envB = localSandbox(proxyB.baseUrl);
    assert.notStrictEqual(envA.id, envB.id);
    prompter = new ScriptedPrompter();
    api.setPrompter(prompter);
    const ref = await vscode.commands.executeCommand('testnetDesk.keys.add', {
      environmentId: envA.id,
      keyType: 'hmac',
      label: 'isolation A',
      apiKey: a.apiKey,
      secret: a.secret,
    });
    assert.ok(ref, `adding A's key failed: ${JSON.stringify(prompter.asked)}`);
    await api.environments.setActive(envA);
    await vscode.commands.executeCommand('testnetDesk.views.refresh');
    assert.ok(a.stats.requests > 0, 'A was never contacted, so the test would prove nothing');
  });

  after(async () => {
    api?.setPrompter(undefined);
    await api?.store.removeWhere((c) => c.environment.id === envA.id || c.environment.id === envB.id);
    await proxyB?.close();
    await Promise.all([a?.close(), b?.close()]);
  });

  it('stores no key for B', () => {
    assert.strictEqual(api.store.list(envB.id).length, 0);
    assert.strictEqual(api.store.activeFor(envB.id), undefined);
  });

  it('sends B no request at all when its views refresh', async () => {
    await api.environments.setActive(envB);
    assert.strictEqual(api.environments.active.id, envB.id);
    await vscode.commands.executeCommand('testnetDesk.views.refresh');
    await vscode.commands.executeCommand('testnetDesk.balances.refresh');
    await vscode.commands.executeCommand('testnetDesk.orders.refresh');
    await new Promise((resolve) => setTimeout(resolve, 500)); // let any stray background request land
    assert.deepStrictEqual(proxyB.records, [], 'requests that reached B');
    assert.strictEqual(b.stats.requests, 0, `B received requests: ${JSON.stringify(b.stats.byPath)}`);
  });

  it("never sends A's key to B, even when trading commands are run against B", async () => {
    // Each command must stop because B has no key and say so; a command that returned early for any
    // other reason (and so never came near sending anything) would make the checks below prove nothing.
    const refusal = async (command: string, args: object): Promise<unknown> => {
      const errorsBefore = prompter.messages('error').length;
      const result = await vscode.commands.executeCommand(command, args);
      const shown = prompter.messages('error').slice(errorsBefore);
      assert.ok(
        shown.some((m) => m.includes(`No API key for ${envB.label}`)),
        `${command} on B did not report the missing key; errors: ${JSON.stringify(shown)}`,
      );
      return result;
    };
    const placed = await refusal('testnetDesk.orders.place', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.001',
      price: '50000',
      timeInForce: 'GTC',
      dryRun: 'none',
    });
    const canceled = await refusal('testnetDesk.orders.cancel', { symbol: 'BTCUSDT', orderId: 1 });
    // Cancel-all checks for a key before it asks to confirm: the user is never asked to confirm an
    // action that cannot happen. (If it asked, the unscripted confirmation would be dismissed and the
    // command would end without reporting the missing key, failing `refusal`.)
    const canceledAll = await refusal('testnetDesk.orders.cancelAll', { symbol: 'BTCUSDT' });
    assert.deepStrictEqual(
      prompter.messages().filter((m) => /^Cancel all/.test(m)),
      [],
      'cancel-all asked to confirm although B has no key',
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // let any stray background request land
    assert.strictEqual(placed, undefined, 'an order was placed on B without a key for B');
    assert.strictEqual(canceled, undefined, 'a cancel ran on B without a key for B');
    assert.strictEqual(canceledAll, undefined, 'a cancel-all ran on B without a key for B');
    assert.deepStrictEqual(proxyB.records.filter(carriesKey), [], 'requests to B that carried a key or a signature');
    assert.strictEqual(b.stats.orderRequests, 0, 'order requests reached B');
  });

  it('still uses A with its own key after switching back, and B hears nothing more', async () => {
    const before = proxyB.records.length;
    a.stats.reset();
    await api.environments.setActive(envA);
    await vscode.commands.executeCommand('testnetDesk.views.refresh');
    assert.ok(a.stats.requests > 0, 'A was not contacted after switching back');
    assert.strictEqual(
      proxyB.records.length,
      before,
      `new requests reached B: ${JSON.stringify(proxyB.records.slice(before))}`,
    );
  });
});
