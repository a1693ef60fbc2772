import * as vscode from 'vscode';
import type { AccountChange } from '../../app/account/accountModel';
import { HISTORY_PAGE_SIZE, HistoryKind, type AccountOrders } from '../../app/account/accountOrders';
import type { HistoryPages } from '../../app/account/historyPages';
import {
  filledPercent,
  orderContextValue,
  orderDescription,
  orderLabel,
  orderSentence,
  tradeDescription,
  tradeLabel,
  tradeSentence,
} from '../../app/account/orderModel';
import { realTimers, Timers } from '../../app/countdown';
import { formatAmount, formatTimestamp } from '../../app/format';
import type { Order, Trade } from '../../core/api';
import type { Environment } from '../../core/environments';
import type { Event } from '../../core/events';
import { ContextKeys } from '../shared/contextKeys';
import { ViewStatus } from '../shared/viewStatus';

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
  kind: HistoryKind;
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
  list: HistoryKind;
  parent: LazyNode;
}

/** Arguments of `testnetDesk.orders.loadMore`. */
export interface LoadMoreArgs {
  symbol: string;
  kind: HistoryKind;
}

/** What the Orders view reads: the account model's orders and the environment they belong to. */
export interface OrdersSource {
  readonly environment: Environment;
  readonly orders: AccountOrders;
  readonly onDidChange: Event<AccountChange>;
}

/** A burst of stream events (one per fill) redraws the tree once. */
const STREAM_REDRAW_MS = 250;

/**
 * Renders the account model's orders: open orders grouped by symbol, with order history and
 * trades per symbol loaded on expand. Ids are built from the environment and Binance's own ids, so
 * expansion survives a refresh. It fetches nothing itself: expanding asks the model.
 */
export class OrdersProvider implements vscode.TreeDataProvider<OrdersNode>, vscode.Disposable {
  readonly #onDidChangeTreeData = new vscode.EventEmitter<OrdersNode | undefined>();
  readonly onDidChangeTreeData = this.#onDidChangeTreeData.event;
  readonly status: ViewStatus;
  readonly #subscription: { dispose(): void };
  #groups: SymbolNode[] = [];
  #view: vscode.TreeView<OrdersNode> | undefined;
  #redrawTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly model: OrdersSource,
    timers: Timers = realTimers,
  ) {
    this.status = new ViewStatus(ContextKeys.ordersState, ContextKeys.ordersError, timers);
    this.#subscription = model.onDidChange((change) => {
      if (change.section === 'orders') this.#render(change);
    });
  }

  attach(view: vscode.TreeView<OrdersNode>): void {
    this.#view = view;
    this.status.attach(view);
  }

  get groups(): readonly SymbolNode[] {
    return this.#groups;
  }

  /**
   * Selects an order in the tree: among the open orders, else in the symbol's history (a filled
   * MARKET order is no longer open). Returns whether it was found.
   */
  async revealOrder(symbol: string, orderId: number): Promise<boolean> {
    if (!this.#view) return false;
    await this.model.orders.watchSymbol(symbol);
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
        const list = this.model.orders.loaded(node.symbol, node.kind);
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
          this.model.orders.loaded(node.symbol, node.list)?.lastAdded === 0
            ? 'none in the range searched, search further back'
            : `next ${HISTORY_PAGE_SIZE} older`;
        item.tooltip = `Loads the next ${HISTORY_PAGE_SIZE} older ${node.list === 'history' ? 'orders' : 'trades'} of ${node.symbol}.`;
        item.iconPath = new vscode.ThemeIcon('more');
        item.contextValue = 'loadMore';
        const args: LoadMoreArgs = { symbol: node.symbol, kind: node.list };
        item.command = { command: LOAD_MORE_COMMAND, title: 'Load More', arguments: [args] };
        item.accessibilityInformation = {
          label: `Load ${HISTORY_PAGE_SIZE} more ${node.list === 'history' ? 'orders' : 'trades'} of ${node.symbol}`,
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
        return this.#lazyChildren(node);
      default:
        return [];
    }
  }

  getParent(node: OrdersNode): OrdersNode | undefined {
    return node.kind === 'symbol' ? undefined : node.parent;
  }

  dispose(): void {
    if (this.#redrawTimer) clearTimeout(this.#redrawTimer);
    this.#subscription.dispose();
    this.#onDidChangeTreeData.dispose();
    this.status.dispose();
  }

  #render(change: AccountChange): void {
    const orders = this.model.orders;
    const status = orders.status;
    this.status.show(status);
    const envId = this.model.environment.id;
    this.#groups = orders.groups().map((g) => ({
      kind: 'symbol',
      id: `orders:${envId}:${g.symbol}`,
      symbol: g.symbol,
      orders: g.orders,
    }));
    const updatedAt = orders.updatedAt;
    this.status.setDescription(
      status.state === 'noKey' || status.state === 'failed' || updatedAt === undefined
        ? undefined
        : `${orders.openOrders.length} open · updated ${formatTimestamp(updatedAt)}`,
    );
    if (change.cause !== 'stream') {
      this.#onDidChangeTreeData.fire(undefined);
      return;
    }
    if (this.#redrawTimer) return;
    this.#redrawTimer = setTimeout(() => {
      this.#redrawTimer = undefined;
      this.#onDidChangeTreeData.fire(undefined);
    }, STREAM_REDRAW_MS);
  }

  async #lazyChildren(node: LazyNode): Promise<OrdersNode[]> {
    let pages: Readonly<HistoryPages<Order | Trade>>;
    try {
      pages = await this.model.orders.load(node.symbol, node.kind);
    } catch (error) {
      // The model logged it. A message row, never a pop-up; collapsing and expanding again retries.
      const text = error instanceof Error ? error.message : String(error);
      return [{ kind: 'message', id: `${node.id}:error`, text: `Could not load: ${text}`, parent: node, error: true }];
    }
    const children: OrdersNode[] = pages.items.map((item) => historyRow(node, item));
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
    if (!pages.paging.done)
      children.push({ kind: 'more', id: `${node.id}:more`, symbol: node.symbol, list: node.kind, parent: node });
    return children;
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

  #lazyId(symbol: string, kind: HistoryKind): string {
    return `orders:${this.model.environment.id}:${symbol}:${kind}`;
  }
}

/** A row of a loaded history: an order of the symbol's order history, or one of its trades. */
function historyRow(parent: LazyNode, item: Order | Trade): OrderNode | TradeNode {
  if (parent.kind === 'history') {
    const order = item as Order;
    return { kind: 'order', id: `${parent.id}:${order.orderId}`, order, parent };
  }
  const trade = item as Trade;
  return { kind: 'trade', id: `${parent.id}:${trade.id}`, trade, parent };
}

/** Args of `testnetDesk.orders.loadMore` come from anywhere: checked before anything is fetched. */
export function parseLoadMoreArgs(args: unknown): LoadMoreArgs {
  const a = (args ?? {}) as Partial<Record<keyof LoadMoreArgs, unknown>>;
  if (typeof a.symbol !== 'string' || a.symbol === '' || (a.kind !== 'history' && a.kind !== 'trades')) {
    throw new Error('Load more expects {symbol: "BTCUSDT", kind: "history" | "trades"}.');
  }
  return { symbol: a.symbol, kind: a.kind };
}

/** The `testnetDesk.orders.loadMore` command: the next older page of a loaded history; how many items it added. */
export async function loadMore(orders: Pick<AccountOrders, 'loadMore'>, args: unknown): Promise<number> {
  const { symbol, kind } = parseLoadMoreArgs(args);
  return orders.loadMore(symbol, kind);
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
