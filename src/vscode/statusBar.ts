import * as vscode from 'vscode';
import { Environment } from '../core/environments';
import { EnvironmentService } from './environmentService';
import { SecretCredentialStore } from './secretCredentialStore';

/**
 * Always shows the active environment and key; a click switches environment. Live gets the error
 * background, the one case the guidelines allow it for: real money is at stake.
 */
export class EnvironmentStatusBar implements vscode.Disposable {
  readonly #item: vscode.StatusBarItem;
  readonly #subscriptions: vscode.Disposable[];

  constructor(
    private readonly environments: EnvironmentService,
    private readonly store: SecretCredentialStore,
  ) {
    this.#item = vscode.window.createStatusBarItem('testnetDesk.environment', vscode.StatusBarAlignment.Left, 10);
    this.#item.name = 'Testnet Desk Environment';
    this.#item.command = 'testnetDesk.environment.switch';
    this.#subscriptions = [environments.onDidChange(() => this.update()), store.onDidChange(() => this.update())];
    this.update();
    this.#item.show();
  }

  update(): void {
    const env = this.environments.active;
    const key = this.store.activeFor(env.id);
    const keyText = key ? key.label : 'no key';
    const readOnly = env.kind === 'live' && !this.environments.canTrade(env);
    this.#item.text = `${iconFor(env)} ${env.kind === 'live' ? 'LIVE' : env.label} · ${keyText}${readOnly ? ' (read-only)' : ''}`;
    this.#item.backgroundColor = env.kind === 'live' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Binance environment:** ${env.label}\n\n`);
    tooltip.appendMarkdown(`**REST:** \`${env.restBaseUrl}\`\n\n`);
    tooltip.appendMarkdown(key ? `**Key:** ${key.label} (${key.keyType}, \`${key.maskedApiKey}\`)\n\n` : '**Key:** none, add one with *Binance: Add API Key*\n\n');
    if (env.kind === 'live') tooltip.appendMarkdown(readOnly ? '$(lock) Read-only: trading on Live is turned off.\n\n' : '$(warning) Trading on Live is allowed: real money.\n\n');
    tooltip.appendMarkdown('Click to switch environment.');
    this.#item.tooltip = tooltip;
    this.#item.accessibilityInformation = { label: `Binance environment ${env.label}, key ${keyText}. Click to switch.` };
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
