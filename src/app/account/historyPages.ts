/**
 * One symbol's order history or trades as the Orders view holds it: every page loaded so far,
 * newest first, and where paging stands. The paging itself is historyPaging.ts.
 */
import { initialPagingState, loadOlderPage, mergeNewestPage, PagingState } from './historyPaging';

export interface HistoryPages<T> {
  items: T[];
  paging: PagingState;
  /** Reload the newest page on the next expand (older pages are kept and merged). */
  stale: boolean;
  /** The "Load more" in flight: concurrent clicks share it. */
  loadingMore?: Promise<number>;
  /** How many items the last "Load more" added (0: it searched a range with none of ours). */
  lastAdded?: number;
}

/** The pages after (re)loading the newest page, merged with the older pages loaded before. */
export function withNewestPage<T>(
  fresh: readonly T[],
  previous: HistoryPages<T> | undefined,
  idOf: (item: T) => number,
  limit: number,
): HistoryPages<T> {
  const { items, keptOlder } = mergeNewestPage(fresh, previous?.items ?? [], idOf, limit);
  const paging =
    keptOlder && previous && fresh.length >= limit ? previous.paging : initialPagingState(fresh.map(idOf), limit);
  return { items, paging, stale: false };
}

/** Appends the next older page to `pages`; returns how many items it added. */
export async function addOlderPage<T>(
  pages: HistoryPages<T>,
  idOf: (item: T) => number,
  limit: number,
  fetchFrom: (cursor: number, limit: number) => Promise<readonly T[]>,
): Promise<number> {
  const page = await loadOlderPage({ held: pages.items, idOf, state: pages.paging, limit, fetchFrom });
  pages.items = [...pages.items, ...page.items];
  pages.paging = page.state;
  pages.lastAdded = page.items.length;
  return page.items.length;
}
