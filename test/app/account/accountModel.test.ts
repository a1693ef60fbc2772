import assert from 'node:assert/strict';
import { AccountModel } from '../../../src/app/account/accountModel';
import type { Balance, Order } from '../../../src/core/api';
import { SPOT_TESTNET } from '../../../src/core/environments';
import { Emitter } from '../../../src/core/events';
import { MemoryLog, MemoryMemento } from '../../support/memory';

/** A client whose account and openOrders answers the test releases one by one. */
function setUp() {
  const pending: { resolve: (value: unknown) => void; what: string }[] = [];
  let requests = 0;
  const answer = (what: string) => () =>
    new Promise((resolve) => {
      requests++;
      pending.push({ resolve, what });
    });
  const client = {
    account: answer('account'),
    tickerPrices: async () => [],
    openOrders: answer('openOrders'),
    allOrders: async () => [],
    myTrades: async () => [],
  };
  const source = { environment: SPOT_TESTNET, hasKey: true, client: client as never };
  const identity = new Emitter<unknown>();
  const changes: string[] = [];
  const model = new AccountModel({
    source,
    identityChanged: identity.event,
    state: new MemoryMemento(),
    valuationAsset: () => '',
    log: new MemoryLog(),
  });
  model.onDidChange((c) => changes.push(`${c.section}:${c.cause}`));
  const release = (what: string, value: unknown) => {
    const i = pending.findIndex((p) => p.what === what);
    pending.splice(i, 1)[0].resolve(value);
  };
  return { model, source, identity, changes, release, requests: () => requests };
}

const btc = (free: string): Balance => ({ asset: 'BTC', free, locked: '0' });

describe('account model', () => {
  it('the identity event resets it: a new generation, nothing kept, and an answer for the old key is dropped', async () => {
    const { model, identity, changes, release } = setUp();
    const refresh = model.balances.refresh();
    assert.equal(model.balances.status.state, 'loading');
    identity.fire(undefined);
    assert.equal(model.generation, 1);
    release('account', { balances: [btc('1')] });
    assert.equal(await refresh, false, 'the answer belonged to the previous key');
    assert.deepEqual(model.balances.rows, []);
    assert.ok(changes.includes('balances:reset') && changes.includes('orders:reset'));
  });

  it('of two overlapping refreshes only the newer answer is applied, whatever order they arrive in', async () => {
    const { model, release } = setUp();
    const older = model.orders.refresh();
    const newer = model.orders.refresh();
    const order = { symbol: 'BTCUSDT', orderId: 2, status: 'NEW', time: 0 } as Order;
    release('openOrders', [{ ...order, orderId: 1 }]); // the older request answers last…
    release('openOrders', [order]);
    assert.deepEqual(await Promise.all([older, newer]), [false, true]);
    assert.deepEqual(
      model.orders.openOrders.map((o) => o.orderId),
      [2],
    );
    assert.equal(model.orders.status.state, 'ready');
  });

  it('without a key a refresh sends nothing and says so; a stream update needs no request', async () => {
    const { model, source, changes, requests } = setUp();
    (source as { hasKey: boolean }).hasKey = false;
    assert.equal(await model.balances.refresh(), false);
    assert.equal(model.balances.status.state, 'noKey');
    assert.equal(requests(), 0);
    model.balances.applyPositions([btc('2')]);
    assert.deepEqual(
      model.balances.rows.map((r) => r.total),
      ['2'],
    );
    assert.equal(changes.at(-1), 'balances:stream');
  });
});
