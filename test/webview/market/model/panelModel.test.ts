import assert from 'node:assert/strict';
import type { PublicTrade } from '../../../../src/core/market/marketEvents';
import {
  barIndexAt,
  isHostMessage,
  MAX_BARS,
  MAX_TRADES,
  PanelModel,
} from '../../../../src/webview/market/model/panelModel';
import type { HostMessage, SnapshotMessage } from '../../../../src/webview/market/protocol';
import { fill, kline, order, snapshot, T0, trade } from '../../../support/marketPanel';

const loaded = (over: Partial<SnapshotMessage> = {}): PanelModel => {
  const model = new PanelModel();
  assert.equal(model.apply(snapshot(over)).kind, 'reset');
  return model;
};

describe('market panel model: messages', () => {
  it('reads only version 1 messages of known types, and nothing but a snapshot before the first', () => {
    assert.equal(isHostMessage({ type: 'kline', v: 2 }), false);
    assert.equal(isHostMessage({ type: 'nonsense', v: 1 }), false);
    assert.equal(isHostMessage(null), false);
    assert.equal(isHostMessage('snapshot'), false);
    const model = new PanelModel();
    assert.deepEqual(model.apply({ type: 'kline', v: 1, kline: kline(3) }), {
      kind: 'ignored',
      reason: 'no snapshot yet',
    });
    assert.equal(model.ready, false);
    assert.equal(model.apply({ ...snapshot(), v: 2 }).kind, 'ignored');
    assert.equal(model.apply(snapshot()).kind, 'reset');
    assert.equal(model.ready, true);
  });

  it('a snapshot replaces everything: book, trades newest first, balances, orders', () => {
    const model = loaded();
    assert.deepEqual(model.bids.top(5), [
      ['59999.00', '1'],
      ['59998.00', '2'],
    ]);
    assert.equal(model.bestAsk(), '60001.00');
    assert.equal(model.lastUpdateId, 100);
    assert.deepEqual(
      model.trades.map((t) => t.id),
      [3, 2, 1],
    );
    assert.deepEqual(model.freeBalances, { USDT: '1000' });
    assert.equal(model.lastPrice(), '60005', 'no ticker: the last candle close');
    const again = model.apply(snapshot({ book: { state: 'resync-needed' }, trades: [], openOrders: [] }));
    assert.equal(again.kind, 'reset');
    assert.equal(model.bids.size + model.asks.size, 0);
    assert.equal(model.bookState, 'resync-needed');
    assert.equal(model.lastUpdateId, undefined);
  });

  it('a stream candle replaces the running bar, appends a new one, edits an older one, or is ignored', () => {
    const model = loaded();
    const running = kline(2, { close: '60100', closed: false });
    assert.deepEqual(model.apply({ type: 'kline', v: 1, kline: running }), {
      kind: 'bar',
      bar: running,
      appended: false,
      historical: false,
    });
    assert.equal(model.klines.length, 3);
    assert.equal(model.klines[2].close, '60100');
    const next = kline(3, { closed: false });
    assert.equal((model.apply({ type: 'kline', v: 1, kline: next }) as { appended: boolean }).appended, true);
    assert.equal(model.klines.length, 4);
    const older = kline(1, { close: '1' });
    assert.deepEqual(model.apply({ type: 'kline', v: 1, kline: older }), {
      kind: 'bar',
      bar: older,
      appended: false,
      historical: true,
    });
    assert.equal(model.klines[1].close, '1');
    const between = kline(1, { openTime: T0 + 1.5 * 60_000 });
    assert.equal(model.apply({ type: 'kline', v: 1, kline: between }).kind, 'ignored');
    assert.equal(model.apply({ type: 'kline', v: 1, kline: kline(4, { interval: '5m' }) }).kind, 'ignored');
    assert.equal(model.apply({ type: 'kline', v: 1, kline: kline(4, { symbol: 'ETHUSDT' }) }).kind, 'ignored');
    assert.equal(model.klines.length, 4);
  });

  it('keeps at most MAX_BARS candles, dropping the oldest', () => {
    const model = loaded({ klines: Array.from({ length: MAX_BARS + 5 }, (_, i) => kline(i)) });
    assert.equal(model.klines.length, MAX_BARS);
    assert.equal(model.klines[0].openTime, kline(5).openTime);
    model.apply({ type: 'kline', v: 1, kline: kline(MAX_BARS + 5) });
    assert.equal(model.klines.length, MAX_BARS);
    assert.equal(model.klines[0].openTime, kline(6).openTime);
  });

  it('book changes set and remove levels and carry the update id; a book message replaces the book', () => {
    const model = loaded();
    const change = {
      bids: [
        ['59999.00', '0.00000000'],
        ['59999.50', '4'],
      ] as [string, string][],
      asks: [['60001.00', '0.5']] as [string, string][],
    };
    assert.deepEqual(model.apply({ type: 'bookChange', v: 1, change, lastUpdateId: 101 }), {
      kind: 'bookChange',
      change,
    });
    assert.deepEqual(model.bids.top(3), [
      ['59999.50', '4'],
      ['59998.00', '2'],
    ]);
    assert.equal(model.asks.quantity('60001'), '0.5');
    assert.equal(model.lastUpdateId, 101);
    model.apply({ type: 'book', v: 1, state: 'resync-needed' });
    assert.equal(model.bids.size, 0);
    model.apply({
      type: 'book',
      v: 1,
      state: 'synced',
      content: { lastUpdateId: 200, bids: [['1', '1']], asks: [['2', '1']] },
    });
    assert.equal(model.bestBid(), '1');
    assert.equal(model.lastUpdateId, 200);
  });

  it('trades: newest first, no repeats (they may be in the snapshot already), at most MAX_TRADES', () => {
    const model = loaded();
    assert.equal(model.apply({ type: 'trade', v: 1, trade: trade(3) }).kind, 'ignored');
    const added = model.apply({ type: 'trade', v: 1, trade: trade(4) });
    assert.deepEqual(added, { kind: 'trade', trade: trade(4) });
    for (let id = 5; id < 5 + MAX_TRADES; id++) model.apply({ type: 'trade', v: 1, trade: trade(id) });
    assert.equal(model.trades.length, MAX_TRADES);
    const last = model.apply({ type: 'trade', v: 1, trade: trade(100) });
    assert.equal((last as { dropped?: PublicTrade }).dropped?.id, 5, 'the oldest kept');
    assert.equal(model.trades[0].id, 100);
  });

  it('orders: says which were added, removed and changed', () => {
    const model = loaded({ openOrders: [order(1), order(2), order(3)] });
    const change = model.apply({
      type: 'orders',
      v: 1,
      openOrders: [order(1), order(2, { executedQty: '0.0005' }), order(4)],
    });
    assert.deepEqual(change, {
      kind: 'orders',
      added: [order(4)],
      removed: [order(3)],
      changed: [order(2, { executedQty: '0.0005' })],
    });
    // The same order written with other zeros is not a change.
    const same = model.apply({
      type: 'orders',
      v: 1,
      openOrders: [order(1, { price: '59000' }), order(2, { executedQty: '0.00050000' }), order(4)],
    });
    assert.deepEqual(same, { kind: 'orders', added: [], removed: [], changed: [] });
  });

  it('fills are kept once each; balances, connection and order results pass through', () => {
    const model = loaded();
    assert.equal(model.apply({ type: 'fill', v: 1, fill: fill(7) }).kind, 'fill');
    assert.equal(model.apply({ type: 'fill', v: 1, fill: fill(7) }).kind, 'ignored');
    assert.equal(model.fills.length, 1);
    model.apply({ type: 'balances', v: 1, balances: [{ asset: 'BTC', free: '2', locked: '0' }] });
    assert.deepEqual(model.freeBalances, { BTC: '2' });
    model.apply({ type: 'connection', v: 1, state: 'backoff', retryInMs: 500 });
    assert.equal(model.connection, 'backoff');
    const result: HostMessage = { type: 'orderResult', v: 1, action: 'place', ok: true, message: 'Placed.' };
    assert.deepEqual(model.apply(result), { kind: 'orderResult', result });
  });

  it('barIndexAt finds the bar open at a time by binary search', () => {
    const bars = [kline(0), kline(1), kline(2)];
    assert.equal(barIndexAt(bars, T0 - 1), undefined);
    assert.equal(barIndexAt(bars, T0), 0);
    assert.equal(barIndexAt(bars, T0 + 60_000 - 1), 0);
    assert.equal(barIndexAt(bars, T0 + 2 * 60_000 + 5), 2);
    assert.equal(barIndexAt(bars, T0 + 99 * 60_000), 2);
    assert.equal(barIndexAt([], T0), undefined);
  });
});
