import * as assert from 'node:assert/strict';
import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { DEFAULT_SYMBOLS, resolveSymbol } from '../../src/sandbox/config';
import { dec } from '../../src/sandbox/decimal';
import { Engine, EngineOrder } from '../../src/sandbox/engine';
import type { EngineCommand } from '../../src/sandbox/engine/commands';
import type { EngineState } from '../../src/sandbox/engine/state';
import { T0 } from './engineHelpers';
import { ACCOUNTS, BALANCES, orderSequence, runOp, runScenario } from './orderSequences';
import { propertySeed, reportingSeed } from './propertySeed';

/** An engine whose clock the test moves; every engine here is built at T0, as a snapshot's base would be. */
function engineAt(clock: { t: number }): Engine {
  return new Engine(DEFAULT_SYMBOLS.map(resolveSymbol), {
    now: () => clock.t,
    retention: { closedOrders: 40, trades: 30 },
  });
}

/** Through the serializer the durable store uses. */
const copyOf = (state: EngineState): EngineState => deserialize(serialize(state)) as EngineState;

/**
 * The same books, orders, indexes, balances and counters, part by part (deepStrictEqual compares
 * Maps, Sets and bigints, in order); and in `actual`, one object per order wherever it is referenced.
 */
function assertSameEngine(actual: Engine, expected: Engine, what: string): void {
  const a = actual.state();
  const e = expected.state();
  for (const part of Object.keys(e) as (keyof EngineState)[])
    assert.deepStrictEqual(a[part], e[part], `${what}: ${part}`);
  assertOrdersShared(a, what);
}

/** Every resting order in a book and every waiting stop is the very object its account's open set holds. */
function assertOrdersShared(state: EngineState, what: string): void {
  const open = new Set<EngineOrder>();
  for (const account of state.history.accounts.values()) for (const order of account.open) open.add(order);
  for (const market of state.markets) {
    for (const level of [...market.book.bids, ...market.book.asks])
      for (const order of level.orders) assert.ok(open.has(order), `${what}: book order ${order.orderId} is a copy`);
    for (const order of market.stops) assert.ok(open.has(order), `${what}: stop order ${order.orderId} is a copy`);
  }
  for (const list of state.lists.lists.values())
    for (const order of list.orders)
      if (order.onBook) assert.ok(open.has(order), `${what}: list leg ${order.orderId} is a copy`);
}

describe('sandbox engine: snapshots and replay', () => {
  it('replaying the journaled commands, from the start or from a snapshot taken midway, gives the same engine (property)', () => {
    const seed = propertySeed();
    reportingSeed(seed, () => {
      fc.assert(
        fc.property(
          orderSequence,
          fc.nat(),
          fc.array(fc.integer({ min: 0, max: 90_000 }), { minLength: 1 }),
          (sequence, cut, steps) => {
            const clock = { t: T0 };
            const live = engineAt(clock);
            const replayed = engineAt({ t: T0 });
            const commands: EngineCommand[] = [];
            live.setCommandListener((command) => commands.push(command));
            const accounts = Array.from({ length: ACCOUNTS }, (_, i) => live.createAccount(`a${i}`, BALANCES));
            runScenario(live, accounts, sequence.scenario);
            const cutAt = cut % (sequence.ops.length + 1);
            let midway: { state: EngineState; commands: number } | undefined;
            for (const [i, op] of sequence.ops.entries()) {
              if (i === cutAt) midway = { state: copyOf(live.state()), commands: commands.length };
              clock.t += steps[i % steps.length]; // minutes apart at times: new candles, new 1s bars
              runOp(live, accounts, op);
            }
            midway ??= { state: copyOf(live.state()), commands: commands.length };

            // Through the serializer, as the journal stores them.
            const journaled = deserialize(serialize(commands)) as EngineCommand[];
            for (const command of journaled) replayed.apply(command);
            assertSameEngine(replayed, live, 'replay from the start');

            const resumed = engineAt({ t: 0 });
            resumed.restore(midway.state);
            for (const command of commands.slice(midway.commands)) resumed.apply(command);
            assertSameEngine(resumed, live, 'replay from a snapshot taken midway');
            resumed.checkInvariants();
            assert.deepEqual(resumed.totals(), live.totals());
          },
        ),
        { numRuns: 60, seed },
      );
    });
  });

  it('a restored engine keeps working like the original: the same answers to the same orders', () => {
    const clock = { t: T0 };
    const original = engineAt(clock);
    const a = original.createAccount('a', BALANCES);
    const b = original.createAccount('b', BALANCES);
    original.placeOrder(a.id, {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      price: dec('60050'),
      quantity: dec('0.05'),
    });
    original.placeOrder(a.id, {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      price: dec('60100'),
      quantity: dec('0.05'),
    });
    const copy = engineAt(clock);
    copy.restore(copyOf(original.state()));
    assertSameEngine(copy, original, 'restored copy');

    clock.t += 1000;
    const sweep = {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'IOC',
      price: dec('60100'),
      quantity: dec('0.08'),
      newClientOrderId: 'sweep',
    } as const;
    const onCopy = copy.placeOrder(b.id, sweep);
    const onOriginal = original.placeOrder(b.id, sweep);
    assert.deepEqual(onCopy.fills, onOriginal.fills);
    assert.equal(onCopy.fills.length, 2, 'the sweep meets both resting orders');
    assert.equal(onCopy.order.orderId, onOriginal.order.orderId);
    assertSameEngine(copy, original, 'restored copy');
    assert.deepEqual(
      copy.openOrders(a.id).map((o) => o.price),
      [dec('60100')],
    );
  });

  it('journals what the engine chose itself, so a replay cannot choose differently', () => {
    const engine = engineAt({ t: T0 });
    const commands: EngineCommand[] = [];
    engine.setCommandListener((command) => commands.push(command));
    const account = engine.createAccount('a', BALANCES);
    const { order } = engine.placeOrder(account.id, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: dec('50000'),
      quantity: dec('0.01'),
    });
    assert.throws(() =>
      engine.placeOrder(account.id, {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        price: dec('50000'),
        quantity: dec('9'),
      }),
    );
    assert.deepEqual(
      commands.map((c) => c.kind),
      ['createAccount', 'placeOrder'],
      'a refused order changed nothing and is not journaled',
    );
    const placed = commands[1] as Extract<EngineCommand, { kind: 'placeOrder' }>;
    assert.equal(placed.input.newClientOrderId, order.clientOrderId, 'the generated client order id is in the journal');
    assert.equal(placed.time, T0);
  });
});
