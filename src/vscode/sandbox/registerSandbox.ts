import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClientFactory } from '../../app/exchange';
import { freePort } from '../../app/sandbox/freePort';
import { SandboxService } from '../../app/sandbox/sandboxService';
import type { EnvironmentService } from '../environment/environmentService';
import type { AddKeyArgs, KeyRef } from '../keys/keyCommands';
import type { SecretCredentialStore } from '../keys/secretCredentialStore';
import type { CommandRegistry } from '../shared/commandRegistry';
import type { ShowableLog } from '../shared/log';
import { required, type PrompterHolder } from '../shared/prompter';
import { SETTINGS_SECTION, type Settings } from '../shared/settings';
import { SandboxController } from './sandboxController';
import { registerSandboxState } from './sandboxStateCommands';
import { SANDBOX_STATUS_COMMAND, SandboxStatusBar } from './sandboxStatusBar';

export interface SandboxDeps {
  store: SecretCredentialStore;
  environments: EnvironmentService;
  clients: ClientFactory;
  prompter: PrompterHolder;
  log: ShowableLog;
  commands: CommandRegistry;
  settings: () => Pick<Settings, 'sandboxPort' | 'sandboxKeepHistory'>;
  /** The keys feature's Add API Key. */
  addKey: (args: AddKeyArgs) => Promise<KeyRef | undefined>;
  /** Reloads balances and orders and reconnects the live updates. */
  reloadAccount: () => Promise<void>;
}

/**
 * The local sandbox as a process of its own: Start (or attach), Stop, Restart, Attach to one
 * started from the command line, its log, and its status bar item. Its data folder and discovery
 * file are in the extension's global storage, shared by every window.
 */
export function registerSandbox(context: vscode.ExtensionContext, deps: SandboxDeps): SandboxController {
  const storage = context.globalStorageUri.fsPath;
  const service = new SandboxService({
    places: {
      program: path.join(context.extensionPath, 'dist', 'sandbox.js'),
      runtime: process.execPath,
      dataDir: path.join(storage, 'sandbox'),
      discoveryFile: path.join(storage, 'sandbox.json'),
    },
    keepHistory: () => deps.settings().sandboxKeepHistory,
  });
  const sandbox = new SandboxController({
    service,
    store: deps.store,
    environments: deps.environments,
    clients: deps.clients,
    prompter: deps.prompter,
    log: deps.log,
    port: () => deps.settings().sandboxPort,
    savePort: (port) =>
      vscode.workspace
        .getConfiguration(SETTINGS_SECTION)
        .update('sandbox.port', port, vscode.ConfigurationTarget.Global),
    freePort,
    addKey: deps.addKey,
    reloadAccount: deps.reloadAccount,
    openFile: (file) => vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true }),
    withProgress: (title, task) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task),
  });
  const statusBar = new SandboxStatusBar(
    service,
    () => deps.environments.active.kind === 'local',
    deps.environments.onDidChange,
  );
  context.subscriptions.push(sandbox, statusBar);
  const { commands } = deps;
  commands.register('testnetDesk.sandbox.start', () => sandbox.start(), 'Starting the local sandbox', {
    retryable: true,
  });
  commands.register('testnetDesk.sandbox.stop', () => sandbox.stop(), 'Stopping the local sandbox');
  commands.register('testnetDesk.sandbox.restart', () => sandbox.restart(), 'Restarting the local sandbox');
  commands.register('testnetDesk.sandbox.attach', (a) => sandbox.attach(a ?? {}), 'Attaching to the local sandbox');
  commands.register('testnetDesk.sandbox.showLog', () => sandbox.openLog(), 'Opening the sandbox log');
  commands.register(SANDBOX_STATUS_COMMAND, () => pickAction(deps.prompter, sandbox), 'Running the sandbox action');
  registerSandboxState({ controller: sandbox, prompter: deps.prompter, commands, reloadAccount: deps.reloadAccount });
  return sandbox;
}

async function pickAction(prompter: PrompterHolder, sandbox: SandboxController): Promise<void> {
  const kind = sandbox.service.state.kind;
  const items: (vscode.QuickPickItem & { command: string })[] = [
    ...(kind === 'running'
      ? [
          { label: 'Stop Local Sandbox', command: 'testnetDesk.sandbox.stop' },
          { label: 'Restart Local Sandbox', command: 'testnetDesk.sandbox.restart' },
        ]
      : [{ label: 'Start Local Sandbox', command: 'testnetDesk.sandbox.start' }]),
    { label: 'Attach to Local Sandbox…', command: 'testnetDesk.sandbox.attach' },
    ...(kind === 'running'
      ? [
          { label: 'Export Local Sandbox State…', command: 'testnetDesk.sandbox.exportState' },
          { label: 'Import Local Sandbox State…', command: 'testnetDesk.sandbox.importState' },
          { label: 'Reset Local Sandbox…', command: 'testnetDesk.sandbox.reset' },
        ]
      : []),
    { label: 'Open Local Sandbox Log', command: 'testnetDesk.sandbox.showLog' },
    { label: 'Write Environment to .env', command: 'testnetDesk.bot.writeEnv' },
  ];
  const pick = required(await prompter.current.showQuickPick(items, { title: 'Local sandbox' }));
  await vscode.commands.executeCommand(pick.command);
}
