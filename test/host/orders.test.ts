// Issue #4: the trees show the sandbox's balances and orders; a valid order placed through the
// command appears in the Orders tree; an invalid one is refused before any order request; cancelling
// removes it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Order } from '../../src/core/api';
import { localSandbox, type Environment } from '../../src/core/environments';
import type { TestnetDeskTestHooks } from '../../src/vscode/testHooks';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { activateExtension } from './support/extension';
import { ScriptedPrompter } from './support/prompter';
import { signedRequest } from './support/signedRest';
import { rowText, treeRows } from './support/tree';
import { eventually } from './support/wait';

interface PlaceSummary {
  outcome: string;
  orderId?: number;
}

describe('balances and orders trees against the local sandbox', () => {
  let api: TestnetDeskTestHooks;
  let sandbox: SandboxHandle;
  let env: Environment;
  let prompter: ScriptedPrompter;
  let placedOrderId: number;
  const validOrder = {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    quantity: '0.001',
    price: '50000',
    timeInForce: 'GTC',
    dryRun: 'none',
  };

  const orderRows = async () => (await treeRows(api.ordersProvider)).map(rowText);
  const balanceRows = async () => (await treeRows(api.balancesProvider)).map(rowText);

  before(async () => {
    api = await activateExtension();
    // No market maker: nothing trades against the test's orders, so they stay open.
    sandbox = await startSandbox({ marketMaker: false });
    env = localSandbox(sandbox.baseUrl);
    prompter = new ScriptedPrompter();
    api.setPrompter(prompter);
    const ref = await vscode.commands.executeCommand('testnetDesk.keys.add', {
      environmentId: env.id,
      keyType: 'hmac',
      label: 'orders test',
      apiKey: sandbox.apiKey,
      secret: sandbox.secret,
    });
    assert.ok(ref, `adding the sandbox key failed: ${JSON.stringify(prompter.asked)}`);
    await api.environments.setActive(env);
    assert.strictEqual(api.environments.active.id, env.id);
  });

  after(async () => {
    api?.setPrompter(undefined);
    await api?.store.removeWhere((c) => c.environment.id === env.id);
    await sandbox?.close();
  });

  it('shows every asset the sandbox account holds in the Balances tree', async () => {
    const account = await signedRequest<{ balances: { asset: string; free: string; locked: string }[] }>(
      sandbox.baseUrl,
      sandbox,
      'GET',
      '/api/v3/account',
    );
    const held = account.balances.filter((b) => Number(b.free) + Number(b.locked) > 0).map((b) => b.asset);
    assert.ok(held.includes('BTC') && held.includes('USDT'), `unexpected sandbox account: ${held.join(',')}`);
    await vscode.commands.executeCommand('testnetDesk.balances.refresh');
    const rows = await eventually('balances of every held asset', async () => {
      const r = await balanceRows();
      return held.every((asset) => r.some((t) => new RegExp(`\\b${asset}\\b`).test(t))) ? r : undefined;
    });
    const btc = rows.find((t) => /\bBTC\b/.test(t))!;
    assert.match(btc, /\b1(\.0+)?\b/, `BTC row should show the sandbox's 1 BTC: "${btc}"`);
  });

  it('shows an order that another program placed in the Orders tree', async () => {
    const order = await signedRequest<Order>(sandbox.baseUrl, sandbox, 'POST', '/api/v3/order', {
      symbol: 'ETHUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01',
      price: '3500',
    });
    assert.ok(order.orderId);
    await vscode.commands.executeCommand('testnetDesk.orders.refresh');
    const rows = await eventually('the ETHUSDT order in the tree', async () => {
      const r = await orderRows();
      return r.some((t) => t.includes('SELL LIMIT 0.01 @ 3,500')) ? r : undefined;
    });
    assert.ok(
      rows.some((t) => t.startsWith('ETHUSDT')),
      `no ETHUSDT group: ${JSON.stringify(rows)}`,
    );
  });

  it('places a valid order through the command; it appears in the Orders tree', async () => {
    sandbox.stats.reset();
    const summary = await vscode.commands.executeCommand<PlaceSummary | undefined>(
      'testnetDesk.orders.place',
      validOrder,
    );
    assert.ok(summary, `the order was not placed; prompts: ${JSON.stringify(prompter.asked.slice(-5))}`);
    assert.strictEqual(summary.outcome, 'accepted');
    assert.ok(summary.orderId);
    placedOrderId = summary.orderId;
    assert.strictEqual(sandbox.stats.orderRequests, 1, 'exactly one order request');
    const open = await signedRequest<Order[]>(sandbox.baseUrl, sandbox, 'GET', '/api/v3/openOrders', {
      symbol: 'BTCUSDT',
    });
    assert.ok(
      open.some((o) => o.orderId === placedOrderId),
      'the sandbox does not hold the order',
    );
    await eventually(
      'the placed order in the tree',
      async () => (await orderRows()).some((t) => t.includes('BUY LIMIT 0.001 @ 50,000')) || undefined,
    );
  });

  it('refuses invalid orders before sending any order request', async () => {
    sandbox.stats.reset();
    // Each must be refused for its own reason (shown to the user), not for some earlier, unrelated one:
    // "nothing was sent" alone would also hold for a command that broke before looking at the order.
    const invalid: [Record<string, string>, RegExp][] = [
      [{ quantity: '0' }, /quantity must be greater than zero/], // not a positive quantity
      [{ quantity: 'abc' }, /"abc" is not a decimal number/], // not a decimal
      [{ price: '50000.001' }, /^Not sent: PRICE_FILTER/], // off the 0.01 tick: a correction is offered and declined
      [{ quantity: '0.00001' }, /^Not sent: .*NOTIONAL/], // 0.5 USDT notional, below the 5 USDT minimum
      [{ symbol: 'NOSUCHPAIR' }, /Invalid symbol/], // unknown symbol
    ];
    for (const [change, reason] of invalid) {
      const asked = prompter.asked.length;
      const summary = await vscode.commands.executeCommand<PlaceSummary | undefined>('testnetDesk.orders.place', {
        ...validOrder,
        ...change,
      });
      assert.strictEqual(summary, undefined, `an invalid order was accepted: ${JSON.stringify(change)}`);
      const shown = prompter.asked.slice(asked).map((a) => a.text);
      assert.ok(
        shown.some((t) => reason.test(t)),
        `${JSON.stringify(change)} was not refused for ${reason}: ${JSON.stringify(shown)}`,
      );
    }
    assert.strictEqual(
      sandbox.stats.orderRequests,
      0,
      `order requests reached the sandbox: ${JSON.stringify(sandbox.stats.byPath)}`,
    );
    const open = await signedRequest<Order[]>(sandbox.baseUrl, sandbox, 'GET', '/api/v3/openOrders', {
      symbol: 'BTCUSDT',
    });
    assert.strictEqual(open.length, 1, 'only the valid order is open');
  });

  it('cancels the order through the command; it leaves the Orders tree', async () => {
    const canceled = await vscode.commands.executeCommand<Order | undefined>('testnetDesk.orders.cancel', {
      symbol: 'BTCUSDT',
      orderId: placedOrderId,
    });
    assert.ok(canceled, `cancel failed: ${JSON.stringify(prompter.asked.slice(-3))}`);
    assert.strictEqual(canceled.status, 'CANCELED');
    const open = await signedRequest<Order[]>(sandbox.baseUrl, sandbox, 'GET', '/api/v3/openOrders', {
      symbol: 'BTCUSDT',
    });
    assert.strictEqual(open.length, 0);
    await eventually(
      'the canceled order to leave the tree',
      async () => !(await orderRows()).some((t) => t.includes('BUY LIMIT 0.001 @ 50,000')) || undefined,
    );
  });
  it('places an order through the guided prompts (as from the palette) and cancels all on the symbol', async () => {
    const guided = new ScriptedPrompter()
      .pick('symbol (1/4–6)', 'ETHUSDT')
      .pick('side (2/4–6)', /BUY/)
      .pick('order type (3/4–6)', /^LIMIT$/)
      .input('quantity in ETH (4/6)', '0.01')
      .input('price in USDT (5/6)', '2900')
      .pick('time in force (6/6)', 'GTC')
      .pick(/BUY LIMIT 0\.01 ETHUSDT/, /Place order/)
      .message(/Cancel all .*ETHUSDT/, 'Cancel All Orders');
    api.setPrompter(guided);
    try {
      const summary = await vscode.commands.executeCommand<PlaceSummary | undefined>('testnetDesk.orders.place');
      assert.ok(summary?.orderId, `the guided order was not placed; prompts: ${JSON.stringify(guided.asked)}`);
      await eventually(
        'the guided order in the tree',
        async () => (await orderRows()).some((t) => t.includes('BUY LIMIT 0.01 @ 2,900')) || undefined,
      );

      const canceled = await vscode.commands.executeCommand<Order[] | undefined>('testnetDesk.orders.cancelAll', {
        symbol: 'ETHUSDT',
      });
      assert.ok(canceled, `cancel-all did nothing; prompts: ${JSON.stringify(guided.asked.slice(-3))}`);
      assert.strictEqual(canceled.length, 2, 'the guided order and the one placed by another program');
      assert.deepStrictEqual(guided.unusedRules(), []);
      const open = await signedRequest<Order[]>(sandbox.baseUrl, sandbox, 'GET', '/api/v3/openOrders', {
        symbol: 'ETHUSDT',
      });
      assert.strictEqual(open.length, 0);
      await eventually(
        'ETHUSDT orders to leave the tree',
        async () => !(await orderRows()).some((t) => /LIMIT 0\.01 @/.test(t)) || undefined,
      );
    } finally {
      api.setPrompter(prompter);
    }
  });
});
