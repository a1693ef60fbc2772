// The views' own states in the real extension host, against the local sandbox's faults: a forced
// 429 pauses both views with a countdown that moves and ends with the views loading again by
// themselves; a server error leaves no view message (so VS Code shows the error welcome with Retry
// and Show Log) and Retry's command brings the rows back.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { localSandbox, type Environment } from '../../src/core/environments';
import type { TestnetDeskTestHooks } from '../../src/vscode/testHooks';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { activateExtension } from './support/extension';
import { ScriptedPrompter } from './support/prompter';
import { eventually } from './support/wait';

describe('view states against the sandbox faults', () => {
  let api: TestnetDeskTestHooks;
  let sandbox: SandboxHandle;
  let env: Environment;

  const accountRequests = () => sandbox.stats.byPath['GET /api/v3/account'] ?? 0;

  before(async () => {
    api = await activateExtension();
    sandbox = await startSandbox({ marketMaker: false });
    env = localSandbox(sandbox.baseUrl);
    const prompter = new ScriptedPrompter();
    api.setPrompter(prompter);
    const ref = await vscode.commands.executeCommand('testnetDesk.keys.add', {
      environmentId: env.id,
      keyType: 'hmac',
      label: 'view states test',
      apiKey: sandbox.apiKey,
      secret: sandbox.secret,
    });
    assert.ok(ref, `adding the sandbox key failed: ${JSON.stringify(prompter.asked)}`);
    await api.environments.setActive(env);
    // The views are on screen, as when a person watches them (hidden views only reload when shown).
    await vscode.commands.executeCommand('testnetDesk.balances.focus');
    await api.coordinator.refreshAll();
    await eventually('both views ready', async () =>
      api.balancesProvider.status.state === 'ready' && api.ordersProvider.status.state === 'ready' ? true : undefined,
    );
  });

  afterEach(() => sandbox?.faults.clear());

  after(async () => {
    api?.setPrompter(undefined);
    await api?.store.removeWhere((c) => c.environment.id === env.id);
    await sandbox?.close();
  });

  it('a 429 with Retry-After pauses both views with a live countdown, sends nothing meanwhile, then reloads them', async function () {
    this.timeout(30_000);
    // Every request answers 429 until the fault is cleared, so whichever request goes first trips it.
    sandbox.faults.forceRateLimit(429, 3, 100);
    await api.coordinator.refreshAll();
    sandbox.faults.clear();
    sandbox.stats.reset();
    const status = api.balancesProvider.status;
    assert.strictEqual(status.state, 'rateLimited', `balances: ${status.state} ${status.message}`);
    assert.strictEqual(api.ordersProvider.status.state, 'rateLimited');
    const first = status.message ?? '';
    assert.match(
      first,
      /^Local sandbox \(\d+\) limits the request rate, so requests are paused\. Resuming in [23] s\.$/,
    );
    const next = await eventually(
      'the countdown to move',
      async () => (status.state === 'rateLimited' && status.message !== first ? status.message : undefined),
      5000,
    );
    assert.match(next ?? '', /Resuming in [12] s\.$/);
    assert.strictEqual(accountRequests(), 0, 'a request was sent before Retry-After had elapsed');
    await eventually(
      'both views loaded again without a Refresh',
      async () =>
        api.balancesProvider.status.state === 'ready' && api.ordersProvider.status.state === 'ready' ? true : undefined,
      8000,
    );
    assert.ok(accountRequests() >= 1, `the balances were not requested again: ${JSON.stringify(sandbox.stats.byPath)}`);
    assert.strictEqual(status.message, undefined);
    assert.ok(api.balancesProvider.nodes.length > 0, 'the balance rows are back');
  });

  it('a server error sets no view message (the error welcome shows) until Retry reloads', async () => {
    sandbox.faults.failNext(50, 500);
    await api.coordinator.refreshAll();
    sandbox.faults.clear();
    for (const status of [api.balancesProvider.status, api.ordersProvider.status]) {
      assert.strictEqual(status.state, 'error');
      assert.strictEqual(status.errorKind, 'server');
      assert.strictEqual(status.message, undefined, 'a view message hides the welcome with Retry and Show Log');
    }
    // The welcome's Retry button runs this command.
    await vscode.commands.executeCommand('testnetDesk.views.refresh');
    assert.strictEqual(api.balancesProvider.status.state, 'ready');
    assert.strictEqual(api.ordersProvider.status.state, 'ready');
  });
});
