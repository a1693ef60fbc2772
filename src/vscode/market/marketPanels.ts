/**
 * The market panels: one WebviewPanel per symbol (Open Market Panel reveals an open one), each with
 * its MarketSession for the active environment. The webview gets the bundled page (dist/webview,
 * strict CSP with a nonce, nothing remote); this class only moves messages between the page and the
 * session, re-points every panel when the environment or the key changes, and passes account changes
 * on. A panel survives a window reload through the serializer (the page keeps its symbol in its state).
 */
import * as vscode from 'vscode';
import type { NewOrderParams } from '../../core/api';
import type { Credential } from '../../core/credentials';
import type { Environment } from '../../core/environments';
import { createNonce, marketPanelHtml } from '../../webview/market/html';
import { MarketSession, type MarketClientFactory } from '../../webview/market/host/marketSession';
import type { HostMessage } from '../../webview/market/protocol';

export const MARKET_VIEW_TYPE = 'testnetDesk.market';

export interface MarketPanelsDeps {
  extensionUri: vscode.Uri;
  clients: MarketClientFactory;
  /** The active environment, its key and whether it may trade. */
  active: () => { environment: Environment; hasKey: boolean; canTrade: boolean };
  /** The active key, read on every signed call. */
  credential: () => Credential | undefined;
  /** The Live confirmation before a Place (modal); false sends nothing. */
  confirmLive: (params: NewOrderParams) => Promise<boolean>;
  log: (line: string) => void;
}

interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
  session: MarketSession;
}

export class MarketPanels implements vscode.Disposable {
  readonly #deps: MarketPanelsDeps;
  readonly #open = new Map<string, OpenPanel>();

  constructor(deps: MarketPanelsDeps) {
    this.#deps = deps;
  }

  /** Symbols with an open panel (tests, the account refresh). */
  get symbols(): string[] {
    return [...this.#open.keys()];
  }

  /** Shows the symbol's panel, creating it if needed. */
  open(symbol: string): vscode.WebviewPanel {
    const existing = this.#open.get(symbol);
    if (existing) {
      existing.panel.reveal();
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel(MARKET_VIEW_TYPE, symbol, vscode.ViewColumn.Active, this.#options());
    this.adopt(panel, symbol);
    return panel;
  }

  /** Takes over a panel (a new one, or one VS Code restored after a reload) for `symbol`. */
  adopt(panel: vscode.WebviewPanel, symbol: string): void {
    panel.webview.options = this.#options();
    const open: OpenPanel = { panel, session: this.#session(symbol, panel) };
    this.#open.set(symbol, open);
    this.#render(open);
    panel.webview.onDidReceiveMessage((message: unknown) => void open.session.handle(message));
    panel.onDidDispose(() => {
      open.session.dispose();
      if (this.#open.get(symbol) === open) this.#open.delete(symbol);
    });
  }

  /** The environment or the key changed: every panel shows the new one's market and account. */
  repoint(): void {
    for (const [symbol, open] of this.#open) {
      open.session.dispose();
      open.session = this.#session(symbol, open.panel);
      this.#render(open); // the page starts again and asks the new session for its snapshot
    }
  }

  /** The account changed: each panel reads its orders, fills and balances again. */
  refreshAccounts(): void {
    for (const open of this.#open.values())
      open.session.refreshAccount().catch((error: unknown) => this.#deps.log(`Market panel: ${String(error)}`));
  }

  dispose(): void {
    for (const open of this.#open.values()) open.panel.dispose();
    this.#open.clear();
  }

  #session(symbol: string, panel: vscode.WebviewPanel): MarketSession {
    const { environment, hasKey, canTrade } = this.#deps.active();
    return new MarketSession({
      symbol,
      environment,
      client: this.#deps.clients(environment, this.#deps.credential),
      hasKey,
      canTrade,
      post: (message: HostMessage) => void panel.webview.postMessage(message),
      confirmPlace: environment.kind === 'live' ? (params) => this.#deps.confirmLive(params) : undefined,
      log: this.#deps.log,
    });
  }

  #render(open: OpenPanel): void {
    const { panel, session } = open;
    const webview = panel.webview;
    const asset = (name: string): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.#deps.extensionUri, 'dist', 'webview', name)).toString();
    const title = `${session.symbol} · ${session.environment.label}`;
    panel.title = title;
    webview.html = marketPanelHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: asset('market.js'),
      styleUri: asset('market.css'),
      title,
    });
  }

  #options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // A hidden panel's page goes; shown again it asks for a snapshot and rebuilds (protocol.ts), so
      // no page holds memory or stream updates while nobody looks.
      localResourceRoots: [vscode.Uri.joinPath(this.#deps.extensionUri, 'dist', 'webview')],
    };
  }
}
