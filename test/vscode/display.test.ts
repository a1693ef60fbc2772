import { accountViews } from '../support/accountViews';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { Order, Trade } from '../../src/core/api';
import { SPOT_TESTNET } from '../../src/core/environments';
import { formatAge, formatAmount, formatTimestamp, formatValue } from '../../src/app/format';
import type { OrdersNode } from '../../src/vscode/orders/ordersProvider';

const MINUTE = 60_000;

function order(overrides: Partial<Order>): Order {
  return {
    symbol: 'BTCUSDT',
    orderId: 12,
    orderListId: -1,
    clientOrderId: 'td-12',
    price: '57000',
    origQty: '0.001',
    executedQty: '0',
    cummulativeQuoteQty: '0',
    status: 'NEW',
    timeInForce: 'GTC',
    type: 'LIMIT',
    side: 'BUY',
    time: Date.now() - 3 * MINUTE,
    updateTime: Date.now() - 3 * MINUTE,
    isWorking: true,
    origQuoteOrderQty: '0',
    ...overrides,
  };
}

const trade = (): Trade => ({
  symbol: 'BTCUSDT',
  id: 1,
  orderId: 12,
  price: '59940',
  qty: '0.01',
  quoteQty: '599.4',
  commission: '0.00001',
  commissionAsset: 'BTC',
  time: Date.now() - 5 * MINUTE,
  isBuyer: true,
  isMaker: false,
  isBestMatch: true,
});

async function balancesTree() {
  const client = {
    environment: SPOT_TESTNET,
    account: async () => ({
      balances: [
        { asset: 'BTC', free: '10000', locked: '0.5' },
        { asset: 'USDT', free: '60000', locked: '0' },
        { asset: 'XYZ', free: '1234567.125', locked: '0' },
      ],
    }),
    tickerPrices: async () => [{ symbol: 'BTCUSDT', price: '60000' }],
  };
  const { model, balances: provider } = accountViews({ client, environment: SPOT_TESTNET, hasKey: true });
  await model.balances.refresh();
  return provider.getChildren().map((n) => provider.getTreeItem(n));
}

async function ordersTree() {
  const client = {
    environment: SPOT_TESTNET,
    openOrders: async () => [order({})],
    allOrders: async () => [order({ orderId: 9, status: 'FILLED', type: 'MARKET', executedQty: '0.001' })],
    myTrades: async () => [trade()],
  };
  const { model, orders: provider } = accountViews({ client, environment: SPOT_TESTNET, hasKey: true });
  await model.orders.refresh();
  const items: vscode.TreeItem[] = [];
  const walk = async (node?: OrdersNode): Promise<void> => {
    for (const child of await provider.getChildren(node)) {
      items.push(provider.getTreeItem(child));
      if (child.kind === 'symbol' || child.kind === 'history' || child.kind === 'trades') await walk(child);
    }
  };
  await walk();
  return items;
}

const spoken = (item: vscode.TreeItem): string => item.accessibilityInformation?.label ?? '';

describe('one number format in every view', () => {
  it('groups thousands in amounts as in values, and keeps exact fractions', () => {
    assert.equal(formatAmount('10000'), '10,000');
    assert.equal(formatAmount('1234567.12345678'), '1,234,567.12345678');
    assert.equal(formatAmount('-60000.5'), '-60,000.5');
    assert.equal(formatAmount('999'), '999');
    assert.equal(formatAmount('0.000000019'), '0.00000001');
    assert.equal(formatValue('60000'), '60,000.00');
  });

  it('a balance row writes the amount and its value the same way ("free 10,000", not "free 10000")', async () => {
    const items = await balancesTree();
    assert.deepEqual(
      items.map((i) => `${i.label} ${i.description}`),
      ['BTC free 10,000 · locked 0.5 · ≈ 600,030,000.00 USDT', 'USDT free 60,000', 'XYZ free 1,234,567.125'],
    );
  });

  it('order and trade rows use the same formatter for prices and quantities', async () => {
    const rows = (await ordersTree()).map((i) => `${i.label}`);
    assert.ok(rows.includes('BUY LIMIT 0.001 @ 57,000'), JSON.stringify(rows));
    assert.ok(rows.includes('BUY 0.01 @ 59,940'), JSON.stringify(rows));
  });
});

describe('one date format in every view', () => {
  it('a time today reads "14:03:05", another day "2026-01-14 14:03:05"', () => {
    const now = new Date(2026, 0, 15, 18, 30, 0).getTime();
    assert.equal(formatTimestamp(new Date(2026, 0, 15, 14, 3, 5).getTime(), now), '14:03:05');
    assert.equal(formatTimestamp(new Date(2026, 0, 14, 14, 3, 5).getTime(), now), '2026-01-14 14:03:05');
  });

  it('rows give ages the same way (orders and trades alike); tooltips give the time the same way', async () => {
    const items = await ordersTree();
    const openOrder = items.find((i) => i.label === 'BUY LIMIT 0.001 @ 57,000')!;
    const trade = items.find((i) => i.label === 'BUY 0.01 @ 59,940')!;
    assert.match(String(openOrder.description), /· 3m$/);
    assert.match(String(trade.description), /· 5m$/, 'a trade row ages like an order row, not a date');
    const tooltips = items
      .map((i) => (i.tooltip as { value?: string } | undefined)?.value ?? '')
      .filter((t) => /Created|Traded/.test(t));
    assert.ok(tooltips.length >= 2);
    for (const t of tooltips)
      assert.match(
        t,
        /(Created|Traded) (\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d$/,
        `a tooltip writes its time another way: ${t}`,
      );
  });

  it('spells ages out for screen readers', () => {
    assert.equal(formatAge(0, 1000, 'words'), '1 second');
    assert.equal(formatAge(0, 3 * MINUTE, 'words'), '3 minutes');
    assert.equal(formatAge(0, (3 * 60 + 4) * MINUTE, 'words'), '3 hours 4 minutes');
    assert.equal(formatAge(0, 24 * 60 * MINUTE, 'words'), '1 day');
  });
});

describe('tree rows read as plain sentences', () => {
  it('each balance row says the asset and its amounts in words, with no codicon name or symbol', async () => {
    const items = await balancesTree();
    assert.deepEqual(items.map(spoken), [
      'BTC: 10,000 free, 0.5 locked in open orders, worth about 600,030,000.00 USDT.',
      'USDT: 60,000 free.',
      'XYZ: 1,234,567.125 free.',
    ]);
  });

  it('order, trade, group and list rows each describe themselves', async () => {
    const labels = (await ordersTree()).map(spoken);
    assert.deepEqual(labels, [
      'BTCUSDT: 1 open order.',
      'Buy limit order for 0.001 at 57,000: open, 0% filled, placed 3 minutes ago.',
      'Order history of BTCUSDT: newest first, loads when expanded.',
      'Buy market order for 0.001: filled, placed 3 minutes ago.',
      'Trades of BTCUSDT: newest first, loads when expanded.',
      'Bought 0.01 at 59,940 as taker, fee 0.00001 BTC, 5 minutes ago.',
    ]);
    for (const label of labels) {
      assert.doesNotMatch(label, /\$\(|\b(arrow-down|arrow-up|wand|check|beaker)\b/);
      assert.doesNotMatch(label, /Quote:|Trade \d+ of order/, 'the row is read as itself, not as its tooltip');
    }
  });
});
