import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertConserved, newEngine } from './engineHelpers';
import { ACCOUNTS, BALANCES, orderSequence, runOp, runScenario } from './orderSequences';
import { propertySeed, reportingSeed } from './propertySeed';

describe('sandbox engine (property)', () => {
  it('conserves every asset over random order sequences (property)', () => {
    const seed = propertySeed();
    let fills = 0;
    let triggered = 0;
    let lists = 0;
    let listsEnded = 0;
    reportingSeed(seed, () => {
      fc.assert(
        fc.property(orderSequence, ({ scenario, ops }) => {
          const e = newEngine();
          const accounts = Array.from({ length: ACCOUNTS }, (_, i) => e.createAccount(`a${i}`, BALANCES));
          const before = e.totals();
          const run = { fills: 0, triggered: 0, lists: 0, listsEnded: 0 };
          e.onEvent((ev) => {
            if (ev.kind === 'execution' && ev.execType === 'NEW' && ev.order.stopPrice > 0n && ev.order.working)
              run.triggered++;
            if (ev.kind === 'execution' && ev.execType === 'EXPIRED' && ev.order.orderListId >= 0) run.listsEnded++;
            if (ev.kind === 'listStatus' && ev.list.listStatusType === 'EXEC_STARTED') run.lists++;
          });

          run.fills += runScenario(e, accounts, scenario);
          assertConserved(e, before);
          // What the opening scenario guarantees, checked for every sequence.
          assert.ok(run.fills > 0, 'the opening sweep trades');
          assert.ok(run.triggered > 0, 'the opening sweep triggers the stop order');
          assert.equal(run.lists, 1, 'the opening OCO is placed');
          assert.ok(run.listsEnded > 0, "the opening sweep expires one of the OCO's legs");

          for (const o of ops) {
            run.fills += runOp(e, accounts, o);
            assertConserved(e, before);
            const traded = new Set<number>();
            for (const order of e.allOrders(accounts[o.account].id, o.symbol)) {
              assert.ok(order.executedQty <= order.origQty || order.origQty === 0n);
              if (order.orderListId < 0 || order.executedQty === 0n) continue;
              assert.ok(!traded.has(order.orderListId), `both legs of order list ${order.orderListId} traded`);
              traded.add(order.orderListId);
            }
          }
          fills += run.fills;
          triggered += run.triggered;
          lists += run.lists;
          listsEnded += run.listsEnded;
        }),
        { numRuns: 150, seed },
      );
      // Every sequence contributes at least one of each (asserted above), so these hold by construction.
      assert.ok(fills > 100, `the sequences should trade (got ${fills} fills)`);
      assert.ok(triggered > 20, `stop orders should trigger (got ${triggered})`);
      assert.ok(lists > 20, `OCOs should be placed (got ${lists})`);
      assert.ok(listsEnded > 10, `OCO legs should expire by their sibling's fill or trigger (got ${listsEnded})`);
    });
  });
});
