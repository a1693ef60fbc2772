import * as vscode from 'vscode';
import type { AccountBalances } from '../../app/account/accountBalances';
import type { AccountChange } from '../../app/account/accountModel';
import { balanceDescription, BalanceRow, balanceSentence, balanceTooltip } from '../../app/account/balanceModel';
import type { SectionStatus } from '../../app/account/refreshSection';
import { realTimers, Timers } from '../../app/countdown';
import { formatTimestamp, formatValue } from '../../app/format';
import type { Environment } from '../../core/environments';
import type { Event } from '../../core/events';
import { isZero } from '../../core/decimal';
import { ContextKeys } from '../shared/contextKeys';
import { ViewStatus } from '../shared/viewStatus';

export interface BalanceNode {
  readonly id: string;
  readonly row: BalanceRow;
  readonly valuationAsset?: string;
  /** Where the prices came from, for the tooltip: "Spot Testnet, 14:03:05". */
  readonly pricesFrom?: string;
}

/** What the Balances view reads: the account model's balances and the environment they belong to. */
export interface BalancesSource {
  readonly environment: Environment;
  readonly balances: AccountBalances;
  readonly onDidChange: Event<AccountChange>;
}

/**
 * Renders the account model's balances: non-zero rows with free and locked amounts, optionally
 * valued in a quote asset, and the last update time in the view description. It fetches nothing.
 */
export class BalancesProvider implements vscode.TreeDataProvider<BalanceNode>, vscode.Disposable {
  readonly #onDidChangeTreeData = new vscode.EventEmitter<BalanceNode | undefined>();
  readonly onDidChangeTreeData = this.#onDidChangeTreeData.event;
  readonly status: ViewStatus;
  readonly #subscription: { dispose(): void };
  #nodes: BalanceNode[] = [];

  constructor(
    private readonly model: BalancesSource,
    timers: Timers = realTimers,
  ) {
    this.status = new ViewStatus(ContextKeys.balancesState, ContextKeys.balancesError, timers);
    this.#subscription = model.onDidChange((change) => {
      if (change.section === 'balances') this.#render(change);
    });
  }

  get nodes(): readonly BalanceNode[] {
    return this.#nodes;
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
    this.#subscription.dispose();
    this.#onDidChangeTreeData.dispose();
    this.status.dispose();
  }

  #render(change: AccountChange): void {
    const balances = this.model.balances;
    const status = balances.status;
    if (!this.status.show(status, balances.notice) && change.cause === 'notice' && this.status.state === 'ready')
      this.status.set('ready', balances.notice);
    const environment = this.model.environment;
    const valuationAsset = balances.valuationAsset;
    const pricesAt = balances.pricesAt;
    const pricesFrom = pricesAt !== undefined ? `${environment.label}, ${formatTimestamp(pricesAt)}` : undefined;
    this.#nodes = balances.rows.map((row) => ({
      id: `balance:${environment.id}:${row.asset}`,
      row,
      valuationAsset,
      pricesFrom,
    }));
    this.status.setDescription(this.#description(status, environment));
    this.#onDidChangeTreeData.fire(undefined);
  }

  /** "Spot Testnet · ≈ 18,000.01 USDT (excl. 1 unpriced) · updated 14:03:05"; only the environment without balances. */
  #description(status: SectionStatus, environment: Environment): string {
    if (status.state === 'noKey' || status.state === 'failed') return status.environment.label;
    const balances = this.model.balances;
    const parts: string[] = [environment.label];
    const valuationAsset = balances.valuationAsset;
    if (balances.totalValue !== undefined && valuationAsset) {
      const unpriced = balances.unvalued.length;
      parts.push(
        `≈ ${formatValue(balances.totalValue)} ${valuationAsset}${unpriced > 0 ? ` (excl. ${unpriced} unpriced)` : ''}`,
      );
    }
    if (balances.updatedAt !== undefined) parts.push(`updated ${formatTimestamp(balances.updatedAt)}`);
    return parts.join(' · ');
  }
}
