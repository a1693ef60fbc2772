import '../../support/vscodeStub';
import { MemoryLog, MemoryMemento, MemorySecrets } from '../../support/memory';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type * as vscode from 'vscode';
import { DEMO, Environment, LIVE, localSandbox, SPOT_TESTNET } from '../../../src/core/environments';
import { apiErrorFromResponse } from '../../../src/core/errors';
import { TransportError } from '../../../src/core/transport';
import { ErrorPresenter } from '../../../src/vscode/shared/errorPresenter';
import type { ClientFactory } from '../../../src/app/exchange';
import { KeyCommands } from '../../../src/vscode/keys/keyCommands';
import { Prompter, PrompterHolder } from '../../../src/vscode/shared/prompter';
import { SecretCredentialStore } from '../../../src/vscode/keys/secretCredentialStore';
import { TEST_API_KEY, TEST_SECRET } from '../../support/credentials';
import { Answer, itemTexts, RecordingPrompter } from '../../support/recordingPrompter';

function harness() {
  const secrets = new MemorySecrets();
  const log = new MemoryLog();
  const store = new SecretCredentialStore(secrets, new MemoryMemento(), log);
  const switchedTo: string[] = [];
  const environments = {
    active: SPOT_TESTNET,
    available: () => [SPOT_TESTNET],
    canTrade: () => false,
    setActive: async (e: { id: string }) => {
      switchedTo.push(e.id);
    },
  };
  let accountCalls = 0;
  const clients: ClientFactory = () =>
    ({
      account: async () => {
        accountCalls++;
        return { balances: [] };
      },
    }) as never;
  const prompts: string[] = [];
  const prompter = {
    showQuickPick: async (_items: unknown, o: vscode.QuickPickOptions) => {
      prompts.push(o.title ?? '');
      return undefined;
    },
    showInputBox: async (o: vscode.InputBoxOptions) => {
      prompts.push(o.title ?? '');
      return undefined;
    },
    showWarningMessage: async (m: string) => {
      prompts.push(m);
      return undefined;
    },
    showInformationMessage: async () => undefined,
    showErrorMessage: async () => undefined,
    writeClipboard: async () => undefined,
    openExternal: async () => true,
  } as unknown as Prompter;
  const holder = new PrompterHolder();
  holder.set(prompter);
  const keys = new KeyCommands({
    store,
    environments,
    clients,
    prompter: holder,
    presenter: { show: async () => undefined },
    log,
  });
  return { keys, store, secrets, prompts, switchedTo, calls: () => accountCalls };
}

describe('KeyCommands.addKey with programmatic args', () => {
  it('saves a well-formed key after one account call', async () => {
    const h = harness();
    const ref = await h.keys.addKey({
      environmentId: 'testnet',
      keyType: 'hmac',
      apiKey: TEST_API_KEY,
      secret: TEST_SECRET,
    });
    assert.equal(ref?.environmentId, 'testnet');
    assert.equal(h.calls(), 1);
  });

  it('refuses non-string key material or an unknown key type with a message naming the field, before any prompt or request', async () => {
    const h = harness();
    await assert.rejects(
      h.keys.addKey({
        environmentId: 'testnet',
        keyType: 'hmac',
        apiKey: 12345 as unknown as string,
        secret: TEST_SECRET,
      }),
      { name: 'CredentialError', message: /apiKey/ },
    );
    await assert.rejects(
      h.keys.addKey({
        environmentId: 'testnet',
        keyType: 'hmac',
        apiKey: TEST_API_KEY,
        secret: {} as unknown as string,
      }),
      { name: 'CredentialError', message: /secret/ },
    );
    await assert.rejects(
      h.keys.addKey({
        environmentId: 'testnet',
        keyType: 'ed25519',
        apiKey: TEST_API_KEY,
        privateKeyPem: 7 as unknown as string,
      }),
      { name: 'CredentialError', message: /privateKeyPem/ },
    );
    await assert.rejects(h.keys.addKey({ environmentId: 'testnet', keyType: 'dsa' as never, apiKey: TEST_API_KEY }), {
      name: 'CredentialError',
      message: /key type/i,
    });
    await assert.rejects(h.keys.addKey({ environmentId: 42 as unknown as string }), {
      name: 'CredentialError',
      message: /environmentId/,
    });
    assert.deepEqual(h.prompts, []);
    assert.equal(h.calls(), 0);
    assert.equal(h.secrets.data.size, 0);
  });
});

describe('KeyCommands.select', () => {
  it('selecting a Live key asks in a modal before switching to Live, like Switch Environment', async () => {
    const h = harness();
    const live = await h.store.add(
      { label: 'live key', environment: LIVE, keyType: 'hmac', apiKey: TEST_API_KEY, secret: TEST_SECRET },
      { makeActive: false },
    );
    await assert.rejects(h.keys.select({ id: live.id }), { name: 'UserCancelled' });
    assert.deepEqual(h.switchedTo, []);
    assert.ok(h.prompts.includes('Switch to LIVE Binance?'));
  });
});

describe('EnvironmentCommands.switch', () => {
  it('a non-string environmentId is refused with a message saying what is expected', async () => {
    const { EnvironmentCommands } = await import('../../../src/vscode/environment/environmentCommands');
    const h = harness();
    const environments = {
      active: SPOT_TESTNET,
      available: () => [SPOT_TESTNET],
      canTrade: () => false,
      setActive: async () => undefined,
    };
    const commands = new EnvironmentCommands(environments, h.store, new PrompterHolder());
    await assert.rejects(commands.switch({ environmentId: 7 as unknown as string }), {
      name: 'EnvironmentError',
      message: /testnet, demo, live/,
    });
  });
});

/** A fresh Ed25519 private key PEM (what a user pastes for an Ed25519 key). */
function ed25519Pem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Waits (bounded) for work that runs after a notification's button was chosen. */
async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(condition(), `never happened: ${what}`);
}

/**
 * KeyCommands with the real ErrorPresenter, a recording prompter and a client whose account call
 * fails `failures` times with `error` before it succeeds.
 */
function failingHarness(options: {
  answer: Answer;
  error?: unknown;
  failures?: number;
  active?: Environment;
  available?: Environment[];
}) {
  const secrets = new MemorySecrets();
  const log = new MemoryLog();
  const store = new SecretCredentialStore(secrets, new MemoryMemento(), log);
  const active = options.active ?? SPOT_TESTNET;
  const environments = {
    active,
    available: () => options.available ?? [SPOT_TESTNET, DEMO],
    canTrade: () => true,
    setActive: async () => undefined,
  };
  let failuresLeft = options.failures ?? 1;
  const checkedWith: string[] = [];
  const clients: ClientFactory = (environment, credential) =>
    ({
      account: async () => {
        checkedWith.push(`${environment.id} ${credential()?.apiKey}`);
        if (failuresLeft-- > 0) throw options.error;
        return { balances: [] };
      },
    }) as never;
  const prompter = new RecordingPrompter(options.answer);
  const holder = prompter.holder();
  const presenter = new ErrorPresenter(holder, log, () => active);
  const keys = new KeyCommands({ store, environments, clients, prompter: holder, presenter, log });
  return { keys, store, secrets, prompter, checkedWith, log };
}

const refused = apiErrorFromResponse({
  httpStatus: 401,
  bodyText: JSON.stringify({ code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' }),
  context: { environmentLabel: 'Demo' },
});
const unreachable = new TransportError('GET /api/v3/account failed: connect ECONNREFUSED 127.0.0.1', 'network');

describe('KeyCommands: a key that fails its check', () => {
  it('says nothing was saved, offers Retry (not a fresh start), and Retry reopens the prompts with what was typed', async () => {
    // First round: the user types everything. After Retry: accepts what the boxes hold.
    let retried = false;
    const h = failingHarness({
      error: refused,
      answer: (s) => {
        if (s.kind === 'pick' && /environment/.test(s.text)) return retried ? s.items?.[0].label : 'Demo';
        if (s.kind === 'pick' && /key type/.test(s.text)) return retried ? s.items?.[0].label : 'HMAC';
        if (s.kind === 'input' && /label/.test(s.text)) return retried ? s.input?.value : 'my demo key';
        if (s.kind === 'input' && /\(4\/5\)/.test(s.text)) return retried ? s.input?.value : TEST_API_KEY;
        if (s.kind === 'input' && /\(5\/5\)/.test(s.text)) return retried ? s.input?.value : TEST_SECRET;
        if (s.kind === 'error') return ((retried = true), 'Retry');
        return undefined;
      },
    });
    const first = await h.keys.addKey();
    assert.equal(first, undefined);
    await until('the key saved by Retry', () => h.store.list().length === 1);
    const [error] = h.prompter.of('error');
    assert.match(error.text, /^Nothing was saved: Demo refused the API key \(-2015\)\./);
    assert.deepEqual(error.buttons, ['Retry', 'Show Log'], 'Retry reopens the flow; "Add Key" would start over');
    // The second round: the earlier choices come first and the boxes hold what was typed.
    const picks = h.prompter.of('pick');
    assert.equal(picks.length, 4);
    assert.equal(picks[2].items?.[0].label, 'Demo', 'the environment chosen before is preselected');
    assert.equal(picks[3].items?.[0].label, 'HMAC', 'the key type chosen before is preselected');
    const inputs = h.prompter.of('input');
    assert.equal(inputs.length, 6);
    assert.equal(inputs[3].input?.value, 'my demo key');
    assert.equal(inputs[4].input?.value, TEST_API_KEY);
    assert.equal(inputs[5].input?.value, TEST_SECRET);
    assert.deepEqual(h.checkedWith, [`demo ${TEST_API_KEY}`, `demo ${TEST_API_KEY}`]);
    assert.equal(h.store.list()[0].environment.id, 'demo');
    // Key material appears nowhere but as the value of a password box.
    for (const s of h.prompter.shown) {
      const visible = [s.text, ...(s.buttons ?? []), s.input?.prompt, s.input?.title, s.input?.placeHolder];
      for (const i of s.items ?? []) visible.push(i.label, i.description, i.detail);
      if (s.input && !s.input.password) visible.push(s.input.value);
      for (const secret of [TEST_SECRET, TEST_API_KEY])
        assert.ok(!visible.some((v) => v?.includes(secret)), `key material shown in ${s.kind} "${s.text}"`);
    }
    assert.ok(!h.log.lines.some((l) => l.includes(TEST_SECRET) || l.includes(TEST_API_KEY)));
  });

  it('a key that cannot be parsed also says nothing was saved and offers Retry', async () => {
    const h = failingHarness({ failures: 0, answer: () => undefined });
    const result = await h.keys.addKey({
      environmentId: 'testnet',
      keyType: 'ed25519',
      apiKey: TEST_API_KEY,
      privateKeyPem: '-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----',
    });
    assert.equal(result, undefined);
    await until('the error message', () => h.prompter.of('error').length === 1);
    const [error] = h.prompter.of('error');
    assert.match(error.text, /^Nothing was saved: /);
    assert.deepEqual(error.buttons, ['Retry', 'Show Log']);
    assert.deepEqual(h.checkedWith, [], 'a malformed key is not sent anywhere');
    assert.equal(h.secrets.data.size, 0);
  });

  it('names the local sandbox only when the key was for one', async () => {
    const local = localSandbox('http://127.0.0.1:4999');
    for (const environment of [SPOT_TESTNET, local]) {
      const h = failingHarness({ error: unreachable, answer: () => undefined, available: [SPOT_TESTNET, local] });
      await h.keys.addKey({
        environmentId: environment.id,
        keyType: 'ed25519',
        apiKey: TEST_API_KEY,
        privateKeyPem: ed25519Pem(),
      });
      await until('the error message', () => h.prompter.of('error').length === 1);
      const [error] = h.prompter.of('error');
      assert.match(error.text, /^Nothing was saved: /);
      if (environment.kind === 'local')
        assert.match(
          error.text,
          /Local sandbox \(4999\) is not answering: start it with "Binance: Start Local Sandbox"/,
        );
      else assert.doesNotMatch(error.text, /sandbox/i, `the Spot Testnet message talks about a sandbox: ${error.text}`);
    }
  });
});

describe('KeyCommands.generateEd25519', () => {
  const generateAnswers =
    (options: { openPage: boolean; apiKey: string }): Answer =>
    (s) => {
      if (s.kind === 'openExternal') return options.openPage;
      if (s.kind === 'input') return s.input?.value ?? options.apiKey;
      if (s.kind === 'error') return 'Retry';
      return undefined;
    };

  it('says the key page is open only when it was opened', async () => {
    for (const openPage of [true, false]) {
      const h = failingHarness({ failures: 0, answer: generateAnswers({ openPage, apiKey: TEST_API_KEY }) });
      await h.keys.generateEd25519({ environmentId: 'testnet' });
      const [input] = h.prompter.of('input');
      const url = SPOT_TESTNET.keyManagementUrl!;
      assert.equal(h.prompter.of('openExternal').length, 1);
      if (openPage) assert.match(input.input?.prompt ?? '', new RegExp(`${url.replace(/[./]/g, '\\$&')} is open`));
      else {
        assert.doesNotMatch(input.input?.prompt ?? '', /is open/, 'the user declined to open the page');
        assert.ok(input.input?.prompt?.includes(`Open ${url}`), input.input?.prompt);
      }
    }
  });

  it('a failed check does not say that generating failed; Retry asks for the API key again (prefilled) and keeps the pair', async () => {
    const h = failingHarness({ error: refused, answer: generateAnswers({ openPage: true, apiKey: TEST_API_KEY }) });
    const result = await h.keys.generateEd25519({ environmentId: 'testnet' });
    assert.equal(result, undefined, 'no error thrown: the command would report "Generating … failed"');
    const pending = await h.store.getPending('testnet');
    assert.ok(pending, 'the generated pair is kept');
    await until('the key saved by Retry', () => h.store.list().length === 1);
    const [error] = h.prompter.of('error');
    assert.match(error.text, /^The API key was not saved \(the generated key pair is kept for Retry\): /);
    assert.doesNotMatch(error.text, /generat\w* (the Ed25519 key )?failed/i);
    assert.deepEqual(error.buttons, ['Retry', 'Show Log']);
    const inputs = h.prompter.of('input');
    assert.equal(inputs.length, 2);
    assert.equal(inputs[1].input?.value, TEST_API_KEY, 'the API key typed before is in the box');
    assert.equal(inputs[1].input?.password, true);
    assert.equal(h.prompter.of('openExternal').length, 1, 'the key page is not opened a second time');
    assert.equal(h.prompter.of('pick').length, 0, 'Retry reuses the pair without asking');
    const saved = h.store.list()[0];
    assert.equal((await h.store.readSecretMaterial(saved.id))?.privateKeyPem?.trim(), pending.privateKeyPem.trim());
    assert.equal(await h.store.getPending('testnet'), undefined);
  });

  it('offers the earlier pair with its time written like every other time, and no codicon names', async () => {
    const h = failingHarness({ failures: 0, answer: () => undefined });
    await h.store.storePending({
      environmentId: 'testnet',
      label: 'earlier',
      privateKeyPem: ed25519Pem(),
      publicKeyPem: '',
      createdAt: Date.now(),
    });
    await assert.rejects(h.keys.generateEd25519({ environmentId: 'testnet' }), { name: 'UserCancelled' });
    const [pick] = h.prompter.of('pick');
    assert.deepEqual(
      pick.items?.map((i) => i.label),
      ['Use the key pair generated earlier', 'Generate a new key pair'],
    );
    assert.match(pick.items?.[0].detail ?? '', /^Generated \d\d:\d\d:\d\d; /);
  });
});

describe('KeyCommands.manage', () => {
  it('does not offer "Make active" for the key in use, and does for another key', async () => {
    const h = failingHarness({ failures: 0, answer: () => undefined });
    const inUse = await h.store.add(
      { label: 'in use', environment: SPOT_TESTNET, keyType: 'hmac', apiKey: TEST_API_KEY, secret: TEST_SECRET },
      { makeActive: true },
    );
    const other = await h.store.add(
      { label: 'other', environment: SPOT_TESTNET, keyType: 'hmac', apiKey: `${TEST_API_KEY}2`, secret: TEST_SECRET },
      { makeActive: false },
    );
    const actionsFor = async (label: string): Promise<string[]> => {
      const prompter = new RecordingPrompter((s) => (/^Manage/.test(s.text) ? label : undefined));
      const keys = new KeyCommands({
        store: h.store,
        environments: {
          active: SPOT_TESTNET,
          available: () => [SPOT_TESTNET],
          canTrade: () => false,
          setActive: async () => undefined,
        },
        clients: (() => undefined) as never,
        prompter: prompter.holder(),
        presenter: { show: async () => undefined },
        log: new MemoryLog(),
      });
      await assert.rejects(keys.manage(), { name: 'UserCancelled' });
      const picks = prompter.of('pick');
      assert.equal(picks.length, 2);
      assert.ok(!itemTexts(picks).some((t) => t.includes('$(')), JSON.stringify(itemTexts(picks)));
      return picks[1].items!.map((i) => i.label);
    };
    assert.equal(h.store.activeFor('testnet')?.id, inUse.id);
    assert.deepEqual(await actionsFor('in use'), ['Rename…', 'Remove…']);
    assert.deepEqual(await actionsFor(other.label), ['Make active', 'Rename…', 'Remove…']);
  });
});
