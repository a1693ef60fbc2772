import * as vscode from 'vscode';

/**
 * Every question or notification the extension shows goes through this interface, so an
 * extension-host test can answer prompts (setPrompter in the test API) instead of a person.
 * The default implementation forwards to vscode.window / vscode.env unchanged.
 */
export interface Prompter {
  showQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[] | Thenable<readonly T[]>,
    options: vscode.QuickPickOptions,
  ): Thenable<T | undefined>;
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showWarningMessage<T extends string>(
    message: string,
    options: vscode.MessageOptions,
    ...items: T[]
  ): Thenable<T | undefined>;
  showInformationMessage<T extends string>(
    message: string,
    options: vscode.MessageOptions,
    ...items: T[]
  ): Thenable<T | undefined>;
  showErrorMessage<T extends string>(
    message: string,
    options: vscode.MessageOptions,
    ...items: T[]
  ): Thenable<T | undefined>;
  writeClipboard(text: string): Thenable<void>;
  openExternal(uri: vscode.Uri): Thenable<boolean>;
}

export const windowPrompter: Prompter = {
  showQuickPick: (items, options) => vscode.window.showQuickPick(items, options),
  showInputBox: (options) => vscode.window.showInputBox(options),
  showWarningMessage: (message, options, ...items) => vscode.window.showWarningMessage(message, options, ...items),
  showInformationMessage: (message, options, ...items) =>
    vscode.window.showInformationMessage(message, options, ...items),
  showErrorMessage: (message, options, ...items) => vscode.window.showErrorMessage(message, options, ...items),
  writeClipboard: (text) => vscode.env.clipboard.writeText(text),
  openExternal: (uri) => vscode.env.openExternal(uri),
};

/**
 * Holds the current Prompter. Features keep a reference to the holder, not to a prompter, so a
 * test can swap the prompter after activation.
 */
export class PrompterHolder {
  #current: Prompter = windowPrompter;

  get current(): Prompter {
    return this.#current;
  }

  set(prompter: Prompter | undefined): void {
    this.#current = prompter ?? windowPrompter;
  }
}

/** Thrown (and swallowed by the error presenter) when the user dismisses a prompt. */
export class UserCancelled extends Error {
  override readonly name = 'UserCancelled';
  constructor() {
    super('Cancelled.');
  }
}

/** Returns the value, or throws UserCancelled if the prompt was dismissed. */
export function required<T>(value: T | undefined): T {
  if (value === undefined) throw new UserCancelled();
  return value;
}
