import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  initialPagingState,
  loadOlderPage,
  mergeNewestPage,
  PagingState,
} from '../../../src/app/account/historyPaging';

/** Binance's allOrders/myTrades cursor semantics over the ids of one account: id >= cursor, oldest first. */
function exchange(ours: number[]) {
  const sorted = [...ours].sort((a, b) => a - b);
  const calls: number[] = [];
  return {
    calls,
    newest: (limit: number) => sorted.slice(-limit),
    fetchFrom: async (cursor: number, limit: number) => {
      calls.push(cursor);
      return sorted.filter((id) => id >= cursor).slice(0, limit);
    },
  };
}

const id = (n: number): number => n;

/** Clicks "Load more" until done (or a click budget runs out); returns everything shown, in order. */
async function loadAll(ours: number[], limit: number, clicks = 200): Promise<{ shown: number[]; clicks: number }> {
  const ex = exchange(ours);
  let shown = [...ex.newest(limit)].sort((a, b) => b - a);
  let state: PagingState = initialPagingState(shown, limit);
  let n = 0;
  while (!state.done && n < clicks) {
    const page = await loadOlderPage({ held: shown, idOf: id, state, limit, fetchFrom: ex.fetchFrom });
    shown = [...shown, ...page.items];
    state = page.state;
    n++;
  }
  return { shown, clicks: n };
}

describe('history paging ("Load more…")', () => {
  it('a first page shorter than the limit is everything: no "Load more"', () => {
    assert.equal(initialPagingState([5, 4, 3], 50).done, true);
    assert.equal(initialPagingState([], 50).done, true);
    assert.equal(initialPagingState([100, 99], 2).done, false);
    assert.equal(initialPagingState([2, 1], 2).done, true, 'id 1 is the first there can be');
  });

  it('asks from below the oldest id (orderId/fromId are lower bounds), never from oldest - 1', async () => {
    const ours = Array.from({ length: 30 }, (_, i) => 1000 + i * 10); // 1000..1290, every 10th id is ours
    const ex = exchange(ours);
    const held = ex.newest(10).sort((a, b) => b - a); // 1200..1290
    const state = initialPagingState(held, 10);
    const page = await loadOlderPage({ held, idOf: id, state, limit: 10, fetchFrom: ex.fetchFrom });
    assert.ok(
      ex.calls.every((c) => c < 1200),
      `cursors ${ex.calls}`,
    );
    assert.ok(page.items.length >= 5, `${page.items}`);
    assert.deepEqual(
      page.items,
      [1190, 1180, 1170, 1160, 1150, 1140, 1130, 1120, 1110, 1100].slice(0, page.items.length),
      'the newest older ones, no gap',
    );
    assert.equal(page.state.done, false);
    assert.equal(page.requests, 1);
  });

  it('a full page below the oldest id is not shown (there may be a gap); it narrows the window to close it', async () => {
    // Dense older history: 200 of ours right below the held page.
    const ours = [
      ...Array.from({ length: 200 }, (_, i) => 5000 + i),
      ...Array.from({ length: 5 }, (_, i) => 100_000 + i * 1000),
    ];
    const ex = exchange(ours);
    const held = ex.newest(5).sort((a, b) => b - a);
    const page = await loadOlderPage({
      held,
      idOf: id,
      state: initialPagingState(held, 5),
      limit: 5,
      fetchFrom: ex.fetchFrom,
      maxRequests: 20,
    });
    assert.ok(page.items.length > 0);
    assert.deepEqual(
      page.items,
      Array.from({ length: page.items.length }, (_, i) => 5199 - i),
      'the newest of the older ones, contiguous with what is held',
    );
  });

  it('an empty window (only other accounts traded) widens the search', async () => {
    const ours = [10, 11, 12, 1_000_000, 1_000_001];
    const ex = exchange(ours);
    const held = [1_000_001, 1_000_000];
    const page = await loadOlderPage({
      held,
      idOf: id,
      state: { span: 2, done: false },
      limit: 2,
      fetchFrom: ex.fetchFrom,
      maxRequests: 40,
    });
    assert.deepEqual(page.items, [12, 11].slice(0, page.items.length));
    assert.ok(page.items.length > 0);
    assert.equal(page.state.done, false);
  });

  it('stops at id 1 and says so', async () => {
    const { shown } = await loadAll([1, 2, 3, 4, 5, 6, 7], 3);
    assert.deepEqual(shown, [7, 6, 5, 4, 3, 2, 1]);
    const ex = exchange([1, 2, 3]);
    const page = await loadOlderPage({
      held: [1, 2],
      idOf: id,
      state: { span: 3, done: false },
      limit: 2,
      fetchFrom: ex.fetchFrom,
    });
    assert.deepEqual(page, { items: [], state: { span: 3, done: true }, requests: 0 });
  });

  it('never sends more than maxRequests for one click', async () => {
    const ours = [...Array.from({ length: 1000 }, (_, i) => i + 1), 50_000, 50_001];
    const ex = exchange(ours);
    const page = await loadOlderPage({
      held: [50_001, 50_000],
      idOf: id,
      state: { span: 49_990, done: false },
      limit: 2,
      fetchFrom: ex.fetchFrom,
      maxRequests: 3,
    });
    assert.equal(ex.calls.length, 3);
    assert.equal(page.requests, 3);
    assert.deepEqual(page.items, []);
    assert.equal(page.state.done, false, 'the next click carries on');
    assert.ok(
      page.state.emptyBelow && page.state.emptyBelow.emptyFrom < 50_000,
      'with the part proven empty remembered',
    );
  });

  it('property: clicking until done shows every item exactly once, newest first, with no gap', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 5000 }), { minLength: 0, maxLength: 150 }),
        fc.integer({ min: 1, max: 20 }),
        async (ours, limit) => {
          const { shown } = await loadAll(ours, limit);
          assert.deepEqual(
            shown,
            [...ours].sort((a, b) => b - a),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: after any number of clicks what is shown is a gap-free newest-first prefix', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 0, max: 6 }),
        async (ours, limit, clicks) => {
          const { shown } = await loadAll(ours, limit, clicks);
          assert.deepEqual(shown, [...ours].sort((a, b) => b - a).slice(0, shown.length));
        },
      ),
      { numRuns: 150 },
    );
  });

  describe('refresh merges the newest page with the older pages already loaded', () => {
    const byId = (items: { id: number; v: string }[]) => items.map((i) => `${i.id}${i.v}`);
    const idOf = (i: { id: number }) => i.id;

    it('keeps older pages, takes newer data by id, no duplicates', () => {
      const held = [
        { id: 9, v: 'a' },
        { id: 8, v: 'a' },
        { id: 7, v: 'a' },
        { id: 6, v: 'a' },
        { id: 5, v: 'a' },
      ];
      const fresh = [
        { id: 10, v: 'b' },
        { id: 9, v: 'b' },
        { id: 8, v: 'b' },
      ];
      const merged = mergeNewestPage(fresh, held, idOf, 3);
      assert.deepEqual(byId(merged.items), ['10b', '9b', '8b', '7a', '6a', '5a']);
      assert.equal(merged.keptOlder, true);
    });

    it('drops the older pages when a full fresh page no longer reaches them (a gap)', () => {
      const held = [
        { id: 5, v: 'a' },
        { id: 4, v: 'a' },
      ];
      const fresh = [
        { id: 12, v: 'b' },
        { id: 11, v: 'b' },
        { id: 10, v: 'b' },
      ];
      const merged = mergeNewestPage(fresh, held, idOf, 3);
      assert.deepEqual(byId(merged.items), ['12b', '11b', '10b']);
      assert.equal(merged.keptOlder, false);
    });
  });
});
