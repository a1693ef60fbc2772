import * as vscode from 'vscode';
import { ErrorPresenter } from './errorPresenter';

export interface CommandOptions {
  /** Words for "… failed" in the error message, e.g. "Refreshing balances". */
  what: string;
  /** Offer Retry on failure (never for actions that send orders). */
  retryable?: boolean;
}

/**
 * A command handler with whatever parameter types it declares. `never[]` accepts any such handler
 * without `any`: nothing is promised about the run-time shape of the args.
 */
export type CommandHandler = (...args: never[]) => unknown;

/**
 * Registers a command whose failures all go through the error presenter (user cancellation is
 * swallowed there). The handler's return value is passed through for programmatic callers.
 */
export function registerCommand(
  id: string,
  /** Args come from anywhere (palette, menus, other extensions): the handler checks them itself. */
  handler: CommandHandler,
  presenter: ErrorPresenter,
  options: CommandOptions,
): vscode.Disposable {
  const run = async (...args: unknown[]): Promise<unknown> => {
    try {
      return await (handler as (...given: unknown[]) => unknown)(...args);
    } catch (error) {
      // Not awaited: a programmatic caller must not wait for the user to dismiss the notification.
      void presenter.show(`${options.what} failed`, error, options.retryable ? { retry: () => run(...args) } : {});
      return undefined;
    }
  };
  return vscode.commands.registerCommand(id, run);
}

/**
 * Registers each feature's commands through the error presenter and disposes them with the
 * extension: a feature's registerX() names its commands here, one line each.
 */
export class CommandRegistry {
  constructor(
    private readonly subscriptions: { push(...items: vscode.Disposable[]): unknown },
    private readonly presenter: ErrorPresenter,
  ) {}

  register(id: string, handler: CommandHandler, what: string, options: { retryable?: boolean } = {}): void {
    this.subscriptions.push(registerCommand(id, handler, this.presenter, { what, retryable: options.retryable }));
  }
}
