/**
 * Composition root: builds the shared services (log, prompter, key store, environment service,
 * session, error presenter, command registry), then calls one registerX(context, deps) per feature
 * folder of src/vscode; every disposable goes to context.subscriptions. Behaviour lives in the
 * features and in the VS Code-free src/app and src/core (docs/architecture.md).
 */
import * as vscode from 'vscode';
import { createClientFactory } from './app/clientFactory';
import { ActivityList } from './app/inspector/activity';
import { ownRequest } from './app/inspector/ownRequests';
import { RequestList } from './app/inspector/requestList';
import { ExchangeSession } from './app/session';
import { registerAccount } from './vscode/account/registerAccount';
import { registerBalances } from './vscode/balances/registerBalances';
import { EnvironmentService } from './vscode/environment/environmentService';
import { registerEnvironment } from './vscode/environment/registerEnvironment';
import { registerInspector } from './vscode/inspector/registerInspector';
import { registerKeys } from './vscode/keys/registerKeys';
import { registerMarket } from './vscode/market/registerMarket';
import { SecretCredentialStore } from './vscode/keys/secretCredentialStore';
import { registerOrders } from './vscode/orders/registerOrders';
import { registerSandbox } from './vscode/sandbox/registerSandbox';
import { CommandRegistry } from './vscode/shared/commandRegistry';
import { ErrorPresenter } from './vscode/shared/errorPresenter';
import { createLog } from './vscode/shared/log';
import { PrompterHolder } from './vscode/shared/prompter';
import { onDidChangeSettings, readSettings } from './vscode/shared/settings';
import { publishTestHooks } from './vscode/testHooks';

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

export function activate(context: vscode.ExtensionContext): TestnetDeskApi {
  const subscriptions = context.subscriptions;
  const log = createLog(context);
  const prompter = new PrompterHolder();

  const store = new SecretCredentialStore(context.secrets, context.globalState, log);
  const environments = new EnvironmentService(context.globalState, store, readSettings);
  // The Requests view lists the extension's own requests to the remote environments; a local
  // sandbox records every client's, its own included (registerInspector follows it).
  const requests = new RequestList();
  const activity = new ActivityList();
  const clients = createClientFactory(log, readSettings, undefined, (entry, environment) => {
    if (environment.kind !== 'local') requests.add(ownRequest(entry, environment));
  });
  const session = new ExchangeSession(environments, store, clients);
  const presenter = new ErrorPresenter(prompter, log, () => environments.active);
  const commands = new CommandRegistry(subscriptions, presenter);
  subscriptions.push(store, environments, session, requests, activity);
  const shared = { prompter, presenter, log, commands, settings: readSettings };

  const keys = registerKeys(context, { ...shared, store, environments, clients });
  const { model, coordinator, live } = registerAccount(context, { ...shared, session, environments, store, activity });
  const balances = registerBalances(context, { model, coordinator });
  const orders = registerOrders(context, { ...shared, model, coordinator, session, environments });
  registerEnvironment(context, { ...shared, environments, store, session, reachability: balances.status });
  const market = registerMarket(context, { ...shared, session, environments, model, clients });
  registerInspector(context, {
    ...shared,
    list: requests,
    activity,
    notifyFills: () => readSettings().notifyFills,
    session,
  });
  const sandbox = registerSandbox(context, {
    ...shared,
    store,
    environments,
    clients,
    addKey: (args) => keys.addKey(args),
    // After a start or stop on the same environment and key nothing else reloads: the views and the stream.
    reloadAccount: () => {
      live.restart();
      return coordinator.refreshAll();
    },
  });
  commands.register('testnetDesk.log.show', () => log.show(true), 'Showing the log');

  subscriptions.push(
    // The environment service re-checks Live and fires once: the session rebuilds its client (new
    // recvWindow) and, only if the environment changed, fires the identity event. Then the refresh
    // policy and the live updates re-read their own settings.
    onDidChangeSettings(() => {
      environments.settingsChanged();
      coordinator.settingsChanged();
      live.settingsChanged();
    }),
  );

  const ready = store.ready().then(async () => {
    // A sandbox that outlived the last window (a reload) is found before the views first load.
    await sandbox.initialize();
    await environments.dropUnusableLocal();
    coordinator.updateContext();
    if (!session.hasKey || coordinator.anyViewVisible) await coordinator.refreshAll();
    live.restart();
    // After the first refresh, so a local sandbox that no longer answers cannot delay start-up.
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
      market,
      requests,
      stream: live,
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

/**
 * Nothing to stop: the local sandbox is a process of its own and keeps running when the window
 * reloads or closes (Stop stops it). Every disposable is in context.subscriptions.
 */
export function deactivate(): void {
  // intentionally empty
}
