import * as vscode from 'vscode';

/**
 * Context keys used in package.json `when` clauses (menus, viewsWelcome, enablement).
 * Keep these names in sync with the manifest.
 */
export const ContextKeys = {
  /** Balances view state (ViewState below; drives its welcome content). */
  balancesState: 'testnetDesk.balancesState',
  /** Orders view state, same values. */
  ordersState: 'testnetDesk.ordersState',
  /** In the `error` state, what went wrong: 'key' | 'connection' | 'server' | 'other' (the welcome's sentence). */
  balancesError: 'testnetDesk.balancesError',
  ordersError: 'testnetDesk.ordersError',
  /** The active environment has an active key. */
  hasKey: 'testnetDesk.hasKey',
  /** A Spot Testnet key is stored (completes the walkthrough's "Add a Spot Testnet API key" step). */
  hasTestnetKey: 'testnetDesk.hasTestnetKey',
  /** The active environment's kind: testnet | demo | live | local. */
  environmentKind: 'testnetDesk.environmentKind',
  /** Orders may be placed/cancelled in the active environment (false on Live unless allowed). */
  canTrade: 'testnetDesk.canTrade',
  /** This window runs an in-process sandbox. */
  sandboxRunning: 'testnetDesk.sandboxRunning',
} as const;

/** The tree views (package.json `contributes.views`), by the part of the account each shows. */
export const ViewIds = {
  balances: 'testnetDesk.balances',
  orders: 'testnetDesk.orders',
  requests: 'testnetDesk.requests',
  activity: 'testnetDesk.activity',
} as const;

/** `rateLimited`: a 429/418 Retry-After runs; the view shows a countdown and reloads by itself. */
export type ViewState = 'noKey' | 'sandboxStopped' | 'error' | 'rateLimited' | 'loading' | 'ready';

export function setContext(key: string, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
