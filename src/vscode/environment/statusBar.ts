import * as vscode from 'vscode';
import { Environment } from '../../core/environments';
import type { ViewState } from '../shared/contextKeys';

/** What the status bar reads from the environment service (a narrow view, so a test can fake it). */
export interface StatusBarEnvironments {
  readonly active: Environment;
  /** The local sandbox this window runs, if any. */
  readonly runningSandbox: Environment | undefined;
  canTrade(environment?: Environment): boolean;
  readonly onDidChange: vscode.Event<unknown>;
}

/** What the status bar reads from the key store. */
export interface StatusBarKeys {
  activeFor(environmentId: string): { label: string; keyType: string; maskedApiKey: string } | undefined;
  readonly onDidChange: vscode.Event<unknown>;
}

/** The Balances view's state: 'sandboxStopped' when a local environment stopped answering. */
export interface StatusBarReachability {
  readonly state: ViewState;
  readonly onDidChange: vscode.Event<ViewState>;
}

export const STATUS_BAR_COMMAND = 'testnetDesk.environment.switch';

/**
 * Always shows the active environment and key; a click switches environment. Live gets the error
 * background, the one case the guidelines allow it for: real money is at stake. A local sandbox
 * that stopped answering says so (warning background) instead of looking ready.
 */
export class EnvironmentStatusBar implements vscode.Disposable {
  readonly #item: vscode.StatusBarItem;
  readonly #subscriptions: vscode.Disposable[];
  /** The environment the Balances view last found not answering (a state belongs to the environment it was seen on). */
  #stoppedEnvironmentId: string | undefined;

  constructor(
    private readonly environments: StatusBarEnvironments,
    private readonly store: StatusBarKeys,
    reachability?: StatusBarReachability,
  ) {
    this.#item = vscode.window.createStatusBarItem('testnetDesk.environment', vscode.StatusBarAlignment.Left, 10);
    this.#item.name = 'Testnet Desk Environment';
    this.#item.command = STATUS_BAR_COMMAND;
    this.#subscriptions = [environments.onDidChange(() => this.update()), store.onDidChange(() => this.update())];
    if (reachability) {
      this.#subscriptions.push(
        reachability.onDidChange((state) => {
          this.#stoppedEnvironmentId = state === 'sandboxStopped' ? this.environments.active.id : undefined;
          this.update();
        }),
      );
      if (reachability.state === 'sandboxStopped') this.#stoppedEnvironmentId = environments.active.id;
    }
    this.update();
    this.#item.show();
  }

  /** The item, for tests. */
  get item(): Readonly<vscode.StatusBarItem> {
    return this.#item;
  }

  update(): void {
    const env = this.environments.active;
    const key = this.store.activeFor(env.id);
    const keyText = key ? key.label : 'no key';
    const readOnly = env.kind === 'live' && !this.environments.canTrade(env);
    const sandboxStopped =
      env.kind === 'local' && this.environments.runningSandbox?.id !== env.id && this.#stoppedEnvironmentId === env.id;
    const states = [readOnly ? 'read-only' : '', sandboxStopped ? 'stopped' : ''].filter(Boolean);
    const icon = sandboxStopped ? '$(debug-disconnect)' : iconFor(env);
    this.#item.text = `${icon} ${env.kind === 'live' ? 'LIVE' : env.label} · ${keyText}${states.length > 0 ? ` (${states.join(', ')})` : ''}`;
    this.#item.backgroundColor =
      env.kind === 'live'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : sandboxStopped
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Binance environment:** ${env.label}\n\n`);
    tooltip.appendMarkdown(`**REST:** \`${env.restBaseUrl}\`\n\n`);
    tooltip.appendMarkdown(
      key
        ? `**Key:** ${key.label} (${key.keyType}, \`${key.maskedApiKey}\`)\n\n`
        : '**Key:** none, add one with *Binance: Add API Key*\n\n',
    );
    if (env.kind === 'live')
      tooltip.appendMarkdown(
        readOnly
          ? '$(lock) Read-only: trading on Live is turned off.\n\n'
          : '$(warning) Trading on Live is allowed: real money.\n\n',
      );
    if (sandboxStopped)
      tooltip.appendMarkdown(
        '$(debug-disconnect) This local sandbox is not answering: it has stopped. Start one with *Binance: Start Local Sandbox*.\n\n',
      );
    tooltip.appendMarkdown('Click to switch environment.');
    this.#item.tooltip = tooltip;
    const spoken = [
      `Binance environment ${env.label}`,
      `key ${keyText}`,
      ...states.map((s) => (s === 'stopped' ? 'local sandbox stopped' : s)),
    ];
    this.#item.accessibilityInformation = {
      label: `${spoken.join(', ')}. Click to switch environment.`,
      role: 'button',
    };
  }

  dispose(): void {
    for (const s of this.#subscriptions) s.dispose();
    this.#item.dispose();
  }
}

function iconFor(env: Environment): string {
  switch (env.kind) {
    case 'live':
      return '$(warning)';
    case 'local':
      return '$(server-process)';
    default:
      return '$(beaker)';
  }
}
