import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as D from '../../../src/core/decimal';
import type { BookLevel } from '../../../src/core/market/bookSide';
import { DepthDiff, LocalOrderBook } from '../../../src/core/market/orderBook';

const diff = (U: number, u: number, b: BookLevel[] = [], a: BookLevel[] = []): DepthDiff => ({ U, u, b, a });
const snapshot = (lastUpdateId: number, bids: BookLevel[], asks: BookLevel[]) => ({ lastUpdateId, bids, asks });

describe('local order book: snapshot plus diff depth events', () => {
  it('buffers events, drops those the snapshot covers, applies the straddling one and the rest', () => {
    const book = new LocalOrderBook();
    assert.equal(book.state, 'awaiting-snapshot');
    const events = [
      diff(101, 105, [['99', '7']]), // covered by the snapshot (u <= 110): dropped
      diff(106, 112, [['100', '0']], [['101', '3']]), // straddles 111: applied
      diff(113, 113, [['98.5', '1']]),
    ];
    for (const e of events) assert.deepEqual(book.applyDiff(e), { kind: 'buffered' });
    const outcome = book.applySnapshot(
      snapshot(
        110,
        [
          ['100.00000000', '2.00000000'],
          ['99.00000000', '1.00000000'],
        ],
        [['101.00000000', '1.00000000']],
      ),
    );
    assert.deepEqual(outcome, { kind: 'synced', applied: 2, dropped: 1 });
    assert.equal(book.state, 'synced');
    assert.equal(book.lastUpdateId, 113);
    assert.deepEqual(book.top(5), {
      bids: [
        ['99.00000000', '1.00000000'],
        ['98.5', '1'],
      ],
      asks: [['101', '3']],
    });
    // "100" and "100.00000000" are one level: the zero removed it.
    assert.equal(book.bids.quantity('100'), undefined);
  });

  it('a skipped update id forces a resync: the book empties and buffers from that event', () => {
    const book = new LocalOrderBook();
    book.applySnapshot(snapshot(10, [['5', '1']], [['6', '1']]));
    assert.equal(book.applyDiff(diff(11, 12, [['5', '2']])).kind, 'applied');
    const gap = book.applyDiff(diff(14, 15, [['4', '1']]));
    assert.deepEqual(gap, { kind: 'gap', expectedU: 13, gotU: 14 });
    assert.equal(book.state, 'resync-needed');
    assert.equal(book.lastUpdateId, undefined);
    assert.deepEqual(book.top(5), { bids: [], asks: [] });
    assert.deepEqual(book.applyDiff(diff(16, 16, [], [['6', '0']])), { kind: 'buffered' });
    assert.equal(book.bufferedCount, 2);
    // A fresh snapshot at 14 covers update 13 that was missed; 14..15 and 16 apply on top.
    const outcome = book.applySnapshot(snapshot(14, [['5', '2']], [['6', '1']]));
    assert.deepEqual(outcome, { kind: 'synced', applied: 2, dropped: 0 });
    assert.deepEqual(book.top(5), {
      bids: [
        ['5', '2'],
        ['4', '1'],
      ],
      asks: [],
    });
  });

  it('ignores stale and repeated events once synced', () => {
    const book = new LocalOrderBook();
    book.applySnapshot(snapshot(20, [['1', '1']], []));
    assert.equal(book.applyDiff(diff(19, 22, [['1', '3']])).kind, 'applied');
    assert.deepEqual(book.applyDiff(diff(19, 22, [['1', '9']])), { kind: 'stale' });
    assert.deepEqual(book.applyDiff(diff(15, 18, [['1', '9']])), { kind: 'stale' });
    assert.equal(book.bids.quantity('1'), '3');
    assert.equal(book.lastUpdateId, 22);
  });

  it('refuses a snapshot older than the first buffered event, then takes a newer one', () => {
    const book = new LocalOrderBook();
    book.applyDiff(diff(50, 52, [['10', '1']]));
    assert.deepEqual(book.applySnapshot(snapshot(40, [['9', '1']], [])), {
      kind: 'too-old',
      lastUpdateId: 40,
      firstBufferedU: 50,
    });
    assert.equal(book.state, 'awaiting-snapshot');
    assert.equal(book.bufferedCount, 1);
    assert.deepEqual(book.top(1), { bids: [], asks: [] });
    // lastUpdateId 49: the first event (50..52) starts exactly at lastUpdateId + 1.
    assert.equal(book.applySnapshot(snapshot(49, [['9', '1']], [])).kind, 'synced');
    assert.deepEqual(book.bids.top(2), [
      ['10', '1'],
      ['9', '1'],
    ]);
  });

  it('the first event after a snapshot must straddle lastUpdateId + 1', () => {
    const book = new LocalOrderBook();
    book.applySnapshot(snapshot(30, [], []));
    assert.deepEqual(book.applyDiff(diff(32, 33)), { kind: 'gap', expectedU: 31, gotU: 32 });
    assert.equal(book.state, 'resync-needed');
  });

  it('a gap inside the buffer is found when the snapshot is applied', () => {
    const book = new LocalOrderBook();
    book.applyDiff(diff(5, 6, [['1', '1']]));
    book.applyDiff(diff(8, 9, [['2', '1']]));
    book.applyDiff(diff(10, 10, [['3', '1']]));
    assert.deepEqual(book.applySnapshot(snapshot(5, [], [])), { kind: 'gap', expectedU: 7, gotU: 8 });
    assert.equal(book.state, 'resync-needed');
    assert.equal(book.bufferedCount, 2, 'the gap event and the one after it wait for the next snapshot');
  });

  it('keeps a bounded buffer while no snapshot comes; the dropped start makes an old snapshot too old', () => {
    const book = new LocalOrderBook({ maxBuffered: 3 });
    for (let id = 1; id <= 5; id++) book.applyDiff(diff(id, id, [['1', String(id)]]));
    assert.equal(book.bufferedCount, 3);
    assert.equal(book.applySnapshot(snapshot(1, [], [])).kind, 'too-old');
    assert.equal(book.applySnapshot(snapshot(2, [], [])).kind, 'synced');
    assert.equal(book.bids.quantity('1'), '5');
  });

  it('orders prices exactly, beyond what a float can tell apart', () => {
    const book = new LocalOrderBook();
    book.applySnapshot(
      snapshot(
        1,
        [
          ['12345678901234567.1', '1'],
          ['12345678901234567.2', '1'],
          ['0.09', '1'],
        ],
        [
          ['12345678901234567.3', '1'],
          ['0.1', '1'],
        ],
      ),
    );
    assert.deepEqual(
      book.bids.top(3).map(([p]) => p),
      ['12345678901234567.2', '12345678901234567.1', '0.09'],
    );
    assert.deepEqual(
      book.asks.top(3).map(([p]) => p),
      ['0.1', '12345678901234567.3'],
    );
  });

  it('property: a snapshot taken at any point and delivered later gives the reference book (seeded)', () => {
    const seed = Number(process.env.FC_SEED ?? 20260302);
    const price = fc.integer({ min: 1, max: 400 }).map((n) => D.div(String(n), '4', 2)); // 0.25 .. 100
    const change = fc.tuple(price, fc.oneof(fc.constant('0'), fc.integer({ min: 1, max: 9 }).map(String)));
    const event = fc.record({
      b: fc.array(change, { maxLength: 6 }),
      a: fc.array(change, { maxLength: 6 }),
      padded: fc.boolean(), // the exchange writes "25.50000000"; keys must not depend on it
      span: fc.integer({ min: 1, max: 3 }), // update ids one event covers
    });
    const normalizedTop = (levels: readonly BookLevel[]): string[] => levels.map(([p, q]) => `${D.normalize(p)}@${q}`);
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 60 }), fc.nat(), fc.nat(), (events, x, y) => {
        const takenAt = x % (events.length + 1);
        const deliveredAt = takenAt + (y % (events.length + 1 - takenAt));
        const reference = { b: new Map<string, string>(), a: new Map<string, string>() };
        const book = new LocalOrderBook();
        let id = 0;
        let taken: ReturnType<typeof snapshot> | undefined;
        const deliver = (): void => {
          assert.equal(book.applySnapshot(taken!).kind, 'synced');
        };
        for (const [i, e] of events.entries()) {
          if (i === takenAt) taken = snapshot(id, [...reference.b], [...reference.a]);
          if (i === deliveredAt) deliver();
          const U = id + 1;
          id += e.span;
          const text = (p: string): string => (e.padded ? D.formatFixed(p, 8) : p);
          for (const side of ['b', 'a'] as const)
            for (const [p, q] of e[side]) {
              if (q === '0') reference[side].delete(p);
              else reference[side].set(p, q);
            }
          book.applyDiff({
            U,
            u: id,
            b: e.b.map(([p, q]) => [text(p), q] as BookLevel),
            a: e.a.map(([p, q]) => [text(p), q] as BookLevel),
          });
        }
        if (takenAt === events.length) taken = snapshot(id, [...reference.b], [...reference.a]);
        if (deliveredAt === events.length) deliver();
        const sorted = (m: Map<string, string>, desc: boolean): BookLevel[] =>
          [...m].sort(([p], [q]) => (desc ? D.compare(q, p) : D.compare(p, q))).slice(0, 10);
        assert.equal(book.state, 'synced');
        assert.equal(book.lastUpdateId, id);
        assert.deepEqual(normalizedTop(book.bids.top(10)), normalizedTop(sorted(reference.b, true)));
        assert.deepEqual(normalizedTop(book.asks.top(10)), normalizedTop(sorted(reference.a, false)));
        assert.equal(book.bids.size, reference.b.size);
        assert.equal(book.asks.size, reference.a.size);
      }),
      { seed, numRuns: 300 },
    );
  });
});
