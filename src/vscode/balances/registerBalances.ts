import * as vscode from 'vscode';
import type { AccountModel } from '../../app/account/accountModel';
import type { RefreshCoordinator } from '../account/refreshCoordinator';
import { ViewIds } from '../shared/contextKeys';
import { BalancesProvider } from './balancesProvider';

export interface BalancesDeps {
  model: AccountModel;
  coordinator: RefreshCoordinator;
}

/** The Balances view: renders the account model's balances; shown, it starts loading them. */
export function registerBalances(context: vscode.ExtensionContext, deps: BalancesDeps): BalancesProvider {
  const provider = new BalancesProvider(deps.model);
  const view = vscode.window.createTreeView(ViewIds.balances, { treeDataProvider: provider });
  provider.status.attach(view);
  deps.coordinator.watch(view, { view: provider.status, section: 'balances' });
  context.subscriptions.push(provider, view);
  return provider;
}
