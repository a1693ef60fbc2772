import { EventEmitter, executedCommands } from '../support/vscodeStub';
import { MemoryLog, MemoryMemento, MemorySecrets } from '../support/memory';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExchangeClient } from '../../src/app/exchange';
import { SymbolCatalog } from '../../src/app/symbolCatalog';
import type { NewOrderParams } from '../../src/core/api';
import { Environment, LIVE, localSandbox, SPOT_TESTNET } from '../../src/core/environments';
import { RefreshCoordinator } from '../../src/vscode/account/refreshCoordinator';
import { BotCommands } from '../../src/vscode/environment/botCommands';
import { EnvironmentCommands } from '../../src/vscode/environment/environmentCommands';
import { SecretCredentialStore } from '../../src/vscode/keys/secretCredentialStore';
import { CANCEL_ALL_BUTTON, OrderCommands } from '../../src/vscode/orders/orderCommands';
import { PrompterHolder } from '../../src/vscode/shared/prompter';
import { accountViews } from '../support/accountViews';
import { TEST_API_KEY, TEST_SECRET } from '../support/credentials';
import { manifest } from '../support/manifest';
import { itemTexts, RecordingPrompter, Shown } from '../support/recordingPrompter';
import { btcusdt } from '../support/symbols';

function orderCommands(prompter: RecordingPrompter, environment: Environment = SPOT_TESTNET) {
  const sent = { placed: [] as NewOrderParams[], canceledAll: [] as string[] };
  const client = {
    environment,
    exchangeInfo: async () => ({
      timezone: 'UTC',
      serverTime: 0,
      rateLimits: [],
      exchangeFilters: [],
      symbols: [btcusdt()],
    }),
    tickerPrices: async () => [{ symbol: 'BTCUSDT', price: '60000.00' }],
    testOrder: async () => ({}),
    placeOrder: async (params: NewOrderParams) => {
      sent.placed.push(params);
      return { outcome: 'accepted', clientOrderId: 'td-1', response: { orderId: 1, status: 'NEW' } };
    },
    cancelAllOpenOrders: async (symbol: string) => {
      sent.canceledAll.push(symbol);
      return [];
    },
    cancelOrder: async () => ({ status: 'CANCELED' }),
  };
  const commands = new OrderCommands({
    session: { client: client as unknown as ExchangeClient, environment, hasKey: true },
    environments: { canTrade: () => true },
    catalog: new SymbolCatalog(),
    orders: { openOrders: [], watchSymbol: async () => undefined, refresh: async () => true },
    tree: { revealOrder: async () => false },
    refreshAll: async () => undefined,
    prompter: prompter.holder(),
    log: new MemoryLog(),
  });
  return { commands, sent };
}

const noCodicon = (shown: readonly Shown[]) => {
  const texts = itemTexts(shown);
  assert.ok(texts.length > 0);
  const named = texts.filter((t) => /\$\([\w-]+\)/.test(t));
  assert.deepEqual(named, [], 'quick pick texts with codicon names (a screen reader reads them out)');
};

describe('quick picks read as words (icons beside them, not inside the text)', () => {
  it('the guided Place Order flow: BUY / SELL with arrow icons, no codicon names; the price box holds a plain number', async () => {
    const prompter = new RecordingPrompter((s) => {
      if (s.kind === 'pick')
        return /symbol/.test(s.text) ? 'BTCUSDT' : /side/.test(s.text) ? 'BUY' : s.items?.[0].label;
      if (s.kind === 'input') return /quantity/.test(s.text) ? '0.00123' : s.input?.value;
      return undefined;
    });
    const { commands, sent } = orderCommands(prompter);
    await commands.place();
    assert.equal(sent.placed.length, 1);
    noCodicon(prompter.of('pick'));
    const side = prompter.of('pick').find((p) => /side/.test(p.text))!;
    assert.deepEqual(
      side.items?.map((i) => [i.label, (i.iconPath as { id?: string } | undefined)?.id]),
      [
        ['BUY', 'arrow-down'],
        ['SELL', 'arrow-up'],
      ],
    );
    const price = prompter.of('input').find((i) => /price/.test(i.text))!;
    assert.equal(price.input?.value, '60000', 'an editable price is a plain decimal, not "60,000"');
    assert.ok(
      prompter.of('pick').some((p) => p.text === 'Spot Testnet: BUY LIMIT 0.00123 BTCUSDT @ 60,000 GTC'),
      `the order summary writes numbers like the views: ${JSON.stringify(prompter.of('pick').map((p) => p.text))}`,
    );
  });

  it('the filter correction and the dry-run choice have no codicon names either', async () => {
    const prompter = new RecordingPrompter((s) => {
      if (s.kind === 'pick' && /^Not sent/.test(s.text)) return /^Use /;
      if (s.kind === 'pick') return s.items?.[0].label;
      return undefined;
    });
    const { commands } = orderCommands(prompter);
    await commands.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001234567', price: '60000' });
    assert.ok(
      prompter.of('pick').some((p) => /^Not sent/.test(p.text)),
      'no correction was offered',
    );
    noCodicon(prompter.of('pick'));
  });

  it('Switch Environment: no codicon names in the items', async () => {
    const prompter = new RecordingPrompter(() => undefined);
    const environments = {
      active: SPOT_TESTNET,
      available: () => [SPOT_TESTNET, LIVE, localSandbox('http://127.0.0.1:4999')],
      canTrade: () => false,
      setActive: async () => undefined,
    };
    const store = { activeFor: () => undefined };
    await assert.rejects(new EnvironmentCommands(environments, store, prompter.holder()).switch(), {
      name: 'UserCancelled',
    });
    noCodicon(prompter.of('pick'));
  });
});

describe('modal dialogs: unambiguous buttons, the safe choice first', () => {
  it('Cancel All names its action "Cancel All Orders" (VS Code adds the "Cancel" that keeps them)', async () => {
    const prompter = new RecordingPrompter((s) => (s.kind === 'warning' ? CANCEL_ALL_BUTTON : undefined));
    const { commands, sent } = orderCommands(prompter);
    await commands.cancelAll({ symbol: 'BTCUSDT' });
    const [modal] = prompter.of('warning');
    assert.equal(modal.messageOptions?.modal, true);
    assert.deepEqual(modal.buttons, ['Cancel All Orders']);
    assert.deepEqual(sent.canceledAll, ['BTCUSDT']);
  });

  it('a Live cancel names its action "Cancel Live Order", not "Cancel Order" beside "Cancel"', async () => {
    const prompter = new RecordingPrompter(() => undefined);
    const { commands } = orderCommands(prompter, LIVE);
    await assert.rejects(commands.cancel({ symbol: 'BTCUSDT', orderId: 1 }), { name: 'UserCancelled' });
    assert.deepEqual(prompter.of('warning')[0].buttons, ['Cancel Live Order']);
  });

  for (const [keyType, withoutSecret, withSecret] of [
    ['hmac', 'Copy Without Secret Key', 'Copy With Secret Key'],
    ['ed25519', 'Copy Without Private Key', 'Copy With Private Key'],
  ] as const) {
    it(`Copy Environment Settings (${keyType}): the default (first) button copies without the secret`, async () => {
      const secrets = new MemorySecrets();
      const store = new SecretCredentialStore(secrets, new MemoryMemento(), new MemoryLog());
      const pem = (await import('node:crypto'))
        .generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      await store.add(
        keyType === 'hmac'
          ? { label: 'bot', environment: SPOT_TESTNET, keyType, apiKey: TEST_API_KEY, secret: TEST_SECRET }
          : { label: 'bot', environment: SPOT_TESTNET, keyType, apiKey: TEST_API_KEY, privateKeyPem: pem },
        { makeActive: true },
      );
      const session = { environment: SPOT_TESTNET };
      const copied = async (button: (buttons: string[]) => string) => {
        const prompter = new RecordingPrompter((s) => (s.kind === 'warning' ? button(s.buttons ?? []) : undefined));
        const bot = new BotCommands(session, store, prompter.holder(), new MemoryLog());
        const result = await bot.copyEnv();
        return { result, prompter, text: prompter.of('clipboard')[0]?.text ?? '' };
      };
      const byDefault = await copied((buttons) => buttons[0]);
      const [modal] = byDefault.prompter.of('warning');
      assert.equal(modal.messageOptions?.modal, true);
      assert.deepEqual(modal.buttons, [withoutSecret, withSecret]);
      assert.equal(byDefault.result.includedSecret, false);
      assert.doesNotMatch(byDefault.text, /BINANCE_API_SECRET|BINANCE_PRIVATE_KEY/);
      const chosen = await copied(() => withSecret);
      assert.equal(chosen.result.includedSecret, true);
      assert.match(chosen.text, keyType === 'hmac' ? /BINANCE_API_SECRET=/ : /BINANCE_PRIVATE_KEY=/);
    });
  }
});

describe('walkthrough: "Add a Spot Testnet API key"', () => {
  const step = () =>
    (manifest.contributes.walkthroughs[0].steps as { id: string; completionEvents: string[] }[]).find(
      (s) => s.id === 'addKey',
    )!;

  it('completes on a stored Spot Testnet key only (not on running the command, not on a sandbox key)', () => {
    assert.deepEqual(step().completionEvents, ['onContext:testnetDesk.hasTestnetKey']);
  });

  it('testnetDesk.hasTestnetKey follows the Spot Testnet keys, whatever environment is active', async () => {
    const store = new SecretCredentialStore(new MemorySecrets(), new MemoryMemento(), new MemoryLog());
    const local = localSandbox('http://127.0.0.1:4999');
    const onDidChange = new EventEmitter<unknown>();
    store.onDidChange(() => onDidChange.fire(undefined));
    const session = {
      environment: local,
      get hasKey() {
        return store.activeFor(local.id) !== undefined;
      },
      get credential() {
        return store.activeFor(local.id);
      },
      client: {},
      onDidChange: onDidChange.event,
      onDidChangeIdentity: new EventEmitter<unknown>().event,
    };
    const coordinator = new RefreshCoordinator({
      session,
      environments: { canTrade: () => true },
      keys: store,
      model: accountViews(session).model,
      resets: { check: () => false },
      settings: () => ({ pollSeconds: 0 }),
      prompter: new PrompterHolder(),
      log: new MemoryLog(),
    });
    const hasTestnetKey = () =>
      executedCommands.filter((c) => c.id === 'setContext' && c.args[0] === 'testnetDesk.hasTestnetKey').at(-1)
        ?.args[1];
    await store.add(
      { label: 'sandbox', environment: local, keyType: 'hmac', apiKey: TEST_API_KEY, secret: TEST_SECRET },
      { makeActive: true },
    );
    assert.equal(hasTestnetKey(), false, 'a sandbox key is not a Spot Testnet key');
    const hasKey = executedCommands.filter((c) => c.args[0] === 'testnetDesk.hasKey').at(-1)?.args[1];
    assert.equal(hasKey, true, 'the old completion key (any key) would have ticked the step');
    await store.add(
      { label: 'testnet', environment: SPOT_TESTNET, keyType: 'hmac', apiKey: TEST_API_KEY, secret: TEST_SECRET },
      { makeActive: true },
    );
    assert.equal(hasTestnetKey(), true);
    coordinator.dispose();
  });
});

describe('activity-bar icon', () => {
  const container = () => manifest.contributes.viewsContainers.activitybar[0] as { icon: string };
  const svg = () => fs.readFileSync(path.resolve(__dirname, '../../..', container().icon), 'utf8');

  it('is a monochrome 24×24 SVG in media/ (VS Code tints it with the theme colour)', () => {
    assert.match(container().icon, /^media\/[\w-]+\.svg$/);
    const text = svg();
    assert.match(text, /<svg[^>]*\bwidth="24"[^>]*\bheight="24"/);
    assert.match(text, /viewBox="0 0 24 24"/);
    const colours = [...text.matchAll(/(?:fill|stroke|color)="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(
      colours.filter((c) => c !== 'currentColor' && c !== 'none'),
      [],
      'colours other than currentColor',
    );
    assert.doesNotMatch(text, /#[0-9a-f]{3,8}\b|rgb\(|<image|style=/i);
  });

  it("is not the laboratory flask that reads as VS Code's Testing view", () => {
    // The flask's neck and body path (media/testnet-desk.svg before this change).
    assert.doesNotMatch(svg(), /M10 3v6\.5L4\.6 18\.4/);
    assert.match(svg(), /<title>[^<]*candlestick/i);
  });
});
