import { accountViews } from '../../support/accountViews';
import assert from 'node:assert/strict';
import type { Order, Trade } from '../../../src/core/api';
import { SPOT_TESTNET } from '../../../src/core/environments';
import { LOAD_MORE_COMMAND, loadMore, OrdersNode } from '../../../src/vscode/orders/ordersProvider';

function order(orderId: number): Order {
  return {
    symbol: 'BTCUSDT',
    orderId,
    orderListId: -1,
    clientOrderId: `td-${orderId}`,
    price: '60000',
    origQty: '0.01',
    executedQty: '0.01',
    cummulativeQuoteQty: '600',
    status: 'FILLED',
    timeInForce: 'GTC',
    type: 'LIMIT',
    side: 'BUY',
    time: orderId * 1000,
    updateTime: orderId * 1000,
    isWorking: false,
    origQuoteOrderQty: '0',
  };
}
function trade(id: number): Trade {
  return {
    symbol: 'BTCUSDT',
    id,
    orderId: id,
    price: '60000',
    qty: '0.01',
    quoteQty: '600',
    commission: '0',
    commissionAsset: 'BNB',
    time: id * 1000,
    isBuyer: true,
    isMaker: false,
    isBestMatch: true,
  };
}

/** allOrders/myTrades with Binance's semantics: a cursor is a lower bound (oldest first), none = the most recent `limit`. */
function fakeExchange(orderIds: number[], tradeIds: number[]) {
  const calls: { method: string; options: Record<string, unknown> }[] = [];
  const page = <T>(items: T[], idOf: (t: T) => number, cursor: number | undefined, limit = 500): T[] =>
    cursor === undefined ? items.slice(-limit) : items.filter((i) => idOf(i) >= cursor).slice(0, limit);
  const client = {
    environment: SPOT_TESTNET,
    openOrders: async () => [],
    allOrders: async (_symbol: string, options: { limit?: number; orderId?: number } = {}) => {
      calls.push({ method: 'allOrders', options });
      return page(orderIds.map(order), (o) => o.orderId, options.orderId, options.limit);
    },
    myTrades: async (_symbol: string, options: { limit?: number; fromId?: number } = {}) => {
      calls.push({ method: 'myTrades', options });
      return page(tradeIds.map(trade), (t) => t.id, options.fromId, options.limit);
    },
  };
  const session = { client, environment: SPOT_TESTNET, hasKey: true };
  return { session, calls };
}

async function setUp(orderIds: number[], tradeIds: number[] = []) {
  const { session, calls } = fakeExchange(orderIds, tradeIds);
  const { model, orders: provider } = accountViews(session);
  await model.orders.watchSymbol('BTCUSDT');
  await model.orders.refresh();
  const [group] = provider.groups;
  const [history, trades] = (await provider.getChildren(group)).filter(
    (n) => n.kind === 'history' || n.kind === 'trades',
  );
  return { model, session, provider, calls, history, trades };
}

const ids = (nodes: OrdersNode[]): number[] =>
  nodes.flatMap((n) => (n.kind === 'order' ? [n.order.orderId] : n.kind === 'trade' ? [n.trade.id] : []));

describe('orders tree: history and trades with "Load more…"', () => {
  const many = Array.from({ length: 120 }, (_, i) => 1000 + i * 7); // ours, between other accounts' ids

  it('shows the newest 50 and a "Load more…" item with a stable id and the load-more command', async () => {
    const { provider, history } = await setUp(many);
    const children = await provider.getChildren(history);
    assert.equal(ids(children).length, 50);
    assert.deepEqual(ids(children), [...many].reverse().slice(0, 50));
    const more = children[children.length - 1];
    assert.equal(more.kind, 'more');
    assert.equal(more.id, `orders:${SPOT_TESTNET.id}:BTCUSDT:history:more`);
    const item = provider.getTreeItem(more);
    assert.equal(item.label, 'Load more…');
    assert.equal(item.command?.command, LOAD_MORE_COMMAND);
    assert.deepEqual(item.command?.arguments, [{ symbol: 'BTCUSDT', kind: 'history' }]);
    assert.equal(provider.getParent(more), history);
  });

  it('loads older pages until the first order, never a duplicate, with cursors below the oldest id', async () => {
    const { model, provider, history, calls } = await setUp(many);
    await provider.getChildren(history);
    for (let i = 0; i < 20; i++) {
      const children = await provider.getChildren(history);
      if (children[children.length - 1].kind !== 'more') break;
      const oldest = Math.min(...ids(children));
      const before = calls.length;
      await loadMore(model.orders, { symbol: 'BTCUSDT', kind: 'history' });
      for (const c of calls.slice(before))
        assert.ok((c.options.orderId as number) < oldest, `cursor ${String(c.options.orderId)} not below ${oldest}`);
    }
    const children = await provider.getChildren(history);
    assert.deepEqual(ids(children), [...many].reverse());
    assert.notEqual(children[children.length - 1].kind, 'more', 'no "Load more…" after the first order');
    assert.equal(new Set(children.map((c) => c.id)).size, children.length, 'ids are unique');
  });

  it('trades page with fromId the same way', async () => {
    const { model, provider, trades, calls } = await setUp([], many);
    await provider.getChildren(trades);
    while ((await provider.getChildren(trades)).some((n) => n.kind === 'more'))
      await loadMore(model.orders, { symbol: 'BTCUSDT', kind: 'trades' });
    assert.deepEqual(ids(await provider.getChildren(trades)), [...many].reverse());
    assert.ok(
      calls
        .filter((c) => c.method === 'myTrades')
        .slice(1)
        .every((c) => typeof c.options.fromId === 'number'),
    );
  });

  it('a double click loads one page, not two', async () => {
    const { model, provider, history, calls } = await setUp(many);
    await provider.getChildren(history);
    const before = calls.length;
    const [a, b] = await Promise.all([
      loadMore(model.orders, { symbol: 'BTCUSDT', kind: 'history' }),
      loadMore(model.orders, { symbol: 'BTCUSDT', kind: 'history' }),
    ]);
    assert.equal(a, b);
    const children = await provider.getChildren(history);
    assert.equal(new Set(ids(children)).size, ids(children).length);
    assert.ok(calls.length - before <= 4);
  });

  it('a refresh reloads the newest page and keeps the older pages already loaded (same ids)', async () => {
    const { model, provider, history } = await setUp(many);
    await provider.getChildren(history);
    await loadMore(model.orders, { symbol: 'BTCUSDT', kind: 'history' });
    const before = (await provider.getChildren(history)).map((n) => n.id);
    await model.orders.refresh();
    const after = (await provider.getChildren(history)).map((n) => n.id);
    assert.deepEqual(after, before);
  });

  it('a short history has no "Load more…"; nothing is fetched before the list is expanded', async () => {
    const { model, provider, history, calls } = await setUp([1, 2, 3]);
    assert.equal(await loadMore(model.orders, { symbol: 'BTCUSDT', kind: 'history' }), 0);
    assert.equal(calls.length, 0);
    assert.deepEqual(
      (await provider.getChildren(history)).map((n) => n.kind),
      ['order', 'order', 'order'],
    );
  });

  it('a failed load is a message row in the tree (no pop-up from getChildren) and is retried on the next expand', async () => {
    const { provider, history, session } = await setUp(many);
    const real = session.client.allOrders;
    session.client.allOrders = async () => {
      throw new Error('HTTP 503');
    };
    const failed = await provider.getChildren(history);
    assert.deepEqual(
      failed.map((n) => n.kind),
      ['message'],
    );
    assert.equal(provider.getTreeItem(failed[0]).contextValue, 'message:error');
    session.client.allOrders = real;
    assert.equal(ids(await provider.getChildren(history)).length, 50);
  });

  it('refuses malformed programmatic args with the expected form', async () => {
    const { model } = await setUp(many);
    await assert.rejects(loadMore(model.orders, 'BTCUSDT'), /expects \{symbol/);
    await assert.rejects(loadMore(model.orders, { symbol: 'BTCUSDT', kind: 'open' }), /expects \{symbol/);
  });
});
