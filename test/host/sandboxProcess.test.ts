// The local sandbox as a process of its own, driven through the extension's commands in the real
// extension host: Start runs dist/sandbox.js from the installed extension as a detached child (not
// on this thread), a second window attaches to it, Stop asks when orders are open and leaves the
// stopped welcome (not Spot Testnet), a crash is reported with its log and Restart brings it back on
// the same port with the same key and the same open orders, a sandbox started from the command line
// is attached by URL, and a taken port is reported with another one offered.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { isProcessAlive } from '../../src/app/sandbox/processes';
import { SandboxService } from '../../src/app/sandbox/sandboxService';
import { localSandbox } from '../../src/core/environments';
import type { SandboxInfo } from '../../src/vscode/sandbox/sandboxController';
import type { TestnetDeskTestHooks } from '../../src/vscode/testHooks';
import { activateExtension, EXTENSION_ID } from './support/extension';
import { freePort } from './support/ports';
import { ScriptedPrompter } from './support/prompter';
import { eventually } from './support/wait';

const settings = () => vscode.workspace.getConfiguration('testnetDesk');

describe('local sandbox as its own process (Start, Stop, crash, Restart, Attach)', function () {
  this.timeout(90_000);
  let api: TestnetDeskTestHooks;
  let prompter: ScriptedPrompter;
  const cleanups: (() => unknown)[] = [];
  /** The open orders the Stop test leaves: the data folder keeps them through a stop and a crash. */
  let openOrderIds: number[] = [];

  const start = async (): Promise<SandboxInfo> => {
    const info = (await vscode.commands.executeCommand('testnetDesk.sandbox.start')) as SandboxInfo | undefined;
    assert.ok(info, `Start did not start: ${JSON.stringify(prompter.asked)}`);
    return info;
  };

  before(async () => {
    api = await activateExtension();
    await vscode.commands.executeCommand('testnetDesk.balances.focus');
  });

  beforeEach(() => {
    prompter = new ScriptedPrompter();
    api.setPrompter(prompter);
  });

  after(async () => {
    api?.setPrompter(undefined);
    await api?.sandbox.service.stop().catch(() => undefined);
    for (const cleanup of cleanups.reverse()) await cleanup();
    await settings().update('sandbox.port', undefined, vscode.ConfigurationTarget.Global);
  });

  it('starts dist/sandbox.js of the installed extension as a detached child process and shows its balances', async () => {
    await settings().update('sandbox.port', await freePort(), vscode.ConfigurationTarget.Global);
    const info = await start();
    assert.notStrictEqual(info.pid, process.pid, 'the sandbox must not run on the extension host');
    assert.ok(isProcessAlive(info.pid));
    const places = api.sandbox.service.places;
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.strictEqual(places.program, path.join(extension.extensionPath, 'dist', 'sandbox.js'));
    assert.ok(fs.existsSync(places.program), 'dist/sandbox.js ships in the .vsix');
    const discovery = JSON.parse(fs.readFileSync(places.discoveryFile, 'utf8'));
    assert.strictEqual(discovery.pid, info.pid);
    assert.strictEqual(api.environments.active.id, info.environmentId);
    await api.coordinator.refreshAll();
    await eventually('the sandbox balances', async () =>
      api.balancesProvider.nodes.some((n) => n.row.asset === 'BTC') ? true : undefined,
    );
    // Nothing of the key in the files the extension shares with other tools.
    const key = api.store.activeFor(info.environmentId)!;
    const log = fs.readFileSync(path.join(places.dataDir, 'sandbox.log'), 'utf8');
    for (const text of [JSON.stringify(discovery), log]) assert.ok(!text.includes(key.apiKey));
  });

  it('a second window finds the running sandbox and attaches to it; Start again starts nothing new', async () => {
    const running = api.sandbox.running!;
    const secondWindow = new SandboxService({ places: api.sandbox.service.places });
    try {
      assert.strictEqual((await secondWindow.reconnect())?.pid, running.pid);
    } finally {
      secondWindow.dispose();
    }
    assert.strictEqual((await start()).pid, running.pid);
  });

  it('Stop with open orders asks first; afterwards the views say the sandbox stopped and the environment stays', async () => {
    const running = api.sandbox.running!;
    const environment = localSandbox(running.baseUrl);
    const placed = await api.session.client.placeOrder({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.001',
      price: '50000',
    });
    assert.strictEqual(placed.outcome, 'accepted');
    openOrderIds = (await api.session.client.openOrders()).map((o) => o.orderId);
    // First answer: dismiss. The sandbox keeps running.
    assert.strictEqual(await vscode.commands.executeCommand('testnetDesk.sandbox.stop'), false);
    assert.deepStrictEqual(prompter.messages('warning'), ['Stop the local sandbox? It has 1 open order (BTCUSDT).']);
    assert.ok(isProcessAlive(running.pid));
    prompter.message(/^Stop the local sandbox\?/, 'Stop Sandbox');
    assert.strictEqual(await vscode.commands.executeCommand('testnetDesk.sandbox.stop'), true);
    assert.strictEqual(isProcessAlive(running.pid), false);
    assert.strictEqual(api.environments.active.id, environment.id, 'no silent switch to Spot Testnet');
    await eventually('the stopped welcome', async () =>
      api.balancesProvider.status.state === 'sandboxStopped' ? true : undefined,
    );
    assert.ok(api.store.activeFor(environment.id), 'the key is kept: it is valid for the next start');
  });

  it('reports a crash with its last log lines; Restart brings it back on the same port with the same key', async () => {
    const info = await start();
    const apiKey = api.store.activeFor(info.environmentId)!.apiKey;
    prompter.message(/stopped unexpectedly/, 'Restart');
    process.kill(info.pid, 'SIGKILL');
    const restarted = await eventually('the restarted sandbox', async () => {
      const running = api.sandbox.running;
      return running && running.pid !== info.pid ? running : undefined;
    });
    const [report] = prompter.messages('error');
    assert.match(
      report,
      new RegExp(`^The local sandbox \\(port ${info.port}\\) stopped unexpectedly\\. Last log lines: `),
    );
    assert.ok(!report.includes(apiKey), 'no key in the report');
    assert.strictEqual(restarted.port, info.port);
    assert.strictEqual(api.store.activeFor(info.environmentId)!.apiKey, apiKey);
    await api.coordinator.refreshAll();
    await eventually('the balances again', async () =>
      api.balancesProvider.status.state === 'ready' ? true : undefined,
    );
    assert.ok(openOrderIds.length > 0);
    assert.deepStrictEqual(
      (await api.session.client.openOrders()).map((o) => o.orderId),
      openOrderIds,
      'the open order survived a stop and a kill -9',
    );
    prompter.message(/^Stop the local sandbox\?/, 'Stop Sandbox');
    assert.strictEqual(await vscode.commands.executeCommand('testnetDesk.sandbox.stop'), true);
  });

  it('attaches to a sandbox started from the command line, by URL, with the key from its data folder', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-sandbox-'));
    const child = spawn(
      process.execPath,
      [path.join(extension.extensionPath, 'dist', 'sandbox.js'), '--port', '0', '--data', data, '--no-keys-on-stdout'],
      { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    cleanups.push(() => child.kill('SIGKILL'));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.once('exit', (code) => reject(new Error(`the CLI sandbox exited with ${code}`)));
    });
    const { baseUrl } = JSON.parse(line) as { baseUrl: string };
    const environment = localSandbox(baseUrl);
    cleanups.push(() => api.store.removeWhere((c) => c.environment.id === environment.id));
    prompter.pick(/which key\?/, /Use the keys in its data folder/);
    const info = (await vscode.commands.executeCommand('testnetDesk.sandbox.attach', { url: baseUrl })) as
      SandboxInfo | undefined;
    assert.ok(info, `Attach failed: ${JSON.stringify(prompter.asked)}`);
    assert.strictEqual(info.pid, child.pid);
    assert.strictEqual(api.environments.active.id, environment.id);
    const keys = JSON.parse(fs.readFileSync(path.join(data, 'keys.json'), 'utf8'));
    assert.strictEqual(api.store.activeFor(environment.id)?.apiKey, keys.ed25519.apiKey);
    await api.coordinator.refreshAll();
    await eventually('its balances', async () => (api.balancesProvider.status.state === 'ready' ? true : undefined));
    // A non-loopback URL is refused by the environment registry.
    assert.strictEqual(
      await vscode.commands.executeCommand('testnetDesk.sandbox.attach', { url: 'http://10.0.0.1:27182' }),
      undefined,
    );
    assert.ok(prompter.messages('error').some((m) => /not a local sandbox address/.test(m)));
    assert.strictEqual(await vscode.commands.executeCommand('testnetDesk.sandbox.stop'), true);
    await eventually('the CLI sandbox to exit', async () => (child.exitCode !== null ? true : undefined), 10_000);
  });

  it('says the port is taken, offers another one, and changes nothing when declined', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
    );
    cleanups.push(() => blocker.close());
    await settings().update('sandbox.port', port, vscode.ConfigurationTarget.Global);
    const keysBefore = api.store.list().map((c) => c.id);
    assert.strictEqual(await vscode.commands.executeCommand('testnetDesk.sandbox.start'), undefined);
    const [message] = prompter.messages('error');
    assert.match(
      message,
      new RegExp(
        `^Port ${port} on 127\\.0\\.0\\.1 is in use by another program\\. Start the sandbox on port \\d+ instead`,
      ),
    );
    assert.strictEqual(api.sandbox.running, undefined);
    assert.deepStrictEqual(
      api.store.list().map((c) => c.id),
      keysBefore,
    );
  });
});
