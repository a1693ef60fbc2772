import * as vscode from 'vscode';
import type { SandboxService, SandboxState } from '../../app/sandbox/sandboxService';

export const SANDBOX_STATUS_COMMAND = 'testnetDesk.sandbox.actions';

/**
 * The local sandbox's own status bar item (like Azurite's and LocalStack's): running on which
 * port, stopped, or gone. Shown while a sandbox is known to this window or the active environment
 * is a local one; a click offers Start / Stop / Restart / Attach / Open Log.
 */
export class SandboxStatusBar implements vscode.Disposable {
  readonly #item: vscode.StatusBarItem;
  readonly #subscriptions: { dispose(): void }[];

  constructor(
    private readonly service: Pick<SandboxService, 'state' | 'onDidChange'>,
    private readonly activeIsLocal: () => boolean,
    onActiveChange: vscode.Event<unknown>,
  ) {
    this.#item = vscode.window.createStatusBarItem('testnetDesk.sandbox', vscode.StatusBarAlignment.Left, 9);
    this.#item.name = 'Testnet Desk Local Sandbox';
    this.#item.command = SANDBOX_STATUS_COMMAND;
    this.#subscriptions = [service.onDidChange(() => this.update()), onActiveChange(() => this.update())];
    this.update();
  }

  get item(): Readonly<vscode.StatusBarItem> {
    return this.#item;
  }

  update(): void {
    const state: SandboxState = this.service.state;
    if (state.kind === 'stopped' && !this.activeIsLocal()) {
      this.#item.hide();
      return;
    }
    const { text, tooltip, spoken } = describe(state);
    this.#item.text = text;
    this.#item.tooltip = tooltip;
    this.#item.backgroundColor =
      state.kind === 'lost' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.#item.accessibilityInformation = { label: `${spoken}. Click for sandbox actions.`, role: 'button' };
    this.#item.show();
  }

  dispose(): void {
    for (const s of this.#subscriptions) s.dispose();
    this.#item.dispose();
  }
}

function describe(state: SandboxState): { text: string; tooltip: string; spoken: string } {
  switch (state.kind) {
    case 'running': {
      const { port, pid, dataDir } = state.sandbox;
      return {
        text: `$(server-process) Sandbox :${port}`,
        tooltip: `Local sandbox running on http://127.0.0.1:${port} (pid ${pid}; data ${dataDir}). It keeps running when this window closes.`,
        spoken: `Local sandbox running on port ${port}`,
      };
    }
    case 'lost':
      return state.reason === 'crashed'
        ? {
            text: '$(error) Sandbox stopped',
            tooltip: `The local sandbox on port ${state.sandbox.port} stopped unexpectedly. Click to restart it or open its log.`,
            spoken: 'Local sandbox stopped unexpectedly',
          }
        : {
            text: '$(warning) Sandbox not answering',
            tooltip: `The local sandbox on port ${state.sandbox.port} (pid ${state.sandbox.pid}) is not answering.`,
            spoken: 'Local sandbox not answering',
          };
    default:
      return {
        text: '$(debug-stop) Sandbox stopped',
        tooltip: 'The local sandbox is not running. Click to start it.',
        spoken: 'Local sandbox stopped',
      };
  }
}
