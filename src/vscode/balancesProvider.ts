import * as vscode from 'vscode';
import type { Balance } from '../core/api';
import { isZero } from '../core/decimal';
import { BalanceRow, nonZeroBalances, valueBalances } from './balanceModel';
import { ExchangeSession } from './exchangeSession';
import { formatAmount, formatClock, formatMoney } from './format';
import { Settings } from './settings';
import { ViewStatus } from './viewState';

export const BALANCES_VIEW_ID = 'testnetDesk.balances';

export interface BalanceNode {
  readonly id: string;
  readonly row: BalanceRow;
  readonly valuationAsset?: string;
}

/**
 * Non-zero balances of the active key: free and locked, optionally valued in a quote asset from
 * the same environment's ticker prices. The last update time goes into the view description.
 */
export class BalancesProvider implements vscode.TreeDataProvider<BalanceNode>, vscode.Disposable {
  readonly #onDidChangeTreeData = new vscode.EventEmitter<BalanceNode | undefined>();
  readonly onDidChangeTreeData = this.#onDidChangeTreeData.event;
  readonly status = new ViewStatus('testnetDesk.balancesState');
  #nodes: BalanceNode[] = [];
  #balances: Balance[] = [];
  #totalValue: string | undefined;
  #valuationAsset = '';
  #updatedAt: Date | undefined;
  #generation = 0;
  #notice: string | undefined;
  #lastPrices: Parameters<typeof valueBalances>[1] | undefined;

  constructor(
    private readonly session: ExchangeSession,
    private readonly settings: () => Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {}

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
          valuationAsset ? client.tickerPrices().catch((error: unknown) => {
            this.log.warn(`Ticker prices unavailable, balances shown without valuation: ${error instanceof Error ? error.message : String(error)}`);
            return [];
          }) : Promise.resolve([]),
        ]),
      );
      if (generation !== this.#generation) return false; // a newer refresh (or environment) superseded this one
      this.#balances = account.balances;
      this.#valuationAsset = valuationAsset;
      this.#rebuild(prices.length > 0 ? prices : undefined);
      this.#updatedAt = new Date();
      this.status.set('ready', this.#notice);
      this.#describe();
      this.#onDidChangeTreeData.fire(undefined);
      return true;
    } catch (error) {
      if (generation !== this.#generation) return false;
      this.log.error(`Balances on ${environment.label}: ${error instanceof Error ? error.message : String(error)}`);
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
    this.#rebuild(undefined, true);
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
    const parts = [`free ${formatAmount(row.free)}`];
    if (!isZero(row.locked)) parts.push(`locked ${formatAmount(row.locked)}`);
    if (row.value !== undefined && node.valuationAsset && row.asset !== node.valuationAsset) parts.push(`≈ ${formatMoney(row.value)} ${node.valuationAsset}`);
    item.description = parts.join(' · ');
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${row.asset}**\n\n`);
    tooltip.appendMarkdown(`Free: \`${formatAmount(row.free)}\`\n\nLocked (in open orders): \`${formatAmount(row.locked)}\`\n\nTotal: \`${formatAmount(row.total)}\``);
    if (row.value !== undefined && node.valuationAsset) tooltip.appendMarkdown(`\n\nValue: ≈ ${formatMoney(row.value)} ${node.valuationAsset}`);
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon(isZero(row.locked) ? 'circle-large-outline' : 'lock');
    item.contextValue = isZero(row.locked) ? 'balance' : 'balance:locked';
    item.accessibilityInformation = { label: `${row.asset} ${item.description}` };
    return item;
  }

  getChildren(node?: BalanceNode): BalanceNode[] {
    if (node) return [];
    return this.status.state === 'ready' ? this.#nodes : [];
  }

  dispose(): void {
    this.#onDidChangeTreeData.dispose();
  }

  #rebuild(prices: Parameters<typeof valueBalances>[1] | undefined, keepValues = false): void {
    const previousValues = new Map(this.#nodes.map((n) => [n.row.asset, n.row.value]));
    let rows = nonZeroBalances(this.#balances);
    if (prices && this.#valuationAsset) {
      const valued = valueBalances(rows, prices, this.#valuationAsset);
      rows = valued.rows;
      this.#totalValue = valued.totalValue;
      this.#lastPrices = prices;
    } else if (keepValues && this.#lastPrices && this.#valuationAsset) {
      const valued = valueBalances(rows, this.#lastPrices, this.#valuationAsset);
      rows = valued.rows;
      this.#totalValue = valued.totalValue;
    } else if (!this.#valuationAsset) {
      this.#totalValue = undefined;
    } else {
      rows = rows.map((r) => ({ ...r, value: previousValues.get(r.asset) }));
    }
    const envId = this.session.environment.id;
    this.#nodes = rows.map((row) => ({ id: `balance:${envId}:${row.asset}`, row, valuationAsset: this.#valuationAsset || undefined }));
  }

  #describe(): void {
    const parts: string[] = [this.session.environment.label];
    if (this.#totalValue !== undefined && this.#valuationAsset) parts.push(`≈ ${formatMoney(this.#totalValue)} ${this.#valuationAsset}`);
    if (this.#updatedAt) parts.push(`updated ${formatClock(this.#updatedAt)}`);
    this.status.setDescription(parts.join(' · '));
  }

  #clear(): void {
    this.#nodes = [];
    this.#balances = [];
    this.#totalValue = undefined;
    this.#updatedAt = undefined;
  }
}
