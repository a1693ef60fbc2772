import * as vscode from 'vscode';
import type { CommandRegistry } from '../shared/commandRegistry';
import type { ShowableLog } from '../shared/log';
import type { PrompterHolder } from '../shared/prompter';
import { BotCommands, BotKeys } from './botCommands';
import { BotDebugConfigurationProvider } from './botDebugConfiguration';
import { EnvironmentCommands } from './environmentCommands';
import type { EnvironmentService } from './environmentService';
import type { ExchangeSession } from '../../app/session';
import { EnvironmentStatusBar, StatusBarKeys, StatusBarReachability } from './statusBar';

export interface EnvironmentDeps {
  environments: EnvironmentService;
  /** The key store (the keys feature's): active keys, their changes, and the secret for the bot copy. */
  store: BotKeys & StatusBarKeys;
  session: ExchangeSession;
  /** The Balances view's state, so the status bar can say a local sandbox stopped answering. */
  reachability: StatusBarReachability;
  prompter: PrompterHolder;
  log: ShowableLog;
  commands: CommandRegistry;
}

/**
 * The active environment: the status bar, Switch Environment, and the bot's settings (Copy
 * Environment Settings, Write Environment to .env, and the environment of a bot started with F5).
 */
export function registerEnvironment(context: vscode.ExtensionContext, deps: EnvironmentDeps): void {
  const { environments, store, prompter, commands } = deps;
  context.subscriptions.push(new EnvironmentStatusBar(environments, store, deps.reachability));
  const switcher = new EnvironmentCommands(environments, store, prompter);
  const bot = new BotCommands(deps.session, store, prompter, deps.log);
  commands.register('testnetDesk.environment.switch', (a) => switcher.switch(a), 'Switching environment');
  commands.register('testnetDesk.bot.copyEnv', (a) => bot.copyEnv(a), 'Copying the bot settings');
  commands.register('testnetDesk.bot.writeEnv', (a) => bot.writeEnv(a ?? {}), 'Writing the bot settings to .env');
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(
      '*',
      new BotDebugConfigurationProvider(deps.session, store, environments, prompter, deps.log),
    ),
  );
}
