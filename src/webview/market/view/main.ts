/**
 * Entry of the market panel's webview bundle (dist/webview/market.js). Talks to the extension only
 * through acquireVsCodeApi (called once, kept private): posts `ready` first and rebuilds from the
 * snapshot that answers it, so the panel recovers after being hidden. The ticket draft and the
 * interval live in the webview state (getState/setState).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './market.css';
import { isKlineInterval } from '../../../core/market/marketEvents';
import { PanelModel } from '../model/panelModel';
import { restoreDraft } from '../model/ticketDraft';
import type { PersistedViewState, TicketDraft, ViewMessage } from '../protocol';
import { MarketPanel, RenderMode } from './panel';

interface VsCodeApi {
  postMessage(message: ViewMessage): void;
  getState(): unknown;
  setState(state: PersistedViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The read-only debug hook tests and the bench use (`window.__marketPanel`). */
export interface MarketPanelHook {
  state(): Record<string, unknown>;
  /** Messages handled so far, by type. */
  counts(): Record<string, number>;
  setRenderMode(mode: RenderMode): void;
}

declare global {
  interface Window {
    __marketPanel?: MarketPanelHook;
  }
}

function savedState(raw: unknown): PersistedViewState {
  if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1) return { v: 1 };
  const s = raw as Record<string, unknown>;
  return {
    v: 1,
    ...(typeof s.symbol === 'string' ? { symbol: s.symbol } : {}),
    ...(typeof s.interval === 'string' && isKlineInterval(s.interval) ? { interval: s.interval } : {}),
    ...(s.draft !== undefined ? { draft: restoreDraft(s.draft) } : {}),
  };
}

function start(): void {
  const vscode = acquireVsCodeApi();
  const persisted = savedState(vscode.getState());
  const save = (change: Partial<PersistedViewState>): void => {
    Object.assign(persisted, change);
    vscode.setState(persisted);
  };
  const root = document.getElementById('app') as HTMLElement;
  const model = new PanelModel();
  const counts: Record<string, number> = {};
  let panel: MarketPanel | undefined;
  let mode: RenderMode = 'incremental';

  const createPanel = (): MarketPanel => {
    const created = new MarketPanel(root, model, persisted.draft, {
      setInterval: (interval) => {
        save({ interval });
        vscode.postMessage({ type: 'setInterval', v: 1, interval });
      },
      send: (kind, params, clientOrderId) =>
        vscode.postMessage({ type: kind === 'test' ? 'testOrder' : 'placeOrder', v: 1, params, clientOrderId }),
      cancel: (orderId) => vscode.postMessage({ type: 'cancelOrder', v: 1, orderId }),
      draftChanged: (draft: TicketDraft) => save({ draft }),
    });
    created.renderMode = mode;
    root.removeAttribute('aria-busy');
    return created;
  };

  window.addEventListener('message', (event: MessageEvent) => {
    try {
      const change = model.apply(event.data);
      if (change.kind === 'ignored') return;
      const type = (event.data as { type: string }).type;
      counts[type] = (counts[type] ?? 0) + 1;
      if (change.kind === 'reset' && model.symbol) save({ symbol: model.symbol.symbol });
      if (!panel) panel = createPanel();
      panel.apply(change);
    } catch (error) {
      // One bad message must not stop the panel; the next snapshot repairs whatever it left.
      console.error('market panel: a message could not be shown', error);
    }
  });

  window.__marketPanel = Object.freeze({
    state: () => ({ ...(panel?.debugState() ?? { ready: false }), messages: { ...counts } }),
    counts: () => ({ ...counts }),
    setRenderMode: (next: RenderMode) => {
      mode = next;
      if (panel) panel.renderMode = next;
    },
  });

  vscode.postMessage({ type: 'ready', v: 1, ...(persisted.interval ? { interval: persisted.interval } : {}) });
}

start();
