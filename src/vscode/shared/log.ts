import * as vscode from 'vscode';
import type { Log } from '../../app/log';

/** The log plus "Show Log" (error messages and the welcome views offer it). */
export interface ShowableLog extends Log {
  show(preserveFocus?: boolean): void;
}

/** The one "Testnet Desk" output channel; users pick its level with "Developer: Set Log Level…". */
export function createLog(context: Pick<vscode.ExtensionContext, 'subscriptions'>): vscode.LogOutputChannel {
  const log = vscode.window.createOutputChannel('Testnet Desk', { log: true });
  context.subscriptions.push(log);
  return log;
}
