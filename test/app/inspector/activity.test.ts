import * as assert from 'node:assert/strict';
import { activityDescription, activityLabel, ActivityList } from '../../../src/app/inspector/activity';
import { executionFromReport, orderFromReport, type ExecutionReport } from '../../../src/core/userDataEvents';

const report = (over: Partial<ExecutionReport>): ExecutionReport => ({
  e: 'executionReport',
  E: 1_000,
  s: 'ETHBTC',
  c: 'bot-17',
  S: 'BUY',
  o: 'LIMIT',
  f: 'GTC',
  q: '0.3',
  p: '0.05',
  x: 'NEW',
  X: 'NEW',
  i: 42,
  z: '0',
  Z: '0',
  ...over,
});

describe('Activity feed', () => {
  it('lists every execution of any symbol; a fill with its price, fee and the average so far, and a notification hook', () => {
    const list = new ActivityList();
    const fills: string[] = [];
    list.onFill((e) => fills.push(e.key));
    const add = (r: ExecutionReport) => list.add('Local sandbox', orderFromReport(r), executionFromReport(r));
    add(report({}));
    const first = add(
      report({
        x: 'TRADE',
        X: 'PARTIALLY_FILLED',
        z: '0.1',
        Z: '0.005',
        l: '0.1',
        L: '0.05',
        n: '0.0001',
        N: 'ETH',
        t: 7,
        T: 1_500,
      }),
    );
    const second = add(
      report({
        x: 'TRADE',
        X: 'FILLED',
        z: '0.3',
        Z: '0.0150060',
        l: '0.2',
        L: '0.05003',
        n: '0.0002',
        N: 'ETH',
        t: 8,
      }),
    );
    assert.deepEqual(
      list.entries().map((e) => e.execType),
      ['TRADE', 'TRADE', 'NEW'],
      'newest first',
    );
    assert.deepEqual(first.fill, {
      quantity: '0.1',
      price: '0.05',
      commission: '0.0001',
      commissionAsset: 'ETH',
      tradeId: 7,
    });
    assert.equal(first.time, 1_500, 'the trade time');
    assert.equal(first.averagePrice, '0.05');
    assert.equal(second.averagePrice, '0.05002', 'the quote spent over the quantity filled, so far');
    assert.deepEqual(fills, [first.key, second.key], 'a notification hook per fill, not for NEW');
    assert.equal(activityLabel(second), 'ETHBTC BUY LIMIT');
    assert.match(activityDescription(first), /^filled 0\.1 @ 0\.05 · fee 0\.0001 ETH · avg 0\.05 · 0\.1 of 0\.3$/);
    assert.match(activityDescription(second), / · done$/);
    assert.equal(activityDescription(list.entries()[2]), 'new 0.3');
  });

  it('keeps the newest entries only', () => {
    const list = new ActivityList(2);
    for (let i = 0; i < 5; i++) list.add('x', orderFromReport(report({ i })), executionFromReport(report({ i })));
    assert.deepEqual(
      list.entries().map((e) => e.orderId),
      [4, 3],
    );
  });
});
