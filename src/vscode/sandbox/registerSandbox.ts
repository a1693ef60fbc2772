import type * as vscode from 'vscode';
import type { ClientFactory } from '../../app/exchange';
import type { EnvironmentService } from '../environment/environmentService';
import type { SecretCredentialStore } from '../keys/secretCredentialStore';
import type { CommandRegistry } from '../shared/commandRegistry';
import type { ShowableLog } from '../shared/log';
import type { PrompterHolder } from '../shared/prompter';
import { SandboxController } from './sandboxController';

export interface SandboxDeps {
  store: SecretCredentialStore;
  environments: EnvironmentService;
  clients: ClientFactory;
  prompter: PrompterHolder;
  log: ShowableLog;
  commands: CommandRegistry;
}

/** The in-process local sandbox: Start / Stop, its generated key under its own environment. */
export function registerSandbox(context: vscode.ExtensionContext, deps: SandboxDeps): SandboxController {
  const sandbox = new SandboxController(deps);
  context.subscriptions.push(sandbox);
  deps.commands.register('testnetDesk.sandbox.start', () => sandbox.start(), 'Starting the local sandbox', {
    retryable: true,
  });
  deps.commands.register('testnetDesk.sandbox.stop', () => sandbox.stop(), 'Stopping the local sandbox');
  return sandbox;
}
