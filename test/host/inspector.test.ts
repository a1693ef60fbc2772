// The Requests view in the real extension host: shown, it follows the local sandbox's request feed,
// and a bot's failed request appears with the sandbox's diagnosis; no record holds a full key.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { SandboxInfo } from '../../src/vscode/sandbox/sandboxController';
import type { TestnetDeskTestHooks } from '../../src/vscode/testHooks';
import { activateExtension } from './support/extension';
import { freePort } from './support/ports';
import { ScriptedPrompter } from './support/prompter';
import { signedRequest } from './support/signedRest';
import { eventually } from './support/wait';

const settings = () => vscode.workspace.getConfiguration('testnetDesk');

describe('Requests view (request inspector)', function () {
  this.timeout(90_000);
  let api: TestnetDeskTestHooks;

  before(async () => {
    api = await activateExtension();
    api.setPrompter(new ScriptedPrompter());
    await settings().update('sandbox.port', await freePort(), vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    // Hidden again, so the view follows no sandbox in the suites after this one (they count requests).
    await vscode.commands.executeCommand('workbench.view.explorer');
    api?.setPrompter(undefined);
    await api?.sandbox.service.stop().catch(() => undefined);
    await settings().update('sandbox.port', undefined, vscode.ConfigurationTarget.Global);
  });

  it("lists a bot's failed request with the sandbox's diagnosis, live, once the view is shown", async () => {
    const info = (await vscode.commands.executeCommand('testnetDesk.sandbox.start')) as SandboxInfo | undefined;
    assert.ok(info, 'the sandbox started');
    await vscode.commands.executeCommand('testnetDesk.requests.focus');
    const key = api.store.activeFor(info.environmentId)!;
    // A bot signing an Ed25519 key's requests with HMAC.
    await assert.rejects(
      signedRequest(info.baseUrl, { apiKey: key.apiKey, secret: 'not the key' }, 'GET', '/api/v3/account'),
      /-1022/,
    );
    const failed = await eventually('the failed request in the Requests view', async () =>
      api.requests.visible().find((r) => r.code === -1022),
    );
    assert.strictEqual(failed.path, '/api/v3/account');
    assert.match(failed.diagnosis!.cause, /HMAC-SHA256 \(hex\) signature was sent with an Ed25519 key/);
    // The extension's own requests are a client like any other there.
    await api.session.client.account();
    await eventually("the extension's own account request", async () =>
      api.requests.visible().some((r) => r.status === 200 && r.path === '/api/v3/account'),
    );
    const text = JSON.stringify(api.requests.visible());
    assert.ok(!text.includes(key.apiKey), 'no full API key in the view');
  });
});
