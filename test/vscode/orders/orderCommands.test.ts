import { executedCommands } from '../../support/vscodeStub';
import { MemoryLog } from '../../support/memory';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { NewOrderParams } from '../../../src/core/api';
import { DEMO, Environment, LIVE, SPOT_TESTNET } from '../../../src/core/environments';
import type { ExchangeClient, PlaceOrderResult } from '../../../src/app/exchange';
import { OrderCommands, PlaceOrderArgs } from '../../../src/vscode/orders/orderCommands';
import { Prompter, PrompterHolder } from '../../../src/vscode/shared/prompter';
import { SymbolCatalog } from '../../../src/app/symbolCatalog';
import { btcusdt } from '../../support/symbols';

interface FakeClient extends ExchangeClient {
  placed: NewOrderParams[];
  tested: NewOrderParams[];
  tickerCalls: number;
}

function fakeClient(environment: Environment, onPlace?: () => void): FakeClient {
  const client = {
    environment,
    placed: [] as NewOrderParams[],
    tested: [] as NewOrderParams[],
    tickerCalls: 0,
    exchangeInfo: async () => ({
      timezone: 'UTC',
      serverTime: 0,
      rateLimits: [],
      exchangeFilters: [],
      symbols: [btcusdt()],
    }),
    tickerPrices: async () => {
      client.tickerCalls++;
      return [{ symbol: 'BTCUSDT', price: '60000.00' }];
    },
    placeOrder: async (params: NewOrderParams): Promise<PlaceOrderResult> => {
      client.placed.push(params);
      onPlace?.();
      return {
        outcome: 'accepted',
        clientOrderId: 'td-x',
        response: {
          symbol: params.symbol,
          orderId: 7,
          orderListId: -1,
          clientOrderId: 'td-x',
          transactTime: 0,
          status: 'NEW',
        } as never,
      };
    },
    testOrder: async (params: NewOrderParams) => {
      client.tested.push(params);
      return {};
    },
  };
  return client as unknown as FakeClient;
}

interface Shown {
  kind: 'warning' | 'info' | 'error';
  message: string;
  detail?: string;
  items?: string[];
}

function harness(
  start: ExchangeClient,
  options: {
    canTrade?: () => boolean;
    onWarning?: (m: string) => string | undefined;
    onInfo?: (m: string) => string | undefined;
    hasKey?: boolean;
  } = {},
) {
  let current = start;
  const shown: Shown[] = [];
  const session = {
    get client() {
      return current;
    },
    get environment() {
      return current.environment;
    },
    hasKey: options.hasKey ?? true,
  };
  const environments = {
    canTrade: (env: Environment) => env.kind !== 'live' || (options.canTrade?.() ?? false),
  };
  const orders = { openOrders: [], watchSymbol: async () => undefined, refresh: async () => true };
  const prompter: Prompter = {
    showQuickPick: async () => undefined,
    showInputBox: async () => undefined,
    showWarningMessage: async (message: string, opts: vscode.MessageOptions) => {
      shown.push({ kind: 'warning', message, detail: opts.detail });
      return (options.onWarning ? options.onWarning(message) : undefined) as never;
    },
    showInformationMessage: async (message: string, _opts: vscode.MessageOptions, ...items: string[]) => {
      shown.push({ kind: 'info', message, items });
      return options.onInfo?.(message);
    },
    showErrorMessage: async (message: string) => {
      shown.push({ kind: 'error', message });
      return undefined;
    },
    writeClipboard: async () => undefined,
    openExternal: async () => true,
  } as unknown as Prompter;
  const holder = new PrompterHolder();
  holder.set(prompter);
  const commands = new OrderCommands({
    session,
    environments,
    catalog: new SymbolCatalog(),
    orders,
    tree: { revealOrder: async () => false },
    refreshAll: async () => undefined,
    prompter: holder,
    log: new MemoryLog(),
  });
  return { commands, shown, switchTo: (client: ExchangeClient) => (current = client) };
}

const LIMIT: PlaceOrderArgs = {
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.001',
  price: '60000',
  timeInForce: 'GTC',
  dryRun: 'none',
};

describe('OrderCommands.place', () => {
  it('a passed dry run offers "Place now", which places that very order through the Place Order command', async () => {
    const client = fakeClient(SPOT_TESTNET);
    const { commands, shown } = harness(client, {
      onInfo: (m) => (/^Dry run passed/.test(m) ? 'Place now' : undefined),
    });
    executedCommands.length = 0;
    const summary = await commands.place({ ...LIMIT, dryRun: 'test-only' });
    assert.equal(summary?.outcome, 'tested');
    assert.deepEqual(client.tested.length, 1);
    assert.deepEqual(client.placed, [], 'a dry run places nothing by itself');
    const [info] = shown.filter((s) => s.kind === 'info');
    assert.match(
      info.message,
      /^Dry run passed on Spot Testnet: BUY LIMIT 0\.001 BTCUSDT @ 60,000 GTC\. Nothing was placed\.$/,
    );
    assert.deepEqual(info.items, ['Place now']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(executedCommands, [
      {
        id: 'testnetDesk.orders.place',
        args: [
          {
            symbol: 'BTCUSDT',
            side: 'BUY',
            type: 'LIMIT',
            quantity: '0.001',
            price: '60000',
            timeInForce: 'GTC',
            dryRun: 'none',
          },
        ],
      },
    ]);
  });

  it('without a key says so before loading symbols or prices', async () => {
    const testnet = fakeClient(SPOT_TESTNET);
    let loaded = 0;
    const original = testnet.exchangeInfo;
    testnet.exchangeInfo = async (...a: Parameters<typeof original>) => {
      loaded++;
      return original.apply(testnet, a);
    };
    const { commands } = harness(testnet, { hasKey: false });
    await assert.rejects(commands.place({ ...LIMIT }), { name: 'NoCredentialError' });
    assert.equal(loaded, 0);
    assert.equal(testnet.placed.length, 0);
  });

  it('a programmatic Live order still needs the modal naming environment, symbol, side, quantity and price', async () => {
    const live = fakeClient(LIVE);
    const { commands, shown } = harness(live, { canTrade: () => true });
    await assert.rejects(commands.place({ ...LIMIT }), { name: 'UserCancelled' });
    assert.equal(live.placed.length, 0);
    const modal = shown.find((s) => s.kind === 'warning');
    assert.ok(modal?.detail);
    for (const part of ['Live', 'BTCUSDT', 'BUY', '0.001', '60000'])
      assert.ok(modal.detail.includes(part), `modal detail lacks ${part}`);
  });

  it('re-checks "allowTrading" after the Live confirmation: trading turned off meanwhile sends nothing', async () => {
    const live = fakeClient(LIVE);
    let allowed = true;
    const { commands } = harness(live, {
      canTrade: () => allowed,
      onWarning: () => {
        allowed = false; // the user turns live trading off while the modal is open, then clicks through
        return 'Place Live Order';
      },
    });
    await assert.rejects(commands.place({ ...LIMIT }), /read-only/);
    assert.equal(live.placed.length, 0);
  });

  it('reports the order on the environment it was sent to, even if the active one changed meanwhile', async () => {
    const { commands, shown, switchTo } = harness(fakeClient(SPOT_TESTNET, () => switchTo(fakeClient(DEMO))));
    const summary = await commands.place({ ...LIMIT });
    assert.equal(summary?.outcome, 'accepted');
    const info = shown.find((s) => s.kind === 'info');
    assert.match(info?.message ?? '', /Spot Testnet/);
    assert.doesNotMatch(info?.message ?? '', /Demo/);
  });

  it('prefills and checks against the price of the environment the order goes to', async () => {
    const testnet = fakeClient(SPOT_TESTNET);
    const demo = fakeClient(DEMO);
    const { commands, switchTo } = harness(testnet);
    // The catalog load happens first; switch the active environment right after the flow captured its client.
    const original = testnet.exchangeInfo;
    testnet.exchangeInfo = async (...a) => {
      switchTo(demo);
      return original(...a);
    };
    await commands.place({ ...LIMIT });
    assert.equal(demo.tickerCalls, 0, 'no price may come from another environment');
    assert.equal(testnet.placed.length, 1);
  });

  it('refuses malformed programmatic args with a message naming the field, sending nothing', async () => {
    const client = fakeClient(SPOT_TESTNET);
    const { commands } = harness(client);
    await assert.rejects(commands.place({ ...LIMIT, quantity: 0.001 as unknown as string }), /quantity/);
    await assert.rejects(commands.place({ ...LIMIT, side: 'HOLD' as never }), /side/);
    await assert.rejects(commands.place({ ...LIMIT, type: 'STOP_LOSS' as never }), /type/);
    await assert.rejects(commands.place({ ...LIMIT, dryRun: 'maybe' as never }), /dryRun/);
    assert.equal(client.placed.length + client.tested.length, 0);
  });
});

describe('OrderCommands.cancel / cancelAll with programmatic args', () => {
  it('without a key say so before asking to confirm or reading open orders', async () => {
    const testnet = fakeClient(SPOT_TESTNET);
    const { commands, shown } = harness(testnet, { hasKey: false });
    await assert.rejects(commands.cancelAll({ symbol: 'BTCUSDT' }), { name: 'NoCredentialError' });
    await assert.rejects(commands.cancelAll(), { name: 'NoCredentialError' });
    await assert.rejects(commands.cancel({ symbol: 'BTCUSDT', orderId: 1 }), { name: 'NoCredentialError' });
    assert.deepEqual(shown, [], 'no confirmation or message was shown');
  });

  it('malformed args get a message saying what is expected, and nothing is sent', async () => {
    const client = fakeClient(SPOT_TESTNET);
    let cancels = 0;
    Object.assign(client, {
      cancelOrder: async () => {
        cancels++;
        return {};
      },
      cancelAllOpenOrders: async () => {
        cancels++;
        return [];
      },
      openOrders: async () => [],
    });
    const { commands } = harness(client);
    await assert.rejects(commands.cancel('BTCUSDT' as never), /symbol, orderId/);
    await assert.rejects(commands.cancel({ symbol: 'BTCUSDT', orderId: '12' } as never), /integer orderId/);
    await assert.rejects(commands.cancelAll({ symbol: 5 } as never), /symbol string/);
    assert.equal(cancels, 0);
  });
});
