// A Prompter (src/vscode/shared/prompter.ts) that answers the extension's questions from a script, so the
// tests drive the same command code a person does. Each rule matches a prompt by its title (or
// message) and is used once; a prompt no rule answers is dismissed (undefined), like pressing Escape.
import type * as vscode from 'vscode';
import type { Prompter } from '../../../src/vscode/shared/prompter';

type Matcher = string | RegExp;

const matches = (m: Matcher, text: string | undefined): boolean =>
  text !== undefined && (typeof m === 'string' ? text.includes(m) : m.test(text));

interface Rule {
  kind: 'pick' | 'input' | 'message';
  title: Matcher;
  answer: Matcher | string | undefined;
  used: boolean;
}

export interface Asked {
  kind: 'pick' | 'input' | 'info' | 'warning' | 'error' | 'clipboard' | 'openExternal';
  text: string;
  answered: boolean;
}

export class ScriptedPrompter implements Prompter {
  readonly asked: Asked[] = [];
  readonly #rules: Rule[] = [];

  /** Answers the next quick pick whose title matches `title` with the item whose label matches `label`. */
  pick(title: Matcher, label: Matcher): this {
    this.#rules.push({ kind: 'pick', title, answer: label, used: false });
    return this;
  }

  /** Answers the next input box whose title matches `title` with `value` (after its validateInput). */
  input(title: Matcher, value: string): this {
    this.#rules.push({ kind: 'input', title, answer: value, used: false });
    return this;
  }

  /** Answers the next message matching `message` with the button `choice`. */
  message(message: Matcher, choice: string): this {
    this.#rules.push({ kind: 'message', title: message, answer: choice, used: false });
    return this;
  }

  messages(kind?: Asked['kind']): string[] {
    return this.asked.filter((a) => !kind || a.kind === kind).map((a) => a.text);
  }

  unusedRules(): string[] {
    return this.#rules.filter((r) => !r.used).map((r) => `${r.kind} ${String(r.title)}`);
  }

  #take(kind: Rule['kind'], text: string | undefined): Rule | undefined {
    const rule = this.#rules.find((r) => !r.used && r.kind === kind && matches(r.title, text));
    if (rule) rule.used = true;
    return rule;
  }

  async showQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[] | Thenable<readonly T[]>,
    options: vscode.QuickPickOptions,
  ): Promise<T | undefined> {
    const list = await items;
    const title = options.title ?? options.placeHolder ?? '';
    const rule = this.#take('pick', title);
    const chosen = rule ? list.find((item) => matches(rule.answer as Matcher, item.label)) : undefined;
    this.asked.push({
      kind: 'pick',
      text: `${title} [${list.map((i) => i.label).join(' | ')}]`,
      answered: chosen !== undefined,
    });
    return chosen;
  }

  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const title = options.title ?? options.prompt ?? '';
    const rule = this.#take('input', title);
    let value = rule?.answer as string | undefined;
    if (value !== undefined && options.validateInput) {
      const problem = await options.validateInput(value);
      // VS Code keeps the box open on a validation message; a person would then press Escape.
      if (problem) value = undefined;
    }
    this.asked.push({ kind: 'input', text: title, answered: value !== undefined });
    return value;
  }

  #message<T extends string>(kind: 'info' | 'warning' | 'error', message: string, items: T[]): Promise<T | undefined> {
    const rule = this.#take('message', message);
    const choice = rule ? items.find((i) => i === rule.answer) : undefined;
    this.asked.push({ kind, text: message, answered: choice !== undefined });
    return Promise.resolve(choice);
  }

  showInformationMessage<T extends string>(
    message: string,
    _options: vscode.MessageOptions,
    ...items: T[]
  ): Promise<T | undefined> {
    return this.#message('info', message, items);
  }

  showWarningMessage<T extends string>(
    message: string,
    _options: vscode.MessageOptions,
    ...items: T[]
  ): Promise<T | undefined> {
    return this.#message('warning', message, items);
  }

  showErrorMessage<T extends string>(
    message: string,
    _options: vscode.MessageOptions,
    ...items: T[]
  ): Promise<T | undefined> {
    return this.#message('error', message, items);
  }

  async writeClipboard(text: string): Promise<void> {
    this.asked.push({ kind: 'clipboard', text: `${text.length} characters`, answered: true });
  }

  async openExternal(uri: vscode.Uri): Promise<boolean> {
    this.asked.push({ kind: 'openExternal', text: uri.toString(), answered: false });
    return false; // tests never open anything outside
  }
}
