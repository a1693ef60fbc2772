import type * as vscode from 'vscode';
import type { ClientFactory } from '../../app/exchange';
import type { EnvironmentService } from '../environment/environmentService';
import type { CommandRegistry } from '../shared/commandRegistry';
import type { ErrorPresenter } from '../shared/errorPresenter';
import type { ShowableLog } from '../shared/log';
import type { PrompterHolder } from '../shared/prompter';
import { KeyCommands, type AddKeyArgs, type KeyRef } from './keyCommands';
import type { SecretCredentialStore } from './secretCredentialStore';

export interface KeysDeps {
  store: SecretCredentialStore;
  environments: EnvironmentService;
  clients: ClientFactory;
  prompter: PrompterHolder;
  presenter: ErrorPresenter;
  log: ShowableLog;
  commands: CommandRegistry;
}

/** What other features may do with keys: add one through the same checks as the command. */
export interface KeysFeature {
  addKey(args: AddKeyArgs): Promise<KeyRef | undefined>;
}

/** API keys: add (checked first), generate an Ed25519 pair, manage, select, rename, remove. */
export function registerKeys(_context: vscode.ExtensionContext, deps: KeysDeps): KeysFeature {
  const keys = new KeyCommands(deps);
  const { commands } = deps;
  commands.register('testnetDesk.keys.add', (a) => keys.addKey(a), 'Adding the API key');
  commands.register('testnetDesk.keys.generateEd25519', (a) => keys.generateEd25519(a), 'Generating the Ed25519 key');
  commands.register('testnetDesk.keys.manage', () => keys.manage(), 'Managing keys');
  commands.register('testnetDesk.keys.select', (a) => keys.select(a), 'Selecting the key');
  commands.register('testnetDesk.keys.rename', (a) => keys.rename(a), 'Renaming the key');
  commands.register('testnetDesk.keys.remove', (a) => keys.remove(a), 'Removing the key');
  return { addKey: (args) => keys.addKey(args) };
}
