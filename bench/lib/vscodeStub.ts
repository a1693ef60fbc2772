/**
 * A minimal stand-in for the `vscode` module, just enough for the bundle's activate() to run in
 * plain Node: no UI, no views ever visible, empty secret storage and settings at their defaults.
 * Anything not modelled here resolves to a no-op that returns a disposable, so activation cost is
 * the extension's own work plus near-zero stub calls. This is NOT the real extension host.
 */
import { Emitter } from '../../src/core/events';

const disposable = (): { dispose(): void } => ({ dispose: () => undefined });

/** Unknown members of a namespace: a no-op function returning a disposable. */
function lenient<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (prop in obj || typeof prop === 'symbol' || prop === 'then') return Reflect.get(obj, prop, receiver);
      return () => disposable();
    },
  });
}

/** vscode.EventEmitter: the core emitter has its shape (event(listener) → disposable, fire, dispose). */
const EventEmitter = Emitter;

class Disposable {
  constructor(private readonly fn: () => unknown = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

class TreeItem {
  constructor(
    public label: unknown,
    public collapsibleState?: number,
  ) {}
}

class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(
    readonly id: string,
    readonly color?: unknown,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class MarkdownString {
  constructor(public value = '') {}
  appendText(text: string): this {
    this.value += text;
    return this;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendCodeblock(text: string): this {
    this.value += text;
    return this;
  }
}

class CancellationError extends Error {}

const Uri = {
  parse: (value: string) => ({ toString: () => value, fsPath: value, scheme: value.split(':')[0] }),
  file: (fsPath: string) => ({ toString: () => `file://${fsPath}`, fsPath, scheme: 'file' }),
  joinPath: (base: { fsPath: string }, ...parts: string[]) => Uri.file([base.fsPath, ...parts].join('/')),
};

function logChannel(): object {
  const noop = (): void => undefined;
  return lenient({
    name: 'Testnet Desk',
    logLevel: 2,
    onDidChangeLogLevel: new EventEmitter().event,
    trace: noop,
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    append: noop,
    appendLine: noop,
    replace: noop,
    clear: noop,
    show: noop,
    hide: noop,
    dispose: noop,
  });
}

function treeView(): object {
  return lenient({
    visible: false,
    selection: [],
    onDidChangeVisibility: new EventEmitter().event,
    onDidChangeSelection: new EventEmitter().event,
    onDidExpandElement: new EventEmitter().event,
    onDidCollapseElement: new EventEmitter().event,
    reveal: async () => undefined,
    dispose: () => undefined,
  });
}

function memento(): object {
  const data = new Map<string, unknown>();
  return {
    get: (key: string, fallback?: unknown) => (data.has(key) ? data.get(key) : fallback),
    update: async (key: string, value: unknown) => void data.set(key, value),
    keys: () => [...data.keys()],
    setKeysForSync: () => undefined,
  };
}

export function createVscodeStub(): object {
  const configuration = lenient({
    get: (_key: string, fallback?: unknown) => fallback,
    has: () => false,
    inspect: () => undefined,
    update: async () => undefined,
  });
  return lenient({
    EventEmitter,
    Disposable,
    TreeItem,
    ThemeIcon,
    ThemeColor,
    MarkdownString,
    CancellationError,
    Uri,
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    window: lenient({
      createOutputChannel: () => logChannel(),
      createTreeView: () => treeView(),
      createStatusBarItem: () =>
        lenient({
          text: '',
          tooltip: '',
          command: undefined,
          show: () => undefined,
          hide: () => undefined,
          dispose: () => undefined,
        }),
      showInformationMessage: async () => undefined,
      showWarningMessage: async () => undefined,
      showErrorMessage: async () => undefined,
      showQuickPick: async () => undefined,
      showInputBox: async () => undefined,
      withProgress: (_options: unknown, task: (p: unknown, t: unknown) => unknown) =>
        task(
          { report: () => undefined },
          { isCancellationRequested: false, onCancellationRequested: new EventEmitter().event },
        ),
    }),
    commands: lenient({ registerCommand: () => disposable(), executeCommand: async () => undefined }),
    debug: lenient({ registerDebugConfigurationProvider: () => disposable() }),
    workspace: lenient({
      getConfiguration: () => configuration,
      onDidChangeConfiguration: new EventEmitter().event,
      isTrusted: true,
    }),
    env: lenient({
      clipboard: { readText: async () => '', writeText: async () => undefined },
      openExternal: async () => true,
      uriScheme: 'vscode',
      machineId: 'bench',
    }),
  });
}

export function createExtensionContext(storagePath: string): object {
  const secrets = new Map<string, string>();
  const onDidChange = new EventEmitter();
  return lenient({
    subscriptions: [] as { dispose(): unknown }[],
    secrets: {
      get: async (k: string) => secrets.get(k),
      store: async (k: string, v: string) => void secrets.set(k, v),
      delete: async (k: string) => void secrets.delete(k),
      keys: async () => [...secrets.keys()],
      onDidChange: onDidChange.event,
    },
    globalState: memento(),
    workspaceState: memento(),
    extensionUri: Uri.file(storagePath),
    extensionPath: storagePath,
    globalStorageUri: Uri.file(storagePath),
    logUri: Uri.file(storagePath),
    extensionMode: 1,
  });
}
