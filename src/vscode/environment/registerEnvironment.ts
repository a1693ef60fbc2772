import type * as vscode from 'vscode';
import type { CommandRegistry } from '../shared/commandRegistry';
import type { ShowableLog } from '../shared/log';
import type { PrompterHolder } from '../shared/prompter';
import type { SecretCredentialStore } from '../keys/secretCredentialStore';
import { BotCommands } from './botCommands';
import { EnvironmentCommands } from './environmentCommands';
import type { EnvironmentService } from './environmentService';
import type { ExchangeSession } from '../../app/session';
import { EnvironmentStatusBar, StatusBarReachability } from './statusBar';

export interface EnvironmentDeps {
  environments: EnvironmentService;
  store: SecretCredentialStore;
  session: ExchangeSession;
  /** The Balances view's state, so the status bar can say a local sandbox stopped answering. */
  reachability: StatusBarReachability;
  prompter: PrompterHolder;
  log: ShowableLog;
  commands: CommandRegistry;
}

/** The active environment: the status bar, Switch Environment, and Copy Environment Settings for a Bot. */
export function registerEnvironment(context: vscode.ExtensionContext, deps: EnvironmentDeps): void {
  const { environments, store, prompter, commands } = deps;
  context.subscriptions.push(new EnvironmentStatusBar(environments, store, deps.reachability));
  const switcher = new EnvironmentCommands(environments, store, prompter);
  const bot = new BotCommands(deps.session, store, prompter, deps.log);
  commands.register('testnetDesk.environment.switch', (a) => switcher.switch(a), 'Switching environment');
  commands.register('testnetDesk.bot.copyEnv', (a) => bot.copyEnv(a), 'Copying the bot settings');
}
