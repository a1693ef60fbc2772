import assert from 'node:assert/strict';
import * as D from '../../src/core/decimal';
import { BookSide } from '../../src/core/market/bookSide';
import { parseRestKlines, parseRestTicker, parseRestTrades } from '../../src/core/market/marketRest';
import type { MarketFeed } from '../../src/webview/market/host/marketFeed';
import type { HostMessage, SnapshotMessage } from '../../src/webview/market/protocol';
import { sleep, waitFor } from '../../scripts/harness/waits';
import { MarketSandbox, startMarketSandbox, SYMBOL } from '../support/marketSandbox';

const canonical = (levels: readonly (readonly [string, string])[]): string[] =>
  levels.map(([p, q]) => `${D.normalize(p)}@${D.normalize(q)}`);
const until = <T>(what: string, probe: () => T | undefined): Promise<T> =>
  waitFor(what, probe, { timeoutMs: 8000, intervalMs: 20 });

describe('market data REST reads (SpotClient against the sandbox)', function () {
  this.timeout(30_000);
  let market: MarketSandbox;
  before(async () => {
    market = await startMarketSandbox({ interval: '1s' });
    market.activity.start(100);
    await sleep(2200);
    market.activity.stop();
    await market.activity.idle();
  });
  after(() => market.close());

  it('klines, recent trades and the 24 h ticker come back as the stream event types', async () => {
    const klines = await market.client.klines(SYMBOL, '1s', { limit: 1000 });
    assert.ok(klines.length >= 2, `${klines.length} candles`);
    assert.ok(klines.every((k) => k.symbol === SYMBOL && k.interval === '1s'));
    assert.ok(
      klines.slice(0, -1).every((k) => k.closed),
      'all but the last are closed',
    );
    assert.ok(
      klines.every((k, i) => i === 0 || k.openTime > klines[i - 1].openTime),
      'oldest first',
    );
    const trades = await market.client.recentTrades(SYMBOL, 5);
    assert.equal(trades.length, 5);
    assert.ok(
      trades.every((t, i) => i === 0 || t.id > trades[i - 1].id),
      'oldest first',
    );
    const ticker = await market.client.ticker24h(SYMBOL);
    assert.equal(ticker.symbol, SYMBOL);
    assert.equal(ticker.lastPrice, trades[trades.length - 1].price);
    assert.ok(ticker.count >= trades.length);
    const rates = await market.client.commissionRates(SYMBOL);
    assert.deepEqual(Object.keys(rates.standardCommissionForOrder).sort(), ['maker', 'taker']);
  });

  it('a REST answer in another shape is a TypeError naming the field, not a silent zero', () => {
    assert.throws(() => parseRestKlines([[1, '1', '1', '1', '1', '1']], SYMBOL, '1m', 0), /klines\[0\]/);
    assert.throws(() => parseRestKlines([[1, 1, '1', '1', '1', '1', 2, '1', 3]], SYMBOL, '1m', 0), /klines\[0\]\.open/);
    assert.throws(() => parseRestTrades([{ id: 1, price: 5, qty: '1', time: 1 }], SYMBOL), /trades\[0\]\.price/);
    assert.throws(() => parseRestTicker({ symbol: SYMBOL }), /ticker\./);
    assert.throws(() => parseRestKlines({}, SYMBOL, '1m', 0), /list of rows/);
  });
});

describe('market panel host feed (MarketFeed on the sandbox)', function () {
  this.timeout(30_000);
  let market: MarketSandbox;
  let posted: HostMessage[];
  let feed: MarketFeed;
  const log: string[] = [];
  const of = <T extends HostMessage['type']>(type: T): Extract<HostMessage, { type: T }>[] =>
    posted.filter((m): m is Extract<HostMessage, { type: T }> => m.type === type);

  before(async () => {
    market = await startMarketSandbox({ interval: '1s' });
    await market.activity.seedBook();
    market.activity.start(120);
    await sleep(2500);
  });
  beforeEach(() => {
    posted = [];
    log.length = 0;
    feed = market.feed((m) => posted.push(m), { log: (line) => log.push(line) });
  });
  afterEach(() => feed.dispose());
  after(() => market.close());

  it('answers ready with a snapshot from REST and the synced book, then forwards the streams in order', async () => {
    await until('a synced book', () => market.streams.book.state === 'synced');
    const sent = posted.length;
    await feed.handle({ type: 'ready', v: 1 });
    const snapshot = of('snapshot')[0] as SnapshotMessage;
    assert.ok(snapshot, `a snapshot; log: ${log.join(' | ')}`);
    const info = (await market.client.exchangeInfo({ symbol: SYMBOL })).symbols[0];
    assert.deepEqual(snapshot.symbol, info);
    assert.equal(snapshot.readOnly, false);
    assert.equal(snapshot.interval, '1s');
    assert.ok(snapshot.klines.length >= 2);
    assert.equal(snapshot.book.state, 'synced');
    assert.ok(snapshot.trades.length > 0 && snapshot.ticker?.symbol === SYMBOL);
    assert.ok(snapshot.balances.some((b) => b.asset === 'USDT'));
    assert.deepEqual(snapshot.commission, (await market.client.commissionRates(SYMBOL)).standardCommissionForOrder);
    // Nothing of the streams went out between ready and the snapshot: the snapshot leads.
    const firstAfterReady = posted.slice(sent).find((m) => m.type !== 'connection');
    assert.equal(firstAfterReady?.type, 'snapshot');

    // The book changes after it, applied to the snapshot's book, give the exchange's book.
    await until('kline, trade, ticker and book changes', () =>
      ['kline', 'trade', 'ticker', 'bookChange'].every((t) => posted.some((m) => m.type === t)) ? true : undefined,
    );
    market.activity.stop();
    await market.activity.idle();
    await sleep(600);
    const rest = await market.client.depth(SYMBOL, 1000);
    const lastChange = await until('the view-side book at the REST update', () => {
      const changes = of('bookChange');
      const last = changes[changes.length - 1];
      return last && last.lastUpdateId >= rest.lastUpdateId ? last : undefined;
    });
    assert.equal(lastChange.lastUpdateId, rest.lastUpdateId);
    const bids = new BookSide('bids');
    const asks = new BookSide('asks');
    bids.load(snapshot.book.content!.bids);
    asks.load(snapshot.book.content!.asks);
    for (const m of of('bookChange')) {
      for (const [p, q] of m.change.bids) bids.set(p, q);
      for (const [p, q] of m.change.asks) asks.set(p, q);
    }
    assert.deepEqual(canonical(bids.top(bids.size)), canonical(rest.bids));
    assert.deepEqual(canonical(asks.top(asks.size)), canonical(rest.asks));
    const ids = of('bookChange').map((m) => m.lastUpdateId);
    assert.ok(
      ids.every((id, i) => i === 0 || id > ids[i - 1]),
      'update ids only grow',
    );
    assert.ok(ids[0] > snapshot.book.content!.lastUpdateId, 'every change is newer than the snapshot');
    market.activity.start(120);
  });

  it('setInterval switches the stream and sends the new candles', async () => {
    await feed.handle({ type: 'setInterval', v: 1, interval: '1m' });
    assert.equal(market.streams.interval, '1m');
    const [klines] = of('klines');
    assert.equal(klines.interval, '1m');
    assert.deepEqual(
      klines.klines.map((k) => k.openTime),
      (await market.client.klines(SYMBOL, '1m')).map((k) => k.openTime),
    );
    await feed.handle({ type: 'setInterval', v: 1, interval: '1s' });
    assert.equal(market.streams.interval, '1s');
  });

  it('places exactly the order the view sent, under the view’s client order id, then sends the orders', async () => {
    const params = {
      symbol: SYMBOL,
      side: 'BUY' as const,
      type: 'LIMIT' as const,
      timeInForce: 'GTC' as const,
      price: '55000',
      quantity: '0.001',
    };
    await feed.handle({ type: 'placeOrder', v: 1, params, clientOrderId: 'panel-test-1' });
    const [result] = of('orderResult');
    assert.equal(result.ok, true, result.message);
    assert.equal(result.action, 'place');
    assert.equal(result.clientOrderId, 'panel-test-1');
    assert.match(result.message, /^Placed BUY LIMIT 0\.001 BTCUSDT @ 55000 GTC \(NEW, id \d+\)\.$/);
    const open = await market.client.openOrders(SYMBOL);
    const order = open.find((o) => o.clientOrderId === 'panel-test-1');
    assert.ok(order);
    assert.equal(order.orderId, result.orderId);
    const [orders] = of('orders');
    assert.ok(
      orders.openOrders.some((o) => o.orderId === order.orderId),
      'the refreshed list has it',
    );
    assert.ok(of('balances').length === 1);

    posted.length = 0;
    await feed.handle({ type: 'cancelOrder', v: 1, orderId: order.orderId });
    assert.deepEqual(
      of('orderResult').map((r) => [r.action, r.ok, r.orderId]),
      [['cancel', true, order.orderId]],
    );
    assert.equal(
      (await market.client.openOrders(SYMBOL)).some((o) => o.orderId === order.orderId),
      false,
    );
    posted.length = 0;
    await feed.handle({ type: 'cancelOrder', v: 1, orderId: order.orderId });
    const [again] = of('orderResult');
    assert.equal(again.ok, false);
    assert.match(again.message, new RegExp(`^Order ${order.orderId} was not cancelled: .*-2011`));
  });

  it('a test order is tested, not placed; a MARKET fill comes back as a fill message', async () => {
    const params = { symbol: SYMBOL, side: 'SELL' as const, type: 'MARKET' as const, quantity: '0.002' };
    const before = (await market.client.myTrades(SYMBOL)).length;
    await feed.handle({ type: 'testOrder', v: 1, params, clientOrderId: 'panel-test-2' });
    assert.deepEqual(
      of('orderResult').map((r) => [r.action, r.ok]),
      [['test', true]],
    );
    assert.equal((await market.client.myTrades(SYMBOL)).length, before, 'nothing traded');
    await feed.handle({ type: 'placeOrder', v: 1, params, clientOrderId: 'panel-test-3' });
    const fills = of('fill');
    assert.ok(fills.length >= 1, 'the fill is sent');
    assert.ok(fills.every((f) => f.fill.side === 'SELL'));
    assert.equal(D.normalize(fills.reduce((sum, f) => D.add(sum, f.fill.quantity), '0')), '0.002');
  });

  it('refuses, without sending anything: read-only, an invalid order, a bad id, a declined confirmation', async () => {
    const valid = {
      symbol: SYMBOL,
      side: 'BUY' as const,
      type: 'LIMIT' as const,
      timeInForce: 'GTC' as const,
      price: '55000',
      quantity: '0.001',
    };
    const ordersBefore = (await market.client.openOrders(SYMBOL)).length;
    const readOnly = market.feed((m) => posted.push(m), { readOnlyReason: 'Live is read-only.' });
    await readOnly.handle({ type: 'placeOrder', v: 1, params: valid, clientOrderId: 'ro-1' });
    await readOnly.handle({ type: 'testOrder', v: 1, params: valid, clientOrderId: 'ro-2' });
    await readOnly.handle({ type: 'cancelOrder', v: 1, orderId: 1 });
    readOnly.dispose();
    await feed.handle({
      type: 'placeOrder',
      v: 1,
      params: { ...valid, price: '55000.005' },
      clientOrderId: 'bad-price',
    });
    await feed.handle({ type: 'placeOrder', v: 1, params: valid, clientOrderId: 'not valid!' });
    await feed.handle({
      type: 'placeOrder',
      v: 1,
      params: { ...valid, symbol: 'ETHUSDT' },
      clientOrderId: 'other-symbol',
    });
    const declining = market.feed((m) => posted.push(m), { confirmPlace: async () => false });
    await declining.handle({ type: 'placeOrder', v: 1, params: valid, clientOrderId: 'declined' });
    declining.dispose();
    assert.deepEqual(
      of('orderResult').map((r) => [r.action, r.ok, r.message]),
      [
        ['place', false, 'Live is read-only.'],
        ['test', false, 'Live is read-only.'],
        ['cancel', false, 'Live is read-only.'],
        ['place', false, 'Not sent: price 55000.005 is not a multiple of tickSize 0.01; a valid price is 55000.01.'],
        ['place', false, 'Not sent: the request had no valid client order id.'],
        ['place', false, 'Not sent: this panel trades BTCUSDT, not ETHUSDT.'],
        ['place', false, 'Not placed: the confirmation was declined.'],
      ],
    );
    assert.equal((await market.client.openOrders(SYMBOL)).length, ordersBefore, 'nothing reached the exchange');
  });

  it('ignores malformed or unknown view messages', async () => {
    for (const message of [
      null,
      'ready',
      { type: 'ready', v: 2 },
      { type: 'drop', v: 1 },
      { type: 'placeOrder', v: 1, params: null, clientOrderId: 'x' },
      { type: 'cancelOrder', v: 1, orderId: '1' },
    ])
      await feed.handle(message);
    assert.deepEqual(
      posted.filter((m) => m.type === 'snapshot' || m.type === 'orderResult'),
      [],
    );
  });
});
