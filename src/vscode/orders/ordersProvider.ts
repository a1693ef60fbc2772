import * as vscode from 'vscode';
import type { Order, Trade } from '../../core/api';
import { ContextKeys } from '../shared/contextKeys';
import { realTimers, Timers } from '../../app/countdown';
import { ExchangeSession } from '../environment/exchangeSession';
import { formatAmount, formatTimestamp } from '../../app/format';
import { initialPagingState, loadOlderPage, mergeNewestPage, PagingState } from '../../app/account/historyPaging';
import {
  groupBySymbol,
  isCancellable,
  orderContextValue,
  orderDescription,
  orderLabel,
  orderSentence,
  filledPercent,
  tradeDescription,
  tradeLabel,
  tradeSentence,
} from '../../app/account/orderModel';
import { describeForLog, ViewStatus } from '../shared/viewStatus';

export const ORDERS_VIEW_ID = 'testnetDesk.orders';
const HISTORY_LIMIT = 50;
const LAZY_RELOAD_MIN_MS = 10_000;

export const LOAD_MORE_COMMAND = 'testnetDesk.orders.loadMore';

export type OrdersNode = SymbolNode | OrderNode | LazyNode | TradeNode | MessageNode | LoadMoreNode;

export interface SymbolNode {
  kind: 'symbol';
  id: string;
  symbol: string;
  orders: Order[];
}
export interface OrderNode {
  kind: 'order';
  id: string;
  order: Order;
  parent: SymbolNode | LazyNode;
}
/** "Order history" / "Trades": children load when the node is expanded. */
export interface LazyNode {
  kind: 'history' | 'trades';
  id: string;
  symbol: string;
  parent: SymbolNode;
}
export interface TradeNode {
  kind: 'trade';
  id: string;
  trade: Trade;
  parent: LazyNode;
}
export interface MessageNode {
  kind: 'message';
  id: string;
  text: string;
  parent: LazyNode;
  error: boolean;
}
/** "Load more…" at the end of a loaded history or trade list; its command fetches the next older page. */
export interface LoadMoreNode {
  kind: 'more';
  id: string;
  symbol: string;
  list: 'history' | 'trades';
  parent: LazyNode;
}

/** Arguments of `testnetDesk.orders.loadMore`. */
export interface LoadMoreArgs {
  symbol: string;
  kind: 'history' | 'trades';
}

/** What one history or trade list holds: every page loaded so far, newest first. */
interface LazyList<T> {
  items: T[];
  paging: PagingState;
  /** Reload the newest page on the next expand (older pages are kept and merged). */
  stale: boolean;
  loadingMore?: Promise<number>;
  /** How many items the last "Load more" added (0: it searched a range with none of ours). */
  lastAdded?: number;
}
type HistoryList = LazyList<Order>;
type TradeList = LazyList<Trade>;

/**
 * Open orders grouped by symbol, with order history and trades per symbol loaded on expand. Ids
 * are built from the environment and Binance's own ids, so expansion survives a refresh.
 */
export class OrdersProvider implements vscode.TreeDataProvider<OrdersNode>, vscode.Disposable {
  readonly #onDidChangeTreeData = new vscode.EventEmitter<OrdersNode | undefined>();
  readonly onDidChangeTreeData = this.#onDidChangeTreeData.event;
  readonly status: ViewStatus;
  #groups: SymbolNode[] = [];
  #openOrders: Order[] = [];
  /** History and trade lists by lazy node id (the id includes the environment). */
  #lazy = new Map<string, HistoryList | TradeList>();
  #generation = 0;
  #view: vscode.TreeView<OrdersNode> | undefined;
  #lazyInvalidatedAt = new Map<string, number>();
  #fireTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly session: ExchangeSession,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    timers: Timers = realTimers,
  ) {
    this.status = new ViewStatus(ContextKeys.ordersState, ContextKeys.ordersError, timers);
  }

  attach(view: vscode.TreeView<OrdersNode>): void {
    this.#view = view;
    this.status.attach(view);
  }

  get openOrders(): readonly Order[] {
    return this.#openOrders;
  }

  get groups(): readonly SymbolNode[] {
    return this.#groups;
  }

  /** Symbols kept in the tree without open orders, so their history stays one click away. */
  watchedSymbols(): string[] {
    return this.state.get<string[]>(this.#watchKey(), []);
  }

  async watchSymbol(symbol: string): Promise<void> {
    const watched = new Set(this.watchedSymbols());
    if (watched.has(symbol)) return;
    watched.add(symbol);
    await this.state.update(this.#watchKey(), [...watched].sort());
    this.#rebuildGroups();
    this.#onDidChangeTreeData.fire(undefined);
  }

  /** Reloads open orders (and drops the loaded history so an expanded node reloads). Never throws. */
  async refresh(): Promise<boolean> {
    const generation = ++this.#generation;
    const environment = this.session.environment;
    if (!this.session.hasKey) {
      this.#openOrders = [];
      this.#groups = [];
      this.status.set('noKey');
      this.status.setDescription(undefined);
      this.#onDidChangeTreeData.fire(undefined);
      return false;
    }
    if (this.#groups.length === 0) this.status.set('loading');
    try {
      const orders = await vscode.window.withProgress({ location: { viewId: ORDERS_VIEW_ID } }, () =>
        this.session.client.openOrders(),
      );
      if (generation !== this.#generation) return false;
      this.#openOrders = orders;
      this.#markLazyStale();
      this.#rebuildGroups();
      this.status.set('ready');
      this.status.setDescription(`${orders.length} open · updated ${formatTimestamp(Date.now())}`);
      this.#onDidChangeTreeData.fire(undefined);
      return true;
    } catch (error) {
      if (generation !== this.#generation) return false;
      this.log.error(`Open orders on ${environment.label}: ${describeForLog(error)}`);
      this.#openOrders = [];
      this.#groups = [];
      this.status.fail(environment, error);
      this.status.setDescription(undefined);
      this.#onDidChangeTreeData.fire(undefined);
      return false;
    }
  }

  /** Applies an executionReport: the order is added, updated or (when no longer open) removed. */
  applyOrderUpdate(order: Order): void {
    const others = this.#openOrders.filter((o) => !(o.symbol === order.symbol && o.orderId === order.orderId));
    this.#openOrders = isCancellable(order.status) ? [...others, order] : others;
    // An expanded history reloads on the next tree update; at most every 10 s per symbol, so a busy
    // bot's stream of events cannot turn into a stream of allOrders/myTrades requests.
    // The order's row in a loaded history is updated at once, without a request.
    const history = this.#lazy.get(this.#lazyId(order.symbol, 'history')) as HistoryList | undefined;
    if (history) history.items = history.items.map((o) => (o.orderId === order.orderId ? order : o));
    const last = this.#lazyInvalidatedAt.get(order.symbol) ?? 0;
    if (Date.now() - last >= LAZY_RELOAD_MIN_MS) {
      this.#lazyInvalidatedAt.set(order.symbol, Date.now());
      this.#markLazyStale(order.symbol);
    }
    this.#rebuildGroups();
    this.status.setDescription(`${this.#openOrders.length} open · updated ${formatTimestamp(Date.now())}`);
    // Bursts of events (one per fill) update the tree once.
    if (this.#fireTimer) return;
    this.#fireTimer = setTimeout(() => {
      this.#fireTimer = undefined;
      this.#onDidChangeTreeData.fire(undefined);
    }, 250);
  }

  /** Forgets everything (environment or key changed). */
  reset(): void {
    this.#generation++;
    this.#openOrders = [];
    this.#groups = [];
    this.#lazy.clear();
    this.#onDidChangeTreeData.fire(undefined);
  }

  /**
   * Fetches the next older page of a symbol's order history or trades (the "Load more…" item) and
   * returns how many items it added. Nothing is fetched before the list was first expanded, or once
   * its first item is reached. Concurrent clicks share one load.
   */
  async loadMore(args: unknown): Promise<number> {
    const { symbol, kind } = parseLoadMoreArgs(args);
    const id = this.#lazyId(symbol, kind);
    const list = this.#lazy.get(id);
    if (!list || list.paging.done) return 0;
    const loading = (list.loadingMore ??= Promise.resolve(
      vscode.window.withProgress({ location: { viewId: ORDERS_VIEW_ID } }, () =>
        kind === 'history'
          ? this.#loadOlderHistory(symbol, list as HistoryList)
          : this.#loadOlderTrades(symbol, list as TradeList),
      ),
    ).finally(() => (list.loadingMore = undefined)));
    const added = await loading;
    // Only the view's own list: a reset (environment or key change) meanwhile replaced it.
    if (this.#lazy.get(id) === list) this.#onDidChangeTreeData.fire(undefined);
    return added;
  }

  /**
   * Selects an order in the tree: among the open orders, else in the symbol's history (a filled
   * MARKET order is no longer open). Returns whether it was found.
   */
  async revealOrder(symbol: string, orderId: number): Promise<boolean> {
    if (!this.#view) return false;
    await this.watchSymbol(symbol);
    let node = this.#findOpen(symbol, orderId);
    if (!node) {
      const group = this.#groups.find((g) => g.symbol === symbol);
      const history =
        group && (this.getChildren(group) as OrdersNode[]).find((n): n is LazyNode => n.kind === 'history');
      if (history) {
        const children = await this.getChildren(history);
        node = children.find((n): n is OrderNode => n.kind === 'order' && n.order.orderId === orderId);
      }
    }
    if (!node) return false;
    await this.#view.reveal(node, { select: true, focus: true, expand: true });
    return true;
  }

  getTreeItem(node: OrdersNode): vscode.TreeItem {
    switch (node.kind) {
      case 'symbol': {
        const item = new vscode.TreeItem(node.symbol, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.id;
        item.description = node.orders.length === 0 ? 'no open orders' : `${node.orders.length} open`;
        item.iconPath = new vscode.ThemeIcon('graph-line');
        item.contextValue = node.orders.length > 0 ? 'symbol:hasOpenOrders' : 'symbol';
        const count = node.orders.length;
        item.accessibilityInformation = {
          label: `${node.symbol}: ${count === 0 ? 'no open orders' : `${count} open order${count === 1 ? '' : 's'}`}.`,
        };
        return item;
      }
      case 'order':
        return this.#orderItem(node);
      case 'history':
      case 'trades': {
        const item = new vscode.TreeItem(
          node.kind === 'history' ? 'Order history' : 'Trades',
          vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = node.id;
        const list = this.#lazy.get(node.id);
        item.description = list
          ? `${list.items.length} loaded${list.paging.done ? '' : ', newest first'}`
          : 'newest first, loads on expand';
        item.iconPath = new vscode.ThemeIcon(node.kind === 'history' ? 'history' : 'arrow-swap');
        item.contextValue = node.kind;
        const what = `${node.kind === 'history' ? 'Order history' : 'Trades'} of ${node.symbol}`;
        item.accessibilityInformation = {
          label: list
            ? `${what}: ${list.items.length} loaded, newest first.`
            : `${what}: newest first, loads when expanded.`,
        };
        return item;
      }
      case 'trade': {
        const t = node.trade;
        const now = Date.now();
        const item = new vscode.TreeItem(tradeLabel(t));
        item.id = node.id;
        item.description = tradeDescription(t, now);
        const tooltip = new vscode.MarkdownString(undefined, true);
        tooltip.appendMarkdown(`**${t.symbol}** trade \`${t.id}\` of order \`${t.orderId}\`\n\n`);
        tooltip.appendMarkdown(
          `Price: \`${formatAmount(t.price)}\` · Quantity: \`${formatAmount(t.qty)}\` · Quote: \`${formatAmount(t.quoteQty)}\`\n\n`,
        );
        tooltip.appendMarkdown(`Traded ${formatTimestamp(t.time, now)}`);
        item.tooltip = tooltip;
        item.iconPath = new vscode.ThemeIcon('arrow-swap');
        item.contextValue = 'trade';
        item.accessibilityInformation = { label: tradeSentence(t, now) };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem('Load more…');
        item.id = node.id;
        item.description =
          this.#lazy.get(node.parent.id)?.lastAdded === 0
            ? 'none in the range searched, search further back'
            : `next ${HISTORY_LIMIT} older`;
        item.tooltip = `Loads the next ${HISTORY_LIMIT} older ${node.list === 'history' ? 'orders' : 'trades'} of ${node.symbol}.`;
        item.iconPath = new vscode.ThemeIcon('more');
        item.contextValue = 'loadMore';
        const args: LoadMoreArgs = { symbol: node.symbol, kind: node.list };
        item.command = { command: LOAD_MORE_COMMAND, title: 'Load More', arguments: [args] };
        item.accessibilityInformation = {
          label: `Load ${HISTORY_LIMIT} more ${node.list === 'history' ? 'orders' : 'trades'} of ${node.symbol}`,
          role: 'button',
        };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.error ? 'error' : 'info');
        item.contextValue = node.error ? 'message:error' : 'message';
        item.accessibilityInformation = { label: node.text };
        return item;
      }
    }
  }

  getChildren(node?: OrdersNode): OrdersNode[] | Promise<OrdersNode[]> {
    if (!node) return this.status.state === 'ready' ? this.#groups : [];
    switch (node.kind) {
      case 'symbol':
        return [
          ...node.orders.map((order): OrderNode => ({
            kind: 'order',
            id: `${node.id}:open:${order.orderId}`,
            order,
            parent: node,
          })),
          { kind: 'history', id: this.#lazyId(node.symbol, 'history'), symbol: node.symbol, parent: node },
          { kind: 'trades', id: this.#lazyId(node.symbol, 'trades'), symbol: node.symbol, parent: node },
        ];
      case 'history':
      case 'trades':
        return this.#loadLazy(node);
      default:
        return [];
    }
  }

  getParent(node: OrdersNode): OrdersNode | undefined {
    return node.kind === 'symbol' ? undefined : node.parent;
  }

  dispose(): void {
    if (this.#fireTimer) clearTimeout(this.#fireTimer);
    this.#onDidChangeTreeData.dispose();
    this.status.dispose();
  }

  async #loadLazy(node: LazyNode): Promise<OrdersNode[]> {
    let list = this.#lazy.get(node.id);
    if (!list || list.stale) {
      const generation = this.#generation;
      try {
        list =
          node.kind === 'history'
            ? await this.#loadNewestHistory(node.symbol, list as HistoryList | undefined)
            : await this.#loadNewestTrades(node.symbol, list as TradeList | undefined);
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        this.log.error(`Loading ${node.kind} for ${node.symbol}: ${text}`);
        // Not stored: collapsing and expanding again retries. A message row, never a pop-up.
        return [
          { kind: 'message', id: `${node.id}:error`, text: `Could not load: ${text}`, parent: node, error: true },
        ];
      }
      // A reset (environment or key change) while this loaded: do not store another key's data.
      if (generation === this.#generation) this.#lazy.set(node.id, list);
    }
    const children: OrdersNode[] =
      node.kind === 'history'
        ? (list as HistoryList).items.map((order): OrderNode => ({
            kind: 'order',
            id: `${node.id}:${order.orderId}`,
            order,
            parent: node,
          }))
        : (list as TradeList).items.map((trade): TradeNode => ({
            kind: 'trade',
            id: `${node.id}:${trade.id}`,
            trade,
            parent: node,
          }));
    if (children.length === 0)
      return [
        {
          kind: 'message',
          id: `${node.id}:empty`,
          text: node.kind === 'history' ? 'No orders yet' : 'No trades yet',
          parent: node,
          error: false,
        },
      ];
    if (!list.paging.done)
      children.push({ kind: 'more', id: `${node.id}:more`, symbol: node.symbol, list: node.kind, parent: node });
    return children;
  }

  async #loadNewestHistory(symbol: string, previous: HistoryList | undefined): Promise<HistoryList> {
    const fresh = await this.session.client.allOrders(symbol, { limit: HISTORY_LIMIT });
    return newestList(fresh, previous, (o) => o.orderId);
  }

  async #loadNewestTrades(symbol: string, previous: TradeList | undefined): Promise<TradeList> {
    const fresh = await this.session.client.myTrades(symbol, { limit: HISTORY_LIMIT });
    return newestList(fresh, previous, (t) => t.id);
  }

  async #loadOlderHistory(symbol: string, list: HistoryList): Promise<number> {
    const page = await loadOlderPage(
      list.items,
      (o) => o.orderId,
      list.paging,
      HISTORY_LIMIT,
      (orderId, limit) => this.session.client.allOrders(symbol, { orderId, limit }),
    );
    list.items = [...list.items, ...page.items];
    list.paging = page.state;
    list.lastAdded = page.items.length;
    return page.items.length;
  }

  async #loadOlderTrades(symbol: string, list: TradeList): Promise<number> {
    const page = await loadOlderPage(
      list.items,
      (t) => t.id,
      list.paging,
      HISTORY_LIMIT,
      (fromId, limit) => this.session.client.myTrades(symbol, { fromId, limit }),
    );
    list.items = [...list.items, ...page.items];
    list.paging = page.state;
    list.lastAdded = page.items.length;
    return page.items.length;
  }

  /** The next expand reloads the newest page of every list (or of one symbol's), keeping older pages. */
  #markLazyStale(symbol?: string): void {
    const lists = symbol
      ? [this.#lazy.get(this.#lazyId(symbol, 'history')), this.#lazy.get(this.#lazyId(symbol, 'trades'))]
      : [...this.#lazy.values()];
    for (const list of lists) if (list) list.stale = true;
  }

  #orderItem(node: OrderNode): vscode.TreeItem {
    const o = node.order;
    const now = Date.now();
    const item = new vscode.TreeItem(orderLabel(o));
    item.id = node.id;
    item.description = orderDescription(o, now);
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${o.symbol}** ${o.side} ${o.type} · ${o.status}\n\n`);
    tooltip.appendMarkdown(`Price: \`${formatAmount(o.price)}\` · Quantity: \`${formatAmount(o.origQty)}\`\n\n`);
    tooltip.appendMarkdown(
      `Filled: \`${formatAmount(o.executedQty)}\` (${filledPercent(o)}%) · Quote: \`${formatAmount(o.cummulativeQuoteQty)}\`\n\n`,
    );
    if (o.timeInForce) tooltip.appendMarkdown(`Time in force: ${o.timeInForce}\n\n`);
    tooltip.appendMarkdown(
      `Order id \`${o.orderId}\` · client id \`${o.clientOrderId}\`\n\nCreated ${formatTimestamp(o.time, now)}`,
    );
    item.tooltip = tooltip;
    item.iconPath = iconFor(o);
    item.contextValue = orderContextValue(o);
    item.accessibilityInformation = { label: orderSentence(o, now) };
    return item;
  }

  #findOpen(symbol: string, orderId: number): OrderNode | undefined {
    const group = this.#groups.find((g) => g.symbol === symbol);
    if (!group) return undefined;
    const order = group.orders.find((o) => o.orderId === orderId);
    return order ? { kind: 'order', id: `${group.id}:open:${order.orderId}`, order, parent: group } : undefined;
  }

  #rebuildGroups(): void {
    const envId = this.session.environment.id;
    this.#groups = groupBySymbol(this.#openOrders, this.watchedSymbols()).map((g) => ({
      kind: 'symbol',
      id: `orders:${envId}:${g.symbol}`,
      symbol: g.symbol,
      orders: g.orders,
    }));
  }

  #lazyId(symbol: string, kind: 'history' | 'trades'): string {
    return `orders:${this.session.environment.id}:${symbol}:${kind}`;
  }

  #watchKey(): string {
    return `testnetDesk.orders.watched.${this.session.environment.id}`;
  }
}

/** A list after (re)loading its newest page, merged with the older pages loaded before. */
function newestList<T>(fresh: readonly T[], previous: LazyList<T> | undefined, idOf: (item: T) => number): LazyList<T> {
  const { items, keptOlder } = mergeNewestPage(fresh, previous?.items ?? [], idOf, HISTORY_LIMIT);
  const paging =
    keptOlder && previous && fresh.length >= HISTORY_LIMIT
      ? previous.paging
      : initialPagingState(fresh.map(idOf), HISTORY_LIMIT);
  return { items, paging, stale: false };
}

function parseLoadMoreArgs(args: unknown): LoadMoreArgs {
  const a = (args ?? {}) as Partial<Record<keyof LoadMoreArgs, unknown>>;
  if (typeof a.symbol !== 'string' || a.symbol === '' || (a.kind !== 'history' && a.kind !== 'trades')) {
    throw new Error('Load more expects {symbol: "BTCUSDT", kind: "history" | "trades"}.');
  }
  return { symbol: a.symbol, kind: a.kind };
}

function iconFor(order: Order): vscode.ThemeIcon {
  switch (order.status) {
    case 'FILLED':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'CANCELED':
    case 'EXPIRED':
    case 'EXPIRED_IN_MATCH':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    case 'REJECTED':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    case 'PARTIALLY_FILLED':
      return new vscode.ThemeIcon('pie-chart');
    default:
      return new vscode.ThemeIcon(order.side === 'BUY' ? 'arrow-down' : 'arrow-up');
  }
}
