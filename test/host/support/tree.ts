// Reads a TreeDataProvider the way the tree view does (getChildren + getTreeItem), as plain text rows.
import type * as vscode from 'vscode';

export interface Row {
  depth: number;
  label: string;
  description: string;
  contextValue?: string;
}

function labelText(label: string | vscode.TreeItemLabel | undefined): string {
  if (label === undefined) return '';
  return typeof label === 'string' ? label : label.label;
}

/** Walks the tree (expanding every collapsible node) up to `maxDepth` levels. */
export async function treeRows<T>(provider: vscode.TreeDataProvider<T>, maxDepth = 3): Promise<Row[]> {
  const rows: Row[] = [];
  const walk = async (parent: T | undefined, depth: number): Promise<void> => {
    const children = (await provider.getChildren(parent)) ?? [];
    for (const child of children) {
      const item = await provider.getTreeItem(child);
      rows.push({
        depth,
        label: labelText(item.label),
        description: typeof item.description === 'string' ? item.description : '',
        contextValue: item.contextValue,
      });
      // Collapsed history/trade groups are fetched lazily; only walk what the view shows expanded.
      if (depth + 1 < maxDepth && item.collapsibleState === 2 /* Expanded */) await walk(child, depth + 1);
    }
  };
  await walk(undefined, 0);
  return rows;
}

export const rowText = (r: Row): string => `${r.label} ${r.description}`.trim();
