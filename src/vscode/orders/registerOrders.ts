import * as vscode from 'vscode';
import type { AccountModel } from '../../app/account/accountModel';
import { SymbolCatalog } from '../../app/symbolCatalog';
import type { RefreshCoordinator } from '../account/refreshCoordinator';
import type { EnvironmentService } from '../environment/environmentService';
import type { ExchangeSession } from '../../app/session';
import type { CommandRegistry } from '../shared/commandRegistry';
import { ViewIds } from '../shared/contextKeys';
import type { ShowableLog } from '../shared/log';
import type { PrompterHolder } from '../shared/prompter';
import { OrderCommands } from './orderCommands';
import { LOAD_MORE_COMMAND, loadMore, OrdersNode, OrdersProvider } from './ordersProvider';

export interface OrdersDeps {
  model: AccountModel;
  coordinator: RefreshCoordinator;
  session: ExchangeSession;
  environments: EnvironmentService;
  prompter: PrompterHolder;
  log: ShowableLog;
  commands: CommandRegistry;
}

/** The Orders view and the order commands: place, cancel, cancel all, history, load more, copy id. */
export function registerOrders(context: vscode.ExtensionContext, deps: OrdersDeps): OrdersProvider {
  const { model, coordinator, commands } = deps;
  const provider = new OrdersProvider(model);
  const view = vscode.window.createTreeView<OrdersNode>(ViewIds.orders, {
    treeDataProvider: provider,
    showCollapseAll: true,
  });
  provider.attach(view);
  coordinator.watch(view, { view: provider.status, section: 'orders' });
  context.subscriptions.push(provider, view);

  const orders = new OrderCommands({
    session: deps.session,
    environments: deps.environments,
    catalog: new SymbolCatalog(),
    orders: model.orders,
    tree: provider,
    refreshAll: () => coordinator.refreshAll(),
    prompter: deps.prompter,
    log: deps.log,
  });
  commands.register('testnetDesk.orders.place', (a) => orders.place(a), 'Placing the order');
  commands.register('testnetDesk.orders.cancel', (a) => orders.cancel(a), 'Cancelling the order');
  commands.register('testnetDesk.orders.cancelAll', (a) => orders.cancelAll(a), 'Cancelling the orders');
  commands.register('testnetDesk.orders.showHistory', (a) => orders.showHistory(a), 'Showing the order history', {
    retryable: true,
  });
  commands.register(LOAD_MORE_COMMAND, (a) => loadMore(model.orders, a), 'Loading older orders or trades', {
    retryable: true,
  });
  commands.register('testnetDesk.orders.copyId', (a) => orders.copyId(a), 'Copying the order id');
  return provider;
}
