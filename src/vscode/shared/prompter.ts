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
  /**
   * A step of a multi-step flow: like showQuickPick / showInputBox, with a Back button that
   * resolves BACK. Optional: a prompter without them (a test's) answers steps without Back.
   */
  showQuickPickStep?<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Thenable<T | typeof BACK | undefined>;
  showInputBoxStep?(options: vscode.InputBoxOptions): Thenable<string | typeof BACK | undefined>;
}

/** What a step resolves with when the user presses Back. */
export const BACK: unique symbol = Symbol('back');

/** A quick pick step; with `canGoBack`, it has a Back button (when the prompter can show one). */
export function pickStep<T extends vscode.QuickPickItem>(
  prompter: Prompter,
  items: readonly T[],
  options: vscode.QuickPickOptions,
  canGoBack: boolean,
): Thenable<T | typeof BACK | undefined> {
  return canGoBack && prompter.showQuickPickStep
    ? prompter.showQuickPickStep(items, options)
    : prompter.showQuickPick(items, options);
}

/** An input box step; with `canGoBack`, it has a Back button (when the prompter can show one). */
export function inputStep(
  prompter: Prompter,
  options: vscode.InputBoxOptions,
  canGoBack: boolean,
): Thenable<string | typeof BACK | undefined> {
  return canGoBack && prompter.showInputBoxStep ? prompter.showInputBoxStep(options) : prompter.showInputBox(options);
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
  showQuickPickStep: (items, options) => quickPickWithBack(items, options),
  showInputBoxStep: (options) => inputBoxWithBack(options),
};

function quickPickWithBack<T extends vscode.QuickPickItem>(
  items: readonly T[],
  options: vscode.QuickPickOptions,
): Promise<T | typeof BACK | undefined> {
  const pick = vscode.window.createQuickPick<T>();
  pick.items = items;
  pick.title = options.title;
  pick.placeholder = options.placeHolder;
  pick.matchOnDescription = options.matchOnDescription ?? false;
  pick.matchOnDetail = options.matchOnDetail ?? false;
  pick.ignoreFocusOut = options.ignoreFocusOut ?? false;
  pick.buttons = [vscode.QuickInputButtons.Back];
  return settle(pick, (done) => [
    pick.onDidTriggerButton(() => done(BACK)),
    pick.onDidAccept(() => done(pick.selectedItems[0])),
  ]);
}

function inputBoxWithBack(options: vscode.InputBoxOptions): Promise<string | typeof BACK | undefined> {
  const box = vscode.window.createInputBox();
  box.title = options.title;
  box.value = options.value ?? '';
  box.prompt = options.prompt;
  box.placeholder = options.placeHolder;
  box.password = options.password ?? false;
  box.ignoreFocusOut = options.ignoreFocusOut ?? false;
  box.buttons = [vscode.QuickInputButtons.Back];
  const problem = async (value: string): Promise<string | undefined> => {
    const found = await options.validateInput?.(value);
    return typeof found === 'string' ? found : (found?.message ?? undefined);
  };
  return settle(box, (done) => [
    box.onDidTriggerButton(() => done(BACK)),
    box.onDidChangeValue(async (value) => {
      const message = await problem(value);
      if (box.value === value) box.validationMessage = message;
    }),
    box.onDidAccept(async () => {
      const value = box.value;
      const message = await problem(value);
      box.validationMessage = message;
      if (!message) done(value);
    }),
  ]);
}

/** Shows `input` until `listen`'s handlers call done (or it is hidden: undefined), then disposes it. */
function settle<R>(
  input: vscode.QuickInput,
  listen: (done: (result: R | undefined) => void) => vscode.Disposable[],
): Promise<R | undefined> {
  return new Promise((resolve) => {
    let finished = false;
    const subscriptions: vscode.Disposable[] = [];
    const done = (result: R | undefined): void => {
      if (finished) return;
      finished = true;
      for (const s of subscriptions) s.dispose();
      input.dispose();
      resolve(result);
    };
    subscriptions.push(
      ...listen(done),
      input.onDidHide(() => done(undefined)),
    );
    input.show();
  });
}

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
