// The sandbox commands as a window runs them, against real detached sandbox processes: the key
// stored once and kept across stop and restart, Stop asking when orders are open and leaving the
// environment as it is, a taken port answered with another one, a crash reported with Restart,
// Attach by URL, and which old keys are pruned.
import '../../support/vscodeStub';
import * as assert from 'node:assert/strict';
import { createClientFactory } from '../../../src/app/clientFactory';
import { readSandboxKeys } from '../../../src/app/sandbox/dataFolder';
import { freePort } from '../../../src/app/sandbox/freePort';
import { isProcessAlive } from '../../../src/app/sandbox/processes';
import type { SandboxService } from '../../../src/app/sandbox/sandboxService';
import { localSandbox, SPOT_TESTNET } from '../../../src/core/environments';
import { EnvironmentService } from '../../../src/vscode/environment/environmentService';
import { SecretCredentialStore } from '../../../src/vscode/keys/secretCredentialStore';
import { SANDBOX_KEY_LABEL, SandboxController } from '../../../src/vscode/sandbox/sandboxController';
import { killSandboxes, newPlaces, newService, until } from '../../app/sandbox/sandboxFixture';
import { buildBundle } from '../../sandbox/cliProcess';
import { MemoryLog, MemoryMemento, MemorySecrets } from '../../support/memory';
import { RecordingPrompter, type Answer } from '../../support/recordingPrompter';

interface Harness {
  controller: SandboxController;
  service: SandboxService;
  store: SecretCredentialStore;
  environments: EnvironmentService;
  prompter: RecordingPrompter;
  refreshed: number[];
  savedPorts: number[];
  log: MemoryLog;
  clients: ReturnType<typeof createClientFactory>;
}

function harness(options: {
  port: number;
  answer?: Answer;
  places?: ReturnType<typeof newPlaces>;
  store?: SecretCredentialStore;
}): Harness {
  const log = new MemoryLog();
  const store = options.store ?? new SecretCredentialStore(new MemorySecrets(), new MemoryMemento(), log);
  const environments = new EnvironmentService(new MemoryMemento(), store, () => ({
    liveEnabled: false,
    liveAllowTrading: false,
  }));
  const prompter = new RecordingPrompter(options.answer);
  const service = newService(options.places ?? newPlaces(), { pollMs: 150 });
  const clients = createClientFactory(log, () => ({ recvWindow: 5000 }));
  const refreshed: number[] = [];
  const savedPorts: number[] = [];
  let port = options.port;
  const controller = new SandboxController({
    service,
    store,
    environments,
    clients,
    prompter: prompter.holder(),
    log,
    port: () => port,
    savePort: async (p) => {
      savedPorts.push(p);
      port = p;
    },
    freePort,
    addKey: async (args) => {
      const environment = localSandbox(args.environmentId!.slice('local@'.length));
      const saved = await store.add(
        {
          environment,
          keyType: 'ed25519',
          label: args.label!,
          apiKey: args.apiKey!,
          privateKeyPem: args.privateKeyPem!,
        },
        { makeActive: true },
      );
      return { id: saved.id, label: saved.label, environmentId: environment.id };
    },
    reloadAccount: async () => void refreshed.push(Date.now()),
    openFile: async () => undefined,
    withProgress: (_title, task) => task(),
  });
  return { controller, service, store, environments, prompter, refreshed, savedPorts, log, clients };
}

describe('sandbox controller (Start, Stop, Restart, Attach) with real sandbox processes', function () {
  this.timeout(40_000);
  before(buildBundle);
  afterEach(killSandboxes);

  it('stores the data folder key once, switches to it, and keeps the key across stop and restart', async () => {
    const h = harness({ port: await freePort() });
    const info = await h.controller.start();
    assert.ok(info);
    const environment = localSandbox(info.baseUrl);
    assert.equal(h.environments.active.id, environment.id);
    const keys = readSandboxKeys(h.service.places.dataDir);
    assert.deepEqual(
      h.store.list(environment.id).map((c) => [c.label, c.apiKey]),
      [[SANDBOX_KEY_LABEL, keys.ed25519.apiKey]],
    );
    assert.equal(await h.controller.stop(), true);
    assert.equal(isProcessAlive(info.pid), false);
    assert.equal(h.environments.active.id, environment.id, 'Stop does not switch to Spot Testnet');
    assert.equal(h.store.list(environment.id).length, 1, 'the key stays: it is valid for the next start');
    await until('the views to reload after the stop', () => h.refreshed.length > 0);
    const again = await h.controller.start();
    assert.equal(again?.port, info.port);
    assert.notEqual(again?.pid, info.pid);
    assert.equal(h.store.list(environment.id).length, 1);
    // The stored key signs against the new process.
    const credential = h.store.activeFor(environment.id)!;
    await h.clients(environment, () => credential).account();
  });

  it('asks before stopping a sandbox with open orders, and Cancel keeps it running', async () => {
    const answers: { stop?: string } = {};
    const h = harness({ port: 0, answer: (shown) => (shown.kind === 'warning' ? answers.stop : undefined) });
    const info = (await h.controller.start())!;
    const environment = localSandbox(info.baseUrl);
    const credential = h.store.activeFor(environment.id)!;
    await h
      .clients(environment, () => credential)
      .placeOrder({
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        price: '50000',
      });
    assert.equal(await h.controller.stop(), false);
    const [question] = h.prompter.of('warning');
    assert.equal(question.text, 'Stop the local sandbox? It has 1 open order (BTCUSDT).');
    assert.equal(question.messageOptions?.modal, true);
    assert.deepEqual(question.buttons, ['Stop Sandbox']);
    assert.ok(isProcessAlive(info.pid), 'dismissed: still running');
    answers.stop = 'Stop Sandbox';
    assert.equal(await h.controller.stop(), true);
    assert.equal(isProcessAlive(info.pid), false);
  });

  it('offers a free port when the configured one is taken, saves it and starts there', async () => {
    const taken = (await harness({ port: 0 }).controller.start())!;
    const h = harness({
      port: taken.port,
      answer: (shown) => (shown.kind === 'error' ? shown.buttons?.find((b) => /^Use Port \d+$/.test(b)) : undefined),
    });
    const info = await h.controller.start();
    const [message] = h.prompter.of('error');
    assert.match(
      message.text,
      new RegExp(`^Port ${taken.port} is taken by another Testnet Desk sandbox \\(pid ${taken.pid}`),
    );
    assert.equal(message.buttons?.[0], 'Attach to It');
    assert.match(message.buttons?.[1] ?? '', /^Use Port \d+$/);
    assert.equal(h.savedPorts.length, 1);
    assert.equal(info?.port, h.savedPorts[0]);
    assert.ok(isProcessAlive(taken.pid), 'the other sandbox is left alone');
  });

  it('reports a crash with its last log lines and restarts on the same port with the same key', async () => {
    const h = harness({ port: await freePort(), answer: (shown) => (shown.kind === 'error' ? 'Restart' : undefined) });
    const info = (await h.controller.start())!;
    h.service.watch();
    const apiKey = h.store.activeFor(info.environmentId)!.apiKey;
    process.kill(info.pid, 'SIGKILL');
    const restarted = await until('the restart', () => {
      const running = h.controller.running;
      return running && running.pid !== info.pid ? running : undefined;
    });
    const [report] = h.prompter.of('error');
    assert.match(
      report.text,
      new RegExp(`^The local sandbox \\(port ${info.port}\\) stopped unexpectedly\\. Last log lines: .*listening on`),
    );
    assert.deepEqual(report.buttons, ['Restart', 'Open Sandbox Log']);
    assert.ok(!report.text.includes(apiKey));
    assert.equal(restarted.port, info.port);
    assert.equal(h.store.activeFor(info.environmentId)!.apiKey, apiKey);
  });

  it('attaches to a sandbox started elsewhere by URL, with the key from its data folder', async () => {
    const otherPlaces = newPlaces();
    const elsewhere = await newService(otherPlaces).start(0);
    const h = harness({
      port: 0,
      answer: (shown) => (shown.kind === 'pick' ? /Use the keys in its data folder/ : undefined),
    });
    const info = await h.controller.attach({ url: `http://localhost:${elsewhere.port}` });
    const environment = localSandbox(`http://127.0.0.1:${elsewhere.port}`);
    assert.equal(info?.pid, elsewhere.pid);
    assert.equal(h.environments.active.id, environment.id);
    assert.equal(h.store.activeFor(environment.id)?.apiKey, readSandboxKeys(otherPlaces.dataDir).ed25519.apiKey);
    await assert.rejects(h.controller.attach({ url: 'http://192.168.1.5:27182' }), /not a local sandbox address/);
  });

  it('prunes only generated keys of sandboxes that no longer run, never the configured port', async () => {
    const h = harness({ port: 40123 });
    const pem = (await import('node:crypto'))
      .generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const add = (port: number, label: string, apiKey: string) =>
      h.store.add({
        environment: localSandbox(`http://127.0.0.1:${port}`),
        keyType: 'ed25519',
        label,
        apiKey,
        privateKeyPem: pem,
      });
    const deadPort = await freePort();
    await add(deadPort, SANDBOX_KEY_LABEL, 'OLD1');
    await add(deadPort, 'My own key', 'MINE1');
    await add(40123, SANDBOX_KEY_LABEL, 'CONFIGURED1');
    await h.store.add({
      environment: SPOT_TESTNET,
      keyType: 'ed25519',
      label: SANDBOX_KEY_LABEL,
      apiKey: 'T1',
      privateKeyPem: pem,
    });
    await h.controller.pruneStaleKeys();
    assert.deepEqual(
      h.store
        .list()
        .map((c) => c.apiKey)
        .sort(),
      ['CONFIGURED1', 'MINE1', 'T1'],
    );
  });
});
