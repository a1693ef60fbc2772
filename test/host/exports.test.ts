// Hardening: what any other extension gets from `getExtension('testnet-desk.testnet-desk').exports`.
// A second extension, the export probe (test/probe/extension.ts), is installed beside ours; it walks
// the whole object graph of our exports for the keys this file stores (HMAC secret, Ed25519 PEM, both
// full API keys) and tries to install its own prompter. The same probe pointed at the Test-mode hooks
// finds every one of them, which shows the walk can find what the export must not give.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { localSandbox, type Environment } from '../../src/core/environments';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import type { TestnetDeskTestHooks } from '../../src/vscode/testHooks';
import {
  PROBE_ID,
  PROBE_PROMPTER_CALLS_COMMAND,
  PROBE_WALK_COMMAND,
  type ProbeArgs,
  type ProbeReport,
  type ProbeRoot,
} from '../probe/protocol';
import { keyNeedles, type Needle, type WalkReport } from '../support/exportWalk';
import { activateExtension } from './support/extension';
import { ScriptedPrompter } from './support/prompter';

describe('what another extension gets from our exports', () => {
  let hooks: TestnetDeskTestHooks;
  let sandbox: SandboxHandle;
  let env: Environment;
  let previous: Environment;
  let prompter: ScriptedPrompter;
  let needles: Needle[];

  async function probe(root: ProbeRoot): Promise<WalkReport> {
    const args: ProbeArgs = { needles, roots: [root] };
    const report = await vscode.commands.executeCommand<ProbeReport>(PROBE_WALK_COMMAND, args);
    assert.ok(report, `${PROBE_WALK_COMMAND} returned nothing`);
    assert.deepStrictEqual(report.problems, []);
    assert.strictEqual(report.roots[0]?.present, true, `the probe found no ${root} to walk`);
    return report.roots[0].walk!;
  }

  const probePrompterCalls = async () =>
    (await vscode.commands.executeCommand<number>(PROBE_PROMPTER_CALLS_COMMAND)) ?? Number.NaN;

  /** Runs a command that asks a question through whatever prompter is installed. */
  const askSomething = () => vscode.commands.executeCommand('testnetDesk.environment.switch');

  before(async () => {
    assert.ok(
      vscode.extensions.getExtension(PROBE_ID),
      `the probe ${PROBE_ID} is not installed: scripts/run-host-tests.ts installs it beside our extension`,
    );
    hooks = await activateExtension();
    sandbox = await startSandbox({ marketMaker: false });
    env = localSandbox(sandbox.baseUrl);
    previous = hooks.environments.active;
    // Any request a walk provokes goes to this sandbox on 127.0.0.1.
    await hooks.environments.setActive(env);
    prompter = new ScriptedPrompter();
    hooks.setPrompter(prompter);
    const keys = [
      { label: 'HMAC', keyType: 'hmac', apiKey: sandbox.apiKey, secret: sandbox.secret },
      { label: 'Ed25519', keyType: 'ed25519', ...sandbox.ed25519 },
    ];
    for (const key of keys) {
      const ref = await vscode.commands.executeCommand('testnetDesk.keys.add', { environmentId: env.id, ...key });
      assert.ok(ref, `adding the ${key.label} key failed: ${JSON.stringify(prompter.asked)}`);
    }
    assert.strictEqual(hooks.store.list(env.id).length, 2);
    needles = keys.flatMap((key) => keyNeedles(key.label, key));
  });

  after(async () => {
    hooks?.setPrompter(undefined);
    await hooks?.store.removeWhere((c) => c.environment.id === env.id);
    if (previous) await hooks?.environments.setActive(previous);
    await sandbox?.close();
  });

  it('are a frozen { ready } in which it finds no secret, no full API key, nothing that signs or prompts', async () => {
    const walk = await probe('exports');
    assert.deepStrictEqual(walk.hits, [], 'key material reachable from the exports');
    assert.deepStrictEqual(walk.capabilities, [], 'secret-, signing- or prompt-looking members in the exports');
    assert.deepStrictEqual(walk.rootKeys, ['ready']);
    assert.strictEqual(walk.rootFrozen, true);
    assert.strictEqual(walk.truncated, false);
  });

  it('cannot install a prompter that answers our questions', async () => {
    const walk = await probe('exports');
    assert.deepStrictEqual(walk.prompterInstalls, [], 'the probe installed its prompter');
    const asked = prompter.asked.length;
    await askSomething();
    assert.ok(prompter.asked.length > asked, 'the question did not reach the test prompter');
    assert.strictEqual(await probePrompterCalls(), 0, "our extension asked the probe's prompter");
  });

  // Only in ExtensionMode.Test; the e2e lane checks that a Production install has no such channel.
  it('control: the same probe walking the Test-mode hooks finds every key and installs its prompter', async () => {
    const walk = await probe('testChannel');
    const found = new Set(walk.hits.map((h) => h.needle));
    assert.deepStrictEqual(
      needles.map((n) => n.label).filter((label) => !found.has(label)),
      [],
      `the walk missed these, so an empty result on the exports would prove nothing:\n${JSON.stringify(walk.hits, null, 1)}`,
    );
    assert.ok(walk.prompterInstalls.includes('testHooks.setPrompter'), JSON.stringify(walk.prompterInstalls));
    const before = await probePrompterCalls();
    await askSomething();
    assert.ok((await probePrompterCalls()) > before, 'an installed probe prompter went unnoticed');
    hooks.setPrompter(prompter);
  });
});
