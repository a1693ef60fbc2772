/**
 * Paging order history (`allOrders`) and trades (`myTrades`) backwards, newest first. Pure (no
 * `vscode`), so it is unit-tested in plain mocha.
 *
 * Binance's cursors only page forwards: `allOrders` with `orderId` returns the orders with
 * orderId >= that id, oldest first, and `myTrades` with `fromId` the trades with id >= it; without a
 * cursor both return the most recent `limit`. (Time windows are capped at 24 hours, so they cannot
 * walk back across a quiet weekend.) "Oldest id - 1" as a cursor would return the oldest item again
 * plus everything newer, never anything older.
 *
 * So the next older page is found by starting a window below the oldest id we hold: ask from
 * `oldest - span`. The ids are per symbol and shared by every account on the exchange, so how many
 * of *ours* a window holds is not known in advance; the span is estimated from the id density of
 * what is loaded. An answer is only used when it is known to be gap-free:
 *
 * - it reached back into what we hold (its last id is oldest - 1 or above), or it was shorter than `limit`:
 *   then it holds every one of our items in [cursor, oldest), and they are shown;
 * - it was a full page that stopped short of `oldest`: more of ours may lie between its last id
 *   and `oldest`, so nothing is shown yet; the next request asks for a narrower window between the
 *   two. An empty window moves the bound down; when the bound meets that page, the page is shown.
 *   The gap at least halves with each request, and a click that runs out of requests leaves the
 *   proven-empty bound in the state for the next click.
 *
 * Items already held are dropped by id, so a page never shows a duplicate.
 */

export interface PagingState {
  /** Ids below the search bound to ask for next time (carried between "Load more" clicks). */
  span: number;
  /** The first item on the exchange has been reached: no "Load more". */
  done: boolean;
  /**
   * Proven by earlier requests: none of ours lies in [emptyFrom, oldest). Only used while the
   * oldest held id is still `oldest`; it lets a search continue across clicks instead of restarting.
   */
  emptyBelow?: { oldest: number; emptyFrom: number };
}

export interface OlderPage<T> {
  /** Items older than everything held, newest first, no duplicates. May be empty (ask again). */
  items: T[];
  state: PagingState;
  /** Requests this call sent (each costs request weight 20 on Binance). */
  requests: number;
}

/** Binance order and trade ids start at 1; a cursor never goes below it. */
export const FIRST_ID = 1;

/**
 * The state after the first (most recent) page: done when the page was not full (everything there
 * is, is loaded). The span is the id range one full page covered, at least `limit`.
 */
export function initialPagingState(ids: readonly number[], limit: number): PagingState {
  if (ids.length < limit || ids.length === 0) return { span: limit, done: true };
  const lowest = Math.min(...ids);
  if (lowest <= FIRST_ID) return { span: limit, done: true };
  return { span: estimateSpan(ids, limit), done: false };
}

export interface OlderPageRequest<T> {
  /** Everything loaded so far. */
  held: readonly T[];
  idOf: (item: T) => number;
  state: PagingState;
  /** Items per request. */
  limit: number;
  /** Must return the items with id >= cursor, at most `limit` of them (either order). */
  fetchFrom: (cursor: number, limit: number) => Promise<readonly T[]>;
  /** Requests this call may send; default 4. */
  maxRequests?: number;
}

/** Loads the next older page. */
export async function loadOlderPage<T>(request: OlderPageRequest<T>): Promise<OlderPage<T>> {
  const { held, idOf, state, limit, fetchFrom, maxRequests = 4 } = request;
  if (state.done || held.length === 0) return { items: [], state: { span: state.span, done: true }, requests: 0 };
  const heldIds = new Set(held.map(idOf));
  const oldest = Math.min(...heldIds);
  // Search below `hi`: none of ours lies in [hi, oldest).
  let hi = state.emptyBelow?.oldest === oldest ? Math.min(state.emptyBelow.emptyFrom, oldest) : oldest;
  if (hi <= FIRST_ID) return { items: [], state: { span: state.span, done: true }, requests: 0 };
  let span = Math.max(1, Math.floor(state.span));
  let cursor = Math.max(FIRST_ID, hi - span);
  /** The newest full page seen that stopped short of `hi`: a gap-free run of ours [start, last]. */
  let pending: { start: number; last: number; items: T[] } | undefined;
  let requests = 0;
  const answer = (items: T[], windowStart: number): OlderPage<T> => {
    const sorted = [...new Map(items.map((item) => [idOf(item), item])).values()].sort((a, b) => idOf(b) - idOf(a));
    const nextSpan = Math.max(limit, Math.ceil(((oldest - windowStart) * limit) / Math.max(1, sorted.length)));
    return { items: sorted, state: { span: nextSpan, done: windowStart <= FIRST_ID }, requests };
  };
  while (requests < maxRequests) {
    const page = await fetchFrom(cursor, limit);
    requests++;
    const mine = page.filter((item) => idOf(item) < hi && !heldIds.has(idOf(item)));
    const last = page.length > 0 ? Math.max(...page.map(idOf)) : cursor - 1;
    // Reached `hi` (or the id right below it), or a short page: nothing of ours in [cursor, hi) is missing.
    const gapFree = last >= hi - 1 || page.length < limit;
    if (gapFree) {
      if (mine.length > 0) return answer(mine, cursor);
      hi = cursor; // [cursor, oldest) holds none of ours
      if (pending && pending.last + 1 >= hi) return answer(pending.items, pending.start);
      if (hi <= FIRST_ID) return { items: [], state: { span, done: true }, requests };
      if (pending) {
        cursor = nextWindow(pending, hi);
      } else {
        // An empty window (only other accounts' ids, which are most of a busy symbol's): look much further back.
        span = Math.max(span, limit) * 8;
        cursor = Math.max(FIRST_ID, hi - span);
      }
      continue;
    }
    // A full page that stops short of `hi`: ours may continue after it, so it is not shown yet.
    pending = { start: cursor, last, items: mine };
    cursor = nextWindow(pending, hi);
  }
  // Out of requests for this click; the next click carries on where this one stopped.
  return {
    items: [],
    state: { span: Math.max(1, hi - cursor), done: false, emptyBelow: { oldest, emptyFrom: hi } },
    requests,
  };
}

/**
 * The next window [cursor, hi) after a full page [start, last] that stopped short of `hi`: at least
 * half the gap (so the gap halves, whatever happens), or about half a page at that page's density,
 * whichever reaches further back; never before last + 1.
 */
function nextWindow(pending: { start: number; last: number }, hi: number): number {
  const halfPage = hi - Math.ceil((pending.last - pending.start + 1) / 2);
  const halfGap = pending.last + 1 + Math.floor((hi - pending.last - 1) / 2);
  return Math.max(pending.last + 1, Math.min(halfPage, halfGap));
}

/**
 * Merges a freshly loaded newest page with older pages loaded before (a refresh must not throw
 * away what "Load more" fetched). Newer data wins by id. When the fresh page is full and does not
 * reach back to what was held, something lies between them: the older pages are dropped and
 * paging restarts from the fresh page. Returns the merged items, newest first.
 */
export function mergeNewestPage<T>(
  fresh: readonly T[],
  held: readonly T[],
  idOf: (item: T) => number,
  limit: number,
): { items: T[]; keptOlder: boolean } {
  const byId = new Map<number, T>();
  for (const item of fresh) byId.set(idOf(item), item);
  const sortDesc = (items: T[]): T[] => items.sort((a, b) => idOf(b) - idOf(a));
  if (fresh.length === 0 || held.length === 0) return { items: sortDesc([...byId.values()]), keptOlder: false };
  const freshOldest = Math.min(...fresh.map(idOf));
  const heldNewest = Math.max(...held.map(idOf));
  if (fresh.length >= limit && freshOldest > heldNewest)
    return { items: sortDesc([...byId.values()]), keptOlder: false };
  // Items at or above the fresh page's oldest id come from the fresh page only; older held ones stay.
  for (const item of held) if (idOf(item) < freshOldest && !byId.has(idOf(item))) byId.set(idOf(item), item);
  return { items: sortDesc([...byId.values()]), keptOlder: true };
}

function estimateSpan(ids: readonly number[], limit: number): number {
  const range = Math.max(...ids) - Math.min(...ids) + 1;
  return Math.max(limit, Math.ceil((range * limit) / ids.length));
}
