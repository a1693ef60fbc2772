import * as vscode from 'vscode';

/**
 * Context keys used in package.json `when` clauses (menus, viewsWelcome, enablement).
 * Keep these names in sync with the manifest.
 */
export const ContextKeys = {
  /** Balances view state: 'noKey' | 'sandboxStopped' | 'error' | 'loading' | 'ready' (drives its welcome content). */
  balancesState: 'testnetDesk.balancesState',
  /** Orders view state, same values. */
  ordersState: 'testnetDesk.ordersState',
  /** The active environment has an active key. */
  hasKey: 'testnetDesk.hasKey',
  /** The active environment's kind: testnet | demo | live | local. */
  environmentKind: 'testnetDesk.environmentKind',
  /** Orders may be placed/cancelled in the active environment (false on Live unless allowed). */
  canTrade: 'testnetDesk.canTrade',
  /** This window runs an in-process sandbox. */
  sandboxRunning: 'testnetDesk.sandboxRunning',
} as const;

export type ViewState = 'noKey' | 'sandboxStopped' | 'error' | 'loading' | 'ready';

export function setContext(key: string, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
