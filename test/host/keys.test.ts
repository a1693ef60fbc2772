// Issue #4: a key added through the commands is stored in SecretStorage and nowhere else.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { localSandbox, type Environment } from '../../src/core/environments';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import type { TestnetDeskTestHooks } from '../../src/vscode/testHooks';
import { activateExtension } from './support/extension';
import { ScriptedPrompter } from './support/prompter';

/** Every file under `dir` whose bytes contain `needle`; how many files were read; whether the walk hit `limit`. */
function filesContaining(
  dir: string,
  needle: string,
  limit = 20_000,
): { hits: string[]; read: number; truncated: boolean } {
  const hits: string[] = [];
  let seen = 0;
  let read = 0;
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (++seen > limit) return;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && fs.statSync(full).size < 50 * 1024 * 1024) {
        read++;
        if (fs.readFileSync(full).includes(needle)) hits.push(full);
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return { hits, read, truncated: seen > limit };
}

describe('adding a key through the commands', () => {
  let api: TestnetDeskTestHooks;
  let sandbox: SandboxHandle;
  let env: Environment;
  let prompter: ScriptedPrompter;

  before(async () => {
    api = await activateExtension();
    sandbox = await startSandbox({ marketMaker: false });
    env = localSandbox(sandbox.baseUrl);
  });

  after(async () => {
    api?.setPrompter(undefined);
    await api?.store.removeWhere((c) => c.environment.id === env.id);
    await sandbox?.close();
  });

  it('asks for type, label, key and secret, proves the key, and keeps it in SecretStorage', async () => {
    prompter = new ScriptedPrompter()
      .pick('key type', 'HMAC')
      .input('label (3/5)', 'host-test key')
      .input('(4/5)', sandbox.apiKey)
      .input('(5/5)', sandbox.secret);
    api.setPrompter(prompter);
    const ref = await vscode.commands.executeCommand<{ id: string; environmentId: string } | undefined>(
      'testnetDesk.keys.add',
      { environmentId: env.id },
    );
    assert.ok(ref, `the command saved nothing; prompts: ${JSON.stringify(prompter.asked)}`);
    assert.strictEqual(ref.environmentId, env.id);
    assert.deepStrictEqual(prompter.unusedRules(), []);
    assert.ok(sandbox.stats.requests > 0, 'the key was saved without being proven on its environment');

    // reload() reads SecretStorage only: the key survives it, secret included.
    await api.store.reload();
    const stored = api.store.list(env.id);
    assert.strictEqual(stored.length, 1);
    assert.strictEqual(stored[0].label, 'host-test key');
    assert.strictEqual(stored[0].toStored().secret, sandbox.secret);
  });

  it('keeps the secret and the full API key out of every setting', () => {
    const all = JSON.stringify(vscode.workspace.getConfiguration());
    const ours = JSON.stringify(vscode.workspace.getConfiguration('testnetDesk').inspect(''));
    for (const [name, value] of [
      ['secret', sandbox.secret],
      ['API key', sandbox.apiKey],
    ]) {
      assert.ok(!all.includes(value), `the ${name} appears in the configuration`);
      assert.ok(!(ours ?? '').includes(value), `the ${name} appears in testnetDesk settings`);
    }
  });

  it('keeps the secret out of the files VS Code writes (settings.json, global storage, logs)', () => {
    // The server lane sets this to the server's user-data folder and the workspace; on desktop VS Code
    // (test-electron) the user data lives elsewhere, so only the workspace folders are searched.
    const dirs = (process.env.TESTNET_DESK_HOST_SEARCH_DIRS ?? '').split(path.delimiter).filter(Boolean);
    for (const folder of vscode.workspace.workspaceFolders ?? []) dirs.push(folder.uri.fsPath);
    assert.ok(dirs.length > 0, 'nothing to search: set TESTNET_DESK_HOST_SEARCH_DIRS or open a workspace folder');
    const searched = dirs.map((d) => ({ dir: d, ...filesContaining(d, sandbox.secret) }));
    assert.deepStrictEqual(
      searched.filter((s) => s.truncated).map((s) => s.dir),
      [],
      'folders too large to search completely',
    );
    // An empty or missing folder would make "no hit" meaningless: VS Code writes at least its logs.
    assert.ok(searched.reduce((n, s) => n + s.read, 0) > 0, `no file to search in ${dirs.join(', ')}`);
    assert.deepStrictEqual(
      searched.flatMap((s) => s.hits),
      [],
      'files containing the secret',
    );
  });

  it('keeps the secret and the full API key out of global state', () => {
    const state = api.globalState;
    assert.ok(state, 'the test API exposes no globalState');
    assert.ok(state.keys().length > 0, 'global state is empty, so the search would prove nothing');
    const dump = JSON.stringify(Object.fromEntries(state.keys().map((k) => [k, state.get(k)])));
    assert.ok(!dump.includes(sandbox.secret), 'the secret appears in global state');
    assert.ok(!dump.includes(sandbox.apiKey), 'the full API key appears in global state');
  });
});
