/**
 * Composition root: builds the services, views, status bar and commands, and pushes every
 * disposable to context.subscriptions. Behaviour lives in src/vscode/* (one job per file) and in
 * the VS Code-free src/core/*.
 */
import * as vscode from 'vscode';
import { BALANCES_VIEW_ID, BalancesProvider } from './vscode/balancesProvider';
import { BotCommands } from './vscode/botCommands';
import { createClientFactory } from './vscode/clientFactory';
import { CommandHandler, registerCommand } from './vscode/commandRegistry';
import { EnvironmentCommands } from './vscode/environmentCommands';
import { EnvironmentService } from './vscode/environmentService';
import { ErrorPresenter } from './vscode/errorPresenter';
import { ExchangeSession } from './vscode/exchangeSession';
import { KeyCommands } from './vscode/keyCommands';
import { OrderCommands } from './vscode/orderCommands';
import { LOAD_MORE_COMMAND, ORDERS_VIEW_ID, OrdersNode, OrdersProvider } from './vscode/ordersProvider';
import { Prompter, PrompterHolder } from './vscode/prompter';
import { RefreshCoordinator } from './vscode/refreshCoordinator';
import { ResetWatcher } from './vscode/resetWatcher';
import { SandboxController } from './vscode/sandboxController';
import { SecretCredentialStore } from './vscode/secretCredentialStore';
import { onDidChangeSettings, readSettings } from './vscode/settings';
import { EnvironmentStatusBar } from './vscode/statusBar';
import { SymbolCatalog } from './vscode/symbolCatalog';
import { UserDataStream } from './vscode/userDataStream';

/**
 * What `activate` returns, for the extension-host tests (test/host/**):
 *
 * - `ready`             resolves once the keys have been loaded from SecretStorage.
 * - `store`             SecretCredentialStore: list(envId?), activeFor(envId), get(id), add/rename/remove, onDidChange.
 * - `environments`      EnvironmentService: active, available(), setActive(env), canTrade(env), onDidChange.
 * - `session`           ExchangeSession: the SpotClient of the active environment (`session.client`).
 * - `balancesProvider`  BalancesProvider: refresh(), nodes, balances, status.state, getChildren()/getTreeItem().
 * - `ordersProvider`    OrdersProvider: refresh(), openOrders, groups, getChildren(node), revealOrder(symbol, id),
 *                       loadMore({symbol, kind: 'history' | 'trades'}) (also the command testnetDesk.orders.loadMore).
 * - `coordinator`       RefreshCoordinator: refreshAll().
 * - `sandbox`           SandboxController: start() → {environmentId, baseUrl, wsApiUrl}, stop(), running.
 * - `stream`            UserDataStream: state ('off' | 'connecting' | 'connected' | 'backoff').
 * - `globalState`       the extension's globalState, so tests can check that no secret or full key is in it.
 * - `setPrompter(p)`    replaces every QuickPick / InputBox / message / clipboard / openExternal with `p`
 *                       (undefined restores the real UI).
 *
 * Commands also take an optional args object (e.g. `testnetDesk.keys.add` with
 * {environmentId, keyType, label?, apiKey, secret | privateKeyPem}); args go through the same checks
 * as the UI path, and commands return a small result object for tests.
 */
export interface TestnetDeskApi {
  ready: Promise<void>;
  store: SecretCredentialStore;
  environments: EnvironmentService;
  session: ExchangeSession;
  balancesProvider: BalancesProvider;
  ordersProvider: OrdersProvider;
  coordinator: RefreshCoordinator;
  sandbox: SandboxController;
  stream: UserDataStream;
  globalState: vscode.Memento;
  setPrompter(prompter: Prompter | undefined): void;
}

let sandboxForDeactivate: SandboxController | undefined;

export function activate(context: vscode.ExtensionContext): TestnetDeskApi {
  const subscriptions = context.subscriptions;
  const log = vscode.window.createOutputChannel('Testnet Desk', { log: true });
  subscriptions.push(log);
  const prompter = new PrompterHolder();

  const store = new SecretCredentialStore(context.secrets, context.globalState, log);
  const environments = new EnvironmentService(context.globalState, store, readSettings);
  const clients = createClientFactory(log, readSettings);
  const session = new ExchangeSession(environments, store, clients);
  const presenter = new ErrorPresenter(prompter, log, () => environments.active);
  subscriptions.push(store, environments, session);

  const balances = new BalancesProvider(session, readSettings, log);
  const orders = new OrdersProvider(session, context.globalState, log);
  const balancesView = vscode.window.createTreeView(BALANCES_VIEW_ID, { treeDataProvider: balances });
  const ordersView = vscode.window.createTreeView<OrdersNode>(ORDERS_VIEW_ID, {
    treeDataProvider: orders,
    showCollapseAll: true,
  });
  balances.status.attach(balancesView);
  orders.attach(ordersView);
  subscriptions.push(balances, orders, balancesView, ordersView);

  const coordinator = new RefreshCoordinator(
    session,
    environments,
    store,
    balances,
    orders,
    new ResetWatcher(context.globalState),
    readSettings,
    prompter,
    log,
  );
  coordinator.watch(balancesView);
  coordinator.watch(ordersView);
  const sandbox = new SandboxController(store, environments, clients, prompter, log);
  sandboxForDeactivate = sandbox;
  const stream = new UserDataStream(session, store, balances, orders, coordinator, readSettings, log);
  subscriptions.push(coordinator, sandbox, stream, new EnvironmentStatusBar(environments, store, balances.status));

  subscriptions.push(
    onDidChangeSettings(() => {
      environments.settingsChanged();
      session.rebuild();
      coordinator.settingsChanged();
      stream.restart();
    }),
  );

  const keys = new KeyCommands(store, environments, clients, prompter, presenter, log);
  const orderCommands = new OrderCommands(
    session,
    environments,
    new SymbolCatalog(),
    orders,
    () => coordinator.refreshAll(),
    prompter,
    log,
  );
  const environmentCommands = new EnvironmentCommands(environments, store, prompter);
  const bot = new BotCommands(session, store, prompter, log);
  const commands: [string, CommandHandler, string, boolean?][] = [
    ['testnetDesk.keys.add', (a) => keys.addKey(a), 'Adding the API key'],
    ['testnetDesk.keys.generateEd25519', (a) => keys.generateEd25519(a), 'Generating the Ed25519 key'],
    ['testnetDesk.keys.manage', () => keys.manage(), 'Managing keys'],
    ['testnetDesk.keys.select', (a) => keys.select(a), 'Selecting the key'],
    ['testnetDesk.keys.rename', (a) => keys.rename(a), 'Renaming the key'],
    ['testnetDesk.keys.remove', (a) => keys.remove(a), 'Removing the key'],
    ['testnetDesk.environment.switch', (a) => environmentCommands.switch(a), 'Switching environment'],
    ['testnetDesk.views.refresh', () => coordinator.refreshAll(), 'Refreshing', true],
    ['testnetDesk.balances.refresh', () => coordinator.refreshBalances(), 'Refreshing balances', true],
    ['testnetDesk.orders.refresh', () => coordinator.refreshOrders(), 'Refreshing orders', true],
    ['testnetDesk.orders.place', (a) => orderCommands.place(a), 'Placing the order'],
    ['testnetDesk.orders.cancel', (a) => orderCommands.cancel(a), 'Cancelling the order'],
    ['testnetDesk.orders.cancelAll', (a) => orderCommands.cancelAll(a), 'Cancelling the orders'],
    ['testnetDesk.orders.showHistory', (a) => orderCommands.showHistory(a), 'Showing the order history', true],
    [LOAD_MORE_COMMAND, (a) => orders.loadMore(a), 'Loading older orders or trades', true],
    ['testnetDesk.orders.copyId', (a) => orderCommands.copyId(a), 'Copying the order id'],
    ['testnetDesk.sandbox.start', () => sandbox.start(), 'Starting the local sandbox', true],
    ['testnetDesk.sandbox.stop', () => sandbox.stop(), 'Stopping the local sandbox'],
    ['testnetDesk.bot.copyEnv', (a) => bot.copyEnv(a), 'Copying the bot settings'],
    ['testnetDesk.log.show', () => log.show(true), 'Showing the log'],
  ];
  for (const [id, handler, what, retryable] of commands)
    subscriptions.push(registerCommand(id, handler, presenter, { what, retryable }));

  const ready = store.ready().then(async () => {
    await environments.dropUnusableLocal();
    coordinator.updateContext();
    if (!session.hasKey || coordinator.anyViewVisible) await coordinator.refreshAll();
    stream.restart();
    // After the first refresh, so a local sandbox that no longer answers cannot delay start-up; it
    // switches away from an environment whose keys it removes, so nothing is left to re-check.
    await sandbox.pruneStaleKeys();
  });
  ready.catch((error: unknown) =>
    log.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`),
  );

  return {
    ready,
    store,
    environments,
    session,
    balancesProvider: balances,
    ordersProvider: orders,
    coordinator,
    sandbox,
    stream,
    globalState: context.globalState,
    setPrompter: (p) => prompter.set(p),
  };
}

export async function deactivate(): Promise<void> {
  await sandboxForDeactivate?.shutdown();
  sandboxForDeactivate = undefined;
}
