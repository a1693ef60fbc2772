/**
 * The orders of the active key: the open orders (refreshed, and patched by the stream), the
 * symbols the user keeps in view, and each symbol's order history and trades, loaded a page at a
 * time. No `vscode`: the Orders view only renders this.
 */
import type { Order, Trade } from '../../core/api';
import type { ExchangeClient } from '../exchange';
import type { StateStore } from '../stateStore';
import { addOlderPage, HistoryPages, withNewestPage } from './historyPages';
import { groupBySymbol, isCancellable, SymbolGroup } from './orderModel';
import { RefreshSection, SectionHost, SectionStatus } from './refreshSection';

export type OrdersClient = Pick<ExchangeClient, 'openOrders' | 'allOrders' | 'myTrades'>;

/** A symbol's order history (allOrders) or its trades (myTrades). */
export type HistoryKind = 'history' | 'trades';
export type HistoryItem<K extends HistoryKind> = K extends 'history' ? Order : Trade;

/** Items per history page (weight 20 per allOrders/myTrades request on Binance). */
export const HISTORY_PAGE_SIZE = 50;
/** At most one history reload per symbol this often, however many stream events arrive. */
const STALE_AFTER_EVENT_MIN_MS = 10_000;

/** How each kind of history is fetched: the newest page, or the page from a cursor upwards. */
const HISTORY_SOURCES: {
  [K in HistoryKind]: {
    idOf(item: HistoryItem<K>): number;
    fetch(client: OrdersClient, symbol: string, limit: number, from?: number): Promise<HistoryItem<K>[]>;
  };
} = {
  history: {
    idOf: (order) => order.orderId,
    fetch: (client, symbol, limit, from) =>
      client.allOrders(symbol, from === undefined ? { limit } : { orderId: from, limit }),
  },
  trades: {
    idOf: (trade) => trade.id,
    fetch: (client, symbol, limit, from) =>
      client.myTrades(symbol, from === undefined ? { limit } : { fromId: from, limit }),
  },
};

export interface AccountOrdersOptions extends SectionHost<OrdersClient> {
  /** Where the watched symbols are kept, per environment (not secret). */
  state: StateStore;
}

export class AccountOrders {
  readonly #options: AccountOrdersOptions;
  readonly #section: RefreshSection<OrdersClient, Order[]>;
  #openOrders: Order[] = [];
  #updatedAt: number | undefined;
  /** History and trade pages by symbol and kind (cleared with everything else on a switch). */
  readonly #pages = new Map<string, HistoryPages<Order> | HistoryPages<Trade>>();
  readonly #staleMarkedAt = new Map<string, number>();

  constructor(options: AccountOrdersOptions) {
    this.#options = options;
    this.#section = new RefreshSection<OrdersClient, Order[]>({
      host: options,
      name: 'Open orders',
      load: (client) => client.openOrders(),
      apply: (orders) => {
        this.#openOrders = orders;
        this.#markStale();
        this.#updatedAt = options.now();
      },
      clear: () => (this.#openOrders = []),
      isEmpty: () => this.groups().length === 0,
    });
  }

  get status(): SectionStatus {
    return this.#section.status;
  }

  get openOrders(): readonly Order[] {
    return this.#openOrders;
  }

  /** When the open orders last changed (ms): a refresh or a stream update. */
  get updatedAt(): number | undefined {
    return this.#updatedAt;
  }

  /** Symbols kept in view without open orders, so their history stays one click away. */
  watchedSymbols(): string[] {
    return this.#options.state.get<string[]>(this.#watchKey()) ?? [];
  }

  async watchSymbol(symbol: string): Promise<void> {
    const watched = new Set(this.watchedSymbols());
    if (watched.has(symbol)) return;
    watched.add(symbol);
    await this.#options.state.update(this.#watchKey(), [...watched].sort());
    this.#options.changed('watch');
  }

  /** One group per symbol with open orders or watched, sorted by symbol. */
  groups(): SymbolGroup[] {
    return groupBySymbol(this.#openOrders, this.watchedSymbols());
  }

  /** Reloads the open orders (a loaded history reloads its newest page on the next look). Never rejects. */
  refresh(): Promise<boolean> {
    return this.#section.refresh();
  }

  /** Applies an executionReport: the order is added, updated or (when no longer open) removed. */
  applyUpdate(order: Order): void {
    const others = this.#openOrders.filter((o) => !(o.symbol === order.symbol && o.orderId === order.orderId));
    this.#openOrders = isCancellable(order.status) ? [...others, order] : others;
    // The order's row in a loaded history is updated at once, without a request. The history itself
    // reloads on the next look, at most every 10 s per symbol, so a busy bot's stream of events
    // cannot turn into a stream of allOrders/myTrades requests.
    const history = this.#pages.get(pagesId(order.symbol, 'history')) as HistoryPages<Order> | undefined;
    if (history) history.items = history.items.map((o) => (o.orderId === order.orderId ? order : o));
    const now = this.#options.now();
    if (now - (this.#staleMarkedAt.get(order.symbol) ?? 0) >= STALE_AFTER_EVENT_MIN_MS) {
      this.#staleMarkedAt.set(order.symbol, now);
      this.#markStale(order.symbol);
    }
    this.#updatedAt = now;
    this.#options.changed('stream');
  }

  /** The pages of a symbol's history loaded so far, if it was ever loaded. */
  loaded<K extends HistoryKind>(symbol: string, kind: K): Readonly<HistoryPages<HistoryItem<K>>> | undefined {
    return this.#pages.get(pagesId(symbol, kind)) as HistoryPages<HistoryItem<K>> | undefined;
  }

  /**
   * A symbol's history: as loaded, or with its newest page (re)loaded first when it was never
   * loaded or is stale. A failure is logged and rejects; nothing is stored then, so the next look retries.
   */
  async load<K extends HistoryKind>(symbol: string, kind: K): Promise<Readonly<HistoryPages<HistoryItem<K>>>> {
    const id = pagesId(symbol, kind);
    let pages = this.#pages.get(id) as HistoryPages<HistoryItem<K>> | undefined;
    if (pages && !pages.stale) return pages;
    const source = HISTORY_SOURCES[kind];
    const token = this.#section.token;
    try {
      const fresh = await source.fetch(this.#options.source.client, symbol, HISTORY_PAGE_SIZE);
      pages = withNewestPage(fresh, pages, (item) => source.idOf(item), HISTORY_PAGE_SIZE);
    } catch (error) {
      this.#options.log.error(
        `Loading ${kind} for ${symbol}: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
    // A refresh or a switch while this loaded: shown once, but never stored as the new state.
    if (token === this.#section.token) this.#pages.set(id, pages as HistoryPages<Order> | HistoryPages<Trade>);
    return pages;
  }

  /**
   * Fetches the next older page of a loaded history (the "Load more…" item) and returns how many
   * items it added. Nothing is fetched before the history was first loaded, or once its first item
   * is reached. Concurrent calls share one load.
   */
  async loadMore<K extends HistoryKind>(symbol: string, kind: K): Promise<number> {
    const id = pagesId(symbol, kind);
    const pages = this.#pages.get(id) as HistoryPages<HistoryItem<K>> | undefined;
    if (!pages || pages.paging.done) return 0;
    const source = HISTORY_SOURCES[kind];
    const client = this.#options.source.client;
    const loading = (pages.loadingMore ??= Promise.resolve(
      this.#options.progress(() =>
        addOlderPage(
          pages,
          (item) => source.idOf(item),
          HISTORY_PAGE_SIZE,
          (cursor, limit) => source.fetch(client, symbol, limit, cursor),
        ),
      ),
    ).finally(() => (pages.loadingMore = undefined)));
    const added = await loading;
    // Only if these pages are still the model's: a switch meanwhile replaced them.
    if (this.#pages.get(id) === pages) this.#options.changed('history');
    return added;
  }

  /** Forgets everything (the environment or key changed). */
  reset(): void {
    this.#section.invalidate();
    this.#openOrders = [];
    this.#pages.clear();
    this.#options.changed('reset');
  }

  /** The next look reloads the newest page of every history (or of one symbol's), keeping older pages. */
  #markStale(symbol?: string): void {
    const all = symbol
      ? [this.#pages.get(pagesId(symbol, 'history')), this.#pages.get(pagesId(symbol, 'trades'))]
      : [...this.#pages.values()];
    for (const pages of all) if (pages) pages.stale = true;
  }

  #watchKey(): string {
    return `testnetDesk.orders.watched.${this.#options.source.environment.id}`;
  }
}

function pagesId(symbol: string, kind: HistoryKind): string {
  return `${symbol}:${kind}`;
}
