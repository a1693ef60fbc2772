import * as vscode from 'vscode';
import type { Balance, TickerPrice } from '../../core/api';
import { isZero } from '../../core/decimal';
import {
  balanceDescription,
  BalanceRow,
  balanceSentence,
  balanceTooltip,
  nonZeroBalances,
  valueBalances,
} from '../../app/account/balanceModel';
import { ContextKeys } from '../shared/contextKeys';
import { realTimers, Timers } from '../../app/countdown';
import { ExchangeSession } from '../environment/exchangeSession';
import { formatTimestamp, formatValue } from '../../app/format';
import { Settings } from '../shared/settings';
import { describeForLog, ViewStatus } from '../shared/viewStatus';

export const BALANCES_VIEW_ID = 'testnetDesk.balances';

export interface BalanceNode {
  readonly id: string;
  readonly row: BalanceRow;
  readonly valuationAsset?: string;
  /** Where the prices came from, for the tooltip: "Spot Testnet, 14:03:05". */
  readonly pricesFrom?: string;
}

/**
 * Non-zero balances of the active key: free and locked, optionally valued in a quote asset from
 * the same environment's ticker prices. The last update time goes into the view description.
 */
export class BalancesProvider implements vscode.TreeDataProvider<BalanceNode>, vscode.Disposable {
  readonly #onDidChangeTreeData = new vscode.EventEmitter<BalanceNode | undefined>();
  readonly onDidChangeTreeData = this.#onDidChangeTreeData.event;
  readonly status: ViewStatus;
  #nodes: BalanceNode[] = [];
  #balances: Balance[] = [];
  #totalValue: string | undefined;
  /** Assets held but not valued (no price path): the total leaves them out and says so. */
  #unvalued: string[] = [];
  #valuationAsset = '';
  #updatedAt: Date | undefined;
  #generation = 0;
  #notice: string | undefined;
  /** The last ticker prices of this environment (cleared with everything else on a switch). */
  #lastPrices: readonly TickerPrice[] | undefined;
  #pricesAt: Date | undefined;

  constructor(
    private readonly session: ExchangeSession,
    private readonly settings: () => Settings,
    private readonly log: vscode.LogOutputChannel,
    timers: Timers = realTimers,
  ) {
    this.status = new ViewStatus(ContextKeys.balancesState, ContextKeys.balancesError, timers);
  }

  /** Raw balances of the last successful refresh (for reset detection and tests). */
  get balances(): readonly Balance[] {
    return this.#balances;
  }

  get nodes(): readonly BalanceNode[] {
    return this.#nodes;
  }

  get updatedAt(): Date | undefined {
    return this.#updatedAt;
  }

  /** Reloads from the exchange. Never throws: failures become the view's error state. */
  async refresh(): Promise<boolean> {
    const generation = ++this.#generation;
    const environment = this.session.environment;
    if (!this.session.hasKey) {
      this.#clear();
      this.status.set('noKey');
      this.status.setDescription(environment.label);
      this.#onDidChangeTreeData.fire(undefined);
      return false;
    }
    if (this.#nodes.length === 0) this.status.set('loading');
    try {
      const client = this.session.client;
      const { valuationAsset } = this.settings();
      const [account, prices] = await vscode.window.withProgress({ location: { viewId: BALANCES_VIEW_ID } }, () =>
        Promise.all([
          client.account({ omitZeroBalances: true }),
          // Prices of the same environment (testnet prices are independent from live).
          valuationAsset
            ? client.tickerPrices().catch((error: unknown) => {
                this.log.warn(
                  `Ticker prices unavailable, balances shown without valuation: ${error instanceof Error ? error.message : String(error)}`,
                );
                return [];
              })
            : Promise.resolve([]),
        ]),
      );
      if (generation !== this.#generation) return false; // a newer refresh (or environment) superseded this one
      this.#balances = account.balances;
      this.#valuationAsset = valuationAsset;
      this.#rebuild(valuationAsset && prices.length > 0 ? prices : undefined);
      this.#updatedAt = new Date();
      this.status.set('ready', this.#notice);
      this.#describe();
      this.#onDidChangeTreeData.fire(undefined);
      return true;
    } catch (error) {
      if (generation !== this.#generation) return false;
      this.log.error(`Balances on ${environment.label}: ${describeForLog(error)}`);
      this.#clear();
      this.status.fail(environment, error);
      this.status.setDescription(environment.label);
      this.#onDidChangeTreeData.fire(undefined);
      return false;
    }
  }

  /** Applies an outboundAccountPosition event (changed assets only) without a request. */
  applyPositions(positions: readonly Balance[]): void {
    const byAsset = new Map(this.#balances.map((b) => [b.asset, b]));
    for (const p of positions) byAsset.set(p.asset, p);
    this.#balances = [...byAsset.values()];
    this.#rebuild(undefined);
    this.#updatedAt = new Date();
    this.#describe();
    this.#onDidChangeTreeData.fire(undefined);
  }

  /** A persistent explanation shown above the tree (e.g. the testnet reset), until cleared. */
  setNotice(notice: string | undefined): void {
    this.#notice = notice;
    if (this.status.state === 'ready') this.status.set('ready', notice);
  }

  /** Forgets everything (environment or key changed). */
  reset(): void {
    this.#generation++;
    this.#clear();
    this.#notice = undefined;
    this.#onDidChangeTreeData.fire(undefined);
  }

  getTreeItem(node: BalanceNode): vscode.TreeItem {
    const { row } = node;
    const item = new vscode.TreeItem(row.asset, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = balanceDescription(row, node.valuationAsset);
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(balanceTooltip(row, node.valuationAsset, node.pricesFrom));
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon(isZero(row.locked) ? 'circle-large-outline' : 'lock');
    item.contextValue = isZero(row.locked) ? 'balance' : 'balance:locked';
    item.accessibilityInformation = { label: balanceSentence(row, node.valuationAsset) };
    return item;
  }

  getChildren(node?: BalanceNode): BalanceNode[] {
    if (node) return [];
    return this.status.state === 'ready' ? this.#nodes : [];
  }

  dispose(): void {
    this.#onDidChangeTreeData.dispose();
    this.status.dispose();
  }

  /**
   * Rows from the balances, valued (exact decimals) with the newest prices of this environment:
   * `prices` when just fetched, else the last ones (a stream update, or a failed ticker request).
   * Values are always recomputed from the current amounts, never carried over.
   */
  #rebuild(prices: readonly TickerPrice[] | undefined): void {
    if (prices) {
      this.#lastPrices = prices;
      this.#pricesAt = new Date();
    }
    let rows = nonZeroBalances(this.#balances);
    this.#totalValue = undefined;
    this.#unvalued = [];
    if (this.#valuationAsset && this.#lastPrices) {
      const valued = valueBalances(rows, this.#lastPrices, this.#valuationAsset);
      rows = valued.rows;
      this.#totalValue = valued.totalValue;
      this.#unvalued = valued.unvalued;
    }
    const environment = this.session.environment;
    const valuationAsset = this.#valuationAsset || undefined;
    const pricesFrom = this.#pricesAt
      ? `${environment.label}, ${formatTimestamp(this.#pricesAt.getTime())}`
      : undefined;
    this.#nodes = rows.map((row) => ({
      id: `balance:${environment.id}:${row.asset}`,
      row,
      valuationAsset,
      pricesFrom,
    }));
  }

  #describe(): void {
    const parts: string[] = [this.session.environment.label];
    if (this.#totalValue !== undefined && this.#valuationAsset) {
      const unpriced = this.#unvalued.length;
      parts.push(
        `≈ ${formatValue(this.#totalValue)} ${this.#valuationAsset}${unpriced > 0 ? ` (excl. ${unpriced} unpriced)` : ''}`,
      );
    }
    if (this.#updatedAt) parts.push(`updated ${formatTimestamp(this.#updatedAt.getTime())}`);
    this.status.setDescription(parts.join(' · '));
  }

  #clear(): void {
    this.#nodes = [];
    this.#balances = [];
    this.#totalValue = undefined;
    this.#unvalued = [];
    this.#updatedAt = undefined;
    // Prices belong to one environment: never value another environment's balances with them.
    this.#lastPrices = undefined;
    this.#pricesAt = undefined;
  }
}
