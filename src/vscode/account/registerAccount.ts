import * as vscode from 'vscode';
import type { ActivityList } from '../../app/inspector/activity';
import { AccountModel } from '../../app/account/accountModel';
import { LiveUpdates } from '../../app/account/liveUpdates';
import { ResetWatcher } from '../../app/account/resetWatcher';
import type { EnvironmentService } from '../environment/environmentService';
import type { ExchangeSession } from '../../app/session';
import type { SecretCredentialStore } from '../keys/secretCredentialStore';
import type { CommandRegistry } from '../shared/commandRegistry';
import { ViewIds } from '../shared/contextKeys';
import type { ShowableLog } from '../shared/log';
import type { PrompterHolder } from '../shared/prompter';
import type { Settings } from '../shared/settings';
import { RefreshCoordinator } from './refreshCoordinator';

export interface AccountDeps {
  session: ExchangeSession;
  environments: EnvironmentService;
  store: SecretCredentialStore;
  settings: () => Settings;
  prompter: PrompterHolder;
  log: ShowableLog;
  commands: CommandRegistry;
  /** The Activity feed, told of every execution report. */
  activity?: ActivityList;
}

export interface Account {
  model: AccountModel;
  coordinator: RefreshCoordinator;
  live: LiveUpdates;
}

/**
 * The account the Balances and Orders views show: the VS Code-free model, the policy that decides
 * when it reloads, the live updates that patch it, and the Refresh commands. The model, the policy
 * and the live updates each follow the session's one identity event (environment or active key).
 */
export function registerAccount(context: vscode.ExtensionContext, deps: AccountDeps): Account {
  const { session, settings, log, commands } = deps;
  const model = new AccountModel({
    source: session,
    identityChanged: session.onDidChangeIdentity,
    state: context.globalState,
    valuationAsset: () => settings().valuationAsset,
    log,
    progress: (section, task) => vscode.window.withProgress({ location: { viewId: ViewIds[section] } }, task),
  });
  const coordinator = new RefreshCoordinator({
    session,
    environments: deps.environments,
    keys: deps.store,
    model,
    resets: new ResetWatcher(context.globalState),
    settings,
    prompter: deps.prompter,
    log,
  });
  const live = new LiveUpdates({
    session,
    model,
    refresh: coordinator,
    enabled: () => settings().liveUpdates,
    log,
    activity: deps.activity,
  });
  context.subscriptions.push(model, coordinator, live);
  commands.register('testnetDesk.views.refresh', () => coordinator.refreshAll(), 'Refreshing', { retryable: true });
  commands.register('testnetDesk.balances.refresh', () => coordinator.refreshBalances(), 'Refreshing balances', {
    retryable: true,
  });
  commands.register('testnetDesk.orders.refresh', () => coordinator.refreshOrders(), 'Refreshing orders', {
    retryable: true,
  });
  return { model, coordinator, live };
}
