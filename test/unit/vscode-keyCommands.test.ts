import { MemoryLog, MemoryMemento, MemorySecrets } from './helpers/vscodeStub';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { LIVE, SPOT_TESTNET } from '../../src/core/environments';
import type { EnvironmentService } from '../../src/vscode/environmentService';
import type { ErrorPresenter } from '../../src/vscode/errorPresenter';
import type { ClientFactory } from '../../src/vscode/exchange';
import { KeyCommands } from '../../src/vscode/keyCommands';
import { Prompter, PrompterHolder } from '../../src/vscode/prompter';
import { SecretCredentialStore } from '../../src/vscode/secretCredentialStore';
import { TEST_API_KEY, TEST_SECRET } from './helpers/credentials';

function harness() {
  const secrets = new MemorySecrets();
  const log = new MemoryLog();
  const store = new SecretCredentialStore(
    secrets as unknown as vscode.SecretStorage,
    new MemoryMemento() as unknown as vscode.Memento,
    log,
  );
  const switchedTo: string[] = [];
  const environments = {
    active: SPOT_TESTNET,
    available: () => [SPOT_TESTNET],
    canTrade: () => false,
    setActive: async (e: { id: string }) => {
      switchedTo.push(e.id);
    },
  } as unknown as EnvironmentService;
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
  const keys = new KeyCommands(
    store,
    environments,
    clients,
    holder,
    {} as ErrorPresenter,
    log as unknown as vscode.LogOutputChannel,
  );
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
    const { EnvironmentCommands } = await import('../../src/vscode/environmentCommands');
    const h = harness();
    const environments = {
      active: SPOT_TESTNET,
      available: () => [SPOT_TESTNET],
      canTrade: () => false,
      setActive: async () => undefined,
    } as unknown as EnvironmentService;
    const commands = new EnvironmentCommands(environments, h.store, new PrompterHolder());
    await assert.rejects(commands.switch({ environmentId: 7 as unknown as string }), {
      name: 'EnvironmentError',
      message: /testnet, demo, live/,
    });
  });
});
