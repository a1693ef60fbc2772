/**
 * The Activity view: every execution report of the account, newest first, whatever the symbol and
 * whoever placed the order; a fill reads as its quantity, price and fee, and the order's average
 * price so far.
 */
import * as vscode from 'vscode';
import {
  activityDescription,
  activityLabel,
  type ActivityEntry,
  type ActivityList,
} from '../../app/inspector/activity';

export class ActivityProvider implements vscode.TreeDataProvider<ActivityEntry>, vscode.Disposable {
  readonly #changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.#changed.event;
  readonly #subscription: { dispose(): void };

  constructor(private readonly list: ActivityList) {
    this.#subscription = list.onDidChange(() => this.#changed.fire());
  }

  getChildren(element?: ActivityEntry): ActivityEntry[] {
    return element ? [] : [...this.list.entries()];
  }

  getTreeItem(entry: ActivityEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(activityLabel(entry));
    item.id = entry.key;
    item.description = activityDescription(entry);
    item.iconPath = new vscode.ThemeIcon(entry.fill ? 'arrow-swap' : entry.execType === 'NEW' ? 'add' : 'circle-slash');
    item.tooltip = `${activityLabel(entry)}: ${activityDescription(entry)}\n${new Date(entry.time).toISOString()} · order ${entry.orderId} (${entry.clientOrderId}) · ${entry.environment}`;
    item.accessibilityInformation = { label: `${activityLabel(entry)}: ${activityDescription(entry)}` };
    return item;
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#changed.dispose();
  }
}
