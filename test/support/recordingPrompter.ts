/**
 * A Prompter (src/vscode/shared/prompter.ts) for unit tests: it records every question and message with
 * everything shown (items, buttons, prefilled values) and answers through one function.
 */
import type * as vscode from 'vscode';
import { BACK, Prompter, PrompterHolder } from '../../src/vscode/shared/prompter';

export interface Shown {
  kind: 'pick' | 'input' | 'info' | 'warning' | 'error' | 'clipboard' | 'openExternal';
  /** Quick pick / input box title, message text, clipboard text or URL. */
  text: string;
  items?: readonly vscode.QuickPickItem[];
  input?: vscode.InputBoxOptions;
  messageOptions?: vscode.MessageOptions;
  buttons?: string[];
  /** A step of a multi-step flow with a Back button. */
  back?: boolean;
}

/**
 * Returns: for a pick, the label (string or RegExp) of the item to choose; for an input, the
 * value; for a message, the button; for openExternal, whether the user let it open. undefined
 * dismisses, like Escape.
 */
export type Answer = (shown: Shown) => string | RegExp | boolean | typeof BACK | undefined;

export class RecordingPrompter implements Prompter {
  readonly shown: Shown[] = [];

  constructor(private readonly answer: Answer = () => undefined) {}

  holder(): PrompterHolder {
    const holder = new PrompterHolder();
    holder.set(this);
    return holder;
  }

  of(kind: Shown['kind']): Shown[] {
    return this.shown.filter((s) => s.kind === kind);
  }

  async showQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[] | Thenable<readonly T[]>,
    options: vscode.QuickPickOptions,
  ): Promise<T | undefined> {
    const list = await items;
    const shown: Shown = { kind: 'pick', text: options.title ?? options.placeHolder ?? '', items: list };
    this.shown.push(shown);
    const choice = this.answer(shown);
    if (typeof choice === 'string') return list.find((i) => i.label === choice);
    if (choice instanceof RegExp) return list.find((i) => choice.test(i.label));
    return undefined;
  }

  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const shown: Shown = { kind: 'input', text: options.title ?? options.prompt ?? '', input: options };
    this.shown.push(shown);
    const value = this.answer(shown);
    return typeof value === 'string' ? value : undefined;
  }

  /** A step with Back: the answer BACK presses it. */
  async showQuickPickStep<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Promise<T | typeof BACK | undefined> {
    const shown: Shown = { kind: 'pick', text: options.title ?? options.placeHolder ?? '', items, back: true };
    this.shown.push(shown);
    const choice = this.answer(shown);
    if (choice === BACK) return BACK;
    if (typeof choice === 'string') return items.find((i) => i.label === choice);
    if (choice instanceof RegExp) return items.find((i) => choice.test(i.label));
    return undefined;
  }

  /** A step with Back; like VS Code, a value its validateInput refuses keeps the box open (here: dismissed). */
  async showInputBoxStep(options: vscode.InputBoxOptions): Promise<string | typeof BACK | undefined> {
    const shown: Shown = { kind: 'input', text: options.title ?? options.prompt ?? '', input: options, back: true };
    this.shown.push(shown);
    const value = this.answer(shown);
    if (value === BACK) return BACK;
    if (typeof value !== 'string') return undefined;
    return (await options.validateInput?.(value)) ? undefined : value;
  }

  #message<T extends string>(
    kind: 'info' | 'warning' | 'error',
    text: string,
    options: vscode.MessageOptions,
    items: T[],
  ) {
    const shown: Shown = { kind, text, messageOptions: options, buttons: items };
    this.shown.push(shown);
    const choice = this.answer(shown);
    return Promise.resolve(items.find((i) => i === choice));
  }

  showInformationMessage<T extends string>(text: string, options: vscode.MessageOptions, ...items: T[]) {
    return this.#message('info', text, options, items);
  }

  showWarningMessage<T extends string>(text: string, options: vscode.MessageOptions, ...items: T[]) {
    return this.#message('warning', text, options, items);
  }

  showErrorMessage<T extends string>(text: string, options: vscode.MessageOptions, ...items: T[]) {
    return this.#message('error', text, options, items);
  }

  async writeClipboard(text: string): Promise<void> {
    this.shown.push({ kind: 'clipboard', text });
  }

  async openExternal(uri: vscode.Uri): Promise<boolean> {
    const shown: Shown = { kind: 'openExternal', text: uri.toString() };
    this.shown.push(shown);
    return this.answer(shown) === true;
  }
}

/** Every text a quick pick item shows (label, description, detail), for checks on what is read aloud. */
export function itemTexts(shown: readonly Shown[]): string[] {
  return shown.flatMap((s) => (s.items ?? []).flatMap((i) => [i.label, i.description ?? '', i.detail ?? '']));
}
