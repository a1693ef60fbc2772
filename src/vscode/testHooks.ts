/**
 * The handles the extension-host tests drive the extension with. They are never part of what
 * `activate()` returns (any extension can read that); the composition root publishes them only in
 * `ExtensionMode.Test`, which VS Code sets only for an extension under development that was started
 * with `extensionTestsPath`: never for an installed .vsix, never for a plain F5 Development host.
 *
 * Channel: a non-enumerable property of globalThis under `Symbol.for('testnet-desk.testHooks')`.
 * Symbol.for, because the tests load their own compiled copy of this file, not the bundle's; the
 * global registry gives both the same key. Extensions share one process, so in a Test host any of
 * them can read it too: the guarantee is for production installs, where it is never set.
 * Type-only imports: tests load this file without pulling in the extension.
 */
import type * as vscode from 'vscode';
import type { BalancesProvider } from './balances/balancesProvider';
import type { EnvironmentService } from './environment/environmentService';
import type { LiveUpdates } from '../app/account/liveUpdates';
import type { RequestList } from '../app/inspector/requestList';
import type { ExchangeSession } from '../app/session';
import type { OrdersProvider } from './orders/ordersProvider';
import type { Prompter } from './shared/prompter';
import type { RefreshCoordinator } from './account/refreshCoordinator';
import type { MarketPanels } from './market/marketPanels';
import type { SandboxController } from './sandbox/sandboxController';
import type { SecretCredentialStore } from './keys/secretCredentialStore';

export const TEST_HOOKS_KEY: unique symbol = Symbol.for('testnet-desk.testHooks');

/**
 * - `ready`             resolves once the keys have been loaded and start-up finished (rejects with its error).
 * - `store`             SecretCredentialStore: list(envId?), activeFor(envId), get(id), add/rename/remove, onDidChange.
 * - `environments`      EnvironmentService: active, available(), setActive(env), canTrade(env), onDidChange.
 * - `session`           ExchangeSession: the SpotClient of the active environment (`session.client`), its
 *                       key, and onDidChangeIdentity (the environment or the active key changed).
 * - `balancesProvider`  BalancesProvider: refresh(), nodes, balances, status.state, getChildren()/getTreeItem().
 * - `ordersProvider`    OrdersProvider: refresh(), openOrders, groups, getChildren(node), revealOrder(symbol, id),
 *                       loadMore({symbol, kind: 'history' | 'trades'}) (also the command testnetDesk.orders.loadMore).
 * - `coordinator`       RefreshCoordinator: refreshAll().
 * - `sandbox`           SandboxController: start() → {environmentId, baseUrl, wsApiUrl}, stop(), running.
 * - `market`            MarketPanels: open(symbol), symbols.
 * - `requests`          RequestList: the Requests view's model (visible(), filter).
 * - `stream`            LiveUpdates: state ('off' | 'connecting' | 'connected' | 'backoff').
 * - `globalState`       the extension's globalState, so tests can check that no secret or full key is in it.
 * - `setPrompter(p)`    replaces every QuickPick / InputBox / message / clipboard / openExternal with `p`
 *                       (undefined restores the real UI).
 */
export interface TestnetDeskTestHooks {
  ready: Promise<void>;
  store: SecretCredentialStore;
  environments: EnvironmentService;
  session: ExchangeSession;
  balancesProvider: BalancesProvider;
  ordersProvider: OrdersProvider;
  coordinator: RefreshCoordinator;
  sandbox: SandboxController;
  market: MarketPanels;
  requests: RequestList;
  stream: LiveUpdates;
  globalState: vscode.Memento;
  setPrompter(prompter: Prompter | undefined): void;
}

type WithHooks = { [TEST_HOOKS_KEY]?: TestnetDeskTestHooks };

/**
 * Publishes the hooks when `inTestMode` (the caller compares context.extensionMode with
 * ExtensionMode.Test); otherwise publishes nothing. Disposing removes them again.
 */
export function publishTestHooks(inTestMode: boolean, hooks: () => TestnetDeskTestHooks): vscode.Disposable {
  if (!inTestMode) return { dispose: () => undefined };
  const published = hooks();
  Object.defineProperty(globalThis, TEST_HOOKS_KEY, {
    value: published,
    configurable: true,
    enumerable: false,
    writable: false,
  });
  return {
    dispose: () => {
      if ((globalThis as WithHooks)[TEST_HOOKS_KEY] === published) delete (globalThis as WithHooks)[TEST_HOOKS_KEY];
    },
  };
}

/** The published hooks, or undefined when the extension is not active in a Test host. */
export function readTestHooks(): TestnetDeskTestHooks | undefined {
  return (globalThis as WithHooks)[TEST_HOOKS_KEY];
}
