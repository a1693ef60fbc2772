/**
 * A minimal stand-in for the `vscode` module so the thin adapters in src/vscode/ can be unit-tested
 * in plain mocha. Import this file FIRST (before any module that imports `vscode`). Only what those
 * adapters touch is provided; everything is in memory and nothing is shown to anyone. In-memory
 * secret storage, state and log are in memory.ts (the VS Code-free layers use them too).
 */
import Module from 'node:module';
import { Emitter } from '../../src/core/events';

/** vscode.EventEmitter: the core emitter has its shape (event(listener) → disposable, fire, dispose). */
export const EventEmitter = Emitter;

/** Values of `testnetDesk.*` settings as a user's settings.json would hold them (any JSON type). */
export const configuration = new Map<string, unknown>();

/** Commands executed through vscode.commands.executeCommand, for assertions. */
export const executedCommands: { id: string; args: unknown[] }[] = [];

/** Status bar items created through vscode.window.createStatusBarItem, for assertions. */
export const createdStatusBarItems: Record<string, unknown>[] = [];

class CancellationError extends Error {}

const stub = {
  EventEmitter,
  CancellationError,
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  Uri: { parse: (value: string) => ({ toString: () => value }) },
  ThemeColor: class {
    constructor(readonly id: string) {}
  },
  ThemeIcon: class {
    constructor(
      readonly id: string,
      readonly color?: unknown,
    ) {}
  },
  MarkdownString: class {
    value = '';
    appendMarkdown(text: string): this {
      this.value += text;
      return this;
    }
    appendText(text: string): this {
      this.value += text;
      return this;
    }
  },
  TreeItem: class {
    constructor(
      readonly label: string,
      readonly collapsibleState?: number,
    ) {}
  },
  window: {
    /** A status bar item that only keeps what is set on it (createdStatusBarItems, for assertions). */
    createStatusBarItem: (id?: string, alignment?: number, priority?: number) => {
      const item = {
        id,
        alignment,
        priority,
        text: '',
        visible: false,
        disposed: false,
        show: () => (item.visible = true),
        hide: () => (item.visible = false),
        dispose: () => (item.disposed = true),
      };
      createdStatusBarItems.push(item as Record<string, unknown>);
      return item;
    },
    withProgress: <R>(
      _options: unknown,
      task: (progress: { report(): void }, token: unknown) => Thenable<R>,
    ): Thenable<R> =>
      task(
        { report: () => undefined },
        { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) },
      ),
  },
  commands: {
    executeCommand: async (id: string, ...args: unknown[]): Promise<unknown> => {
      executedCommands.push({ id, args });
      return undefined;
    },
    registerCommand: () => ({ dispose: () => undefined }),
  },
  workspace: {
    getConfiguration: (section: string) => ({
      get: <T>(key: string, fallback: T): T => {
        const full = `${section}.${key}`;
        return (configuration.has(full) ? configuration.get(full) : fallback) as T;
      },
    }),
    onDidChangeConfiguration: () => ({ dispose: () => undefined }),
  },
};

const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
const originalLoad = loader._load;
loader._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
  if (request === 'vscode') return stub;
  return originalLoad.call(this, request, parent, isMain);
};
