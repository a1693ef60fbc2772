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
import { PrompterHolder } from './vscode/prompter';
import { RefreshCoordinator } from './vscode/refreshCoordinator';
import { ResetWatcher } from './app/account/resetWatcher';
import { SandboxController } from './vscode/sandboxController';
import { SecretCredentialStore } from './vscode/secretCredentialStore';
import { onDidChangeSettings, readSettings } from './vscode/settings';
import { EnvironmentStatusBar } from './vscode/statusBar';
import { SymbolCatalog } from './app/symbolCatalog';
import { publishTestHooks } from './vscode/testHooks';
import { UserDataStream } from './vscode/userDataStream';

/**
 * What `activate` returns, in every mode: the only thing any other extension gets from
 * `vscode.extensions.getExtension('testnet-desk.testnet-desk').exports`. A frozen object with one
 * frozen promise that settles (always resolving, never with a value) once start-up has finished; a
 * start-up failure goes to the Testnet Desk log, not here. Nothing reachable from it reveals a secret
 * or a full API key, signs, changes state or answers a prompt.
 *
 * The extension-host tests get their handles (store, setPrompter, …) through the test-hooks channel
 * instead, published only in ExtensionMode.Test: see src/vscode/testHooks.ts.
 *
 * Commands also take an optional args object (e.g. `testnetDesk.keys.add` with
 * {environmentId, keyType, label?, apiKey, secret | privateKeyPem}); args go through the same checks
 * as the UI path, and commands return a small result object for tests.
 */
export interface TestnetDeskApi {
  readonly ready: Promise<void>;
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

  subscriptions.push(
    publishTestHooks(context.extensionMode === vscode.ExtensionMode.Test, () => ({
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
    })),
  );

  // A new promise, so no caller reaches start-up's own chain or its error object.
  const settled = ready.then(
    () => undefined,
    () => undefined,
  );
  return Object.freeze({ ready: Object.freeze(settled) });
}

export async function deactivate(): Promise<void> {
  await sandboxForDeactivate?.shutdown();
  sandboxForDeactivate = undefined;
}
