/**
 * Export, Import and Reset of the local sandbox's state: a team shares a fixture file, a bot's CI
 * starts from it (`npm run sandbox -- --import FILE`), and a reset gives a fresh exchange with the
 * same keys. Import and Reset replace every account and order, so they ask first.
 */
import * as vscode from 'vscode';
import { exportSandboxState, importSandboxState, resetSandboxState } from '../../app/sandbox/stateTransfer';
import type { CommandRegistry } from '../shared/commandRegistry';
import type { PrompterHolder } from '../shared/prompter';
import type { SandboxController } from './sandboxController';

export interface SandboxStateDeps {
  controller: Pick<SandboxController, 'running' | 'openOrderSymbols'>;
  prompter: PrompterHolder;
  commands: CommandRegistry;
  /** Reloads balances and orders and reconnects the live updates. */
  reloadAccount: () => Promise<void>;
}

/** A file given by a caller (a test, a task) instead of the file dialog. */
interface FileArgs {
  file?: string;
}

const STATE_FILTERS = { 'Sandbox state': ['state'] };

export function registerSandboxState(deps: SandboxStateDeps): void {
  const { commands } = deps;
  commands.register(
    'testnetDesk.sandbox.exportState',
    (args?: FileArgs) => exportState(deps, args),
    'Exporting the sandbox state',
  );
  commands.register(
    'testnetDesk.sandbox.importState',
    (args?: FileArgs) => importState(deps, args),
    'Importing a sandbox state',
  );
  commands.register('testnetDesk.sandbox.reset', () => reset(deps), 'Resetting the local sandbox');
}

function runningUrl(deps: SandboxStateDeps): string {
  const running = deps.controller.running;
  if (!running) throw new Error('The local sandbox is not running. Start it first (Binance: Start Local Sandbox).');
  return running.baseUrl;
}

async function exportState(deps: SandboxStateDeps, args: FileArgs = {}): Promise<void> {
  const baseUrl = runningUrl(deps);
  const target =
    args.file !== undefined
      ? vscode.Uri.file(args.file)
      : await vscode.window.showSaveDialog({
          title: 'Export the local sandbox state',
          filters: STATE_FILTERS,
          defaultUri: defaultLocation(`sandbox-${new Date().toISOString().slice(0, 10)}.state`),
        });
  if (!target) return;
  const file = await exportSandboxState(baseUrl);
  await vscode.workspace.fs.writeFile(target, file);
  void deps.prompter.current.showInformationMessage(
    `Exported the local sandbox state to ${target.fsPath}. Start a sandbox from it with Import Local Sandbox State… or npm run sandbox -- --import FILE.`,
    {},
  );
}

async function importState(deps: SandboxStateDeps, args: FileArgs = {}): Promise<void> {
  const baseUrl = runningUrl(deps);
  const source =
    args.file !== undefined
      ? vscode.Uri.file(args.file)
      : (
          await vscode.window.showOpenDialog({
            title: 'Import a sandbox state',
            filters: STATE_FILTERS,
            canSelectMany: false,
            defaultUri: defaultLocation(),
          })
        )?.[0];
  if (!source) return;
  // Read first: a missing file is said before anything is asked or changed.
  const file = await vscode.workspace.fs.readFile(source);
  if (!(await confirmReplace(deps, 'Import', `Replace the local sandbox's accounts and orders with ${source.fsPath}?`)))
    return;
  await importSandboxState(baseUrl, file);
  await deps.reloadAccount();
  void deps.prompter.current.showInformationMessage(`Imported ${source.fsPath} into the local sandbox.`, {});
}

async function reset(deps: SandboxStateDeps): Promise<void> {
  const baseUrl = runningUrl(deps);
  if (!(await confirmReplace(deps, 'Reset', 'Reset the local sandbox to a fresh exchange?'))) return;
  await resetSandboxState(baseUrl);
  await deps.reloadAccount();
  void deps.prompter.current.showInformationMessage(
    'The local sandbox was reset: default balances, no orders, the same keys.',
    {},
  );
}

/** Asks before every account, balance and order is replaced, naming the open orders if there are. */
async function confirmReplace(deps: SandboxStateDeps, verb: 'Import' | 'Reset', question: string): Promise<boolean> {
  const open = await deps.controller.openOrderSymbols();
  const orders =
    open.length === 0
      ? 'It has no open orders.'
      : `It has ${open.length} open order${open.length === 1 ? '' : 's'} (${[...new Set(open)].join(', ')}); they will be gone.`;
  const answer = await deps.prompter.current.showWarningMessage(
    question,
    {
      modal: true,
      detail: `${orders} Every balance, order and trade is replaced; the keys stay the same. Export first to keep the current state.`,
    },
    verb,
  );
  return answer === verb;
}

function defaultLocation(name?: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) return undefined;
  return name ? vscode.Uri.joinPath(folder, name) : folder;
}
