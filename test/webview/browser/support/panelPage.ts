/**
 * The market panel in headless Chromium, as a webview would run it: the HTML from the harness
 * server, a fake `acquireVsCodeApi` (callable once, like VS Code's) whose postMessage goes straight
 * to the host side in this process, and host messages delivered with window.postMessage in order.
 * Every CSP violation the page reports is recorded.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { HostMessage, ViewMessage } from '../../../../src/webview/market/protocol';

export interface CspViolation {
  directive: string;
  blocked: string;
  sample: string;
}

/** The page's globals the harness adds or reads (the test program has no DOM types). */
interface HarnessWindow {
  __posted: ViewMessage[];
  __csp: CspViolation[];
  __vscodeState(): unknown;
  __marketPanel?: {
    state(): PanelState;
    setRenderMode(mode: 'incremental' | 'full'): void;
  };
  postMessage(message: unknown, target: string): void;
}

/** What `window.__marketPanel.state()` returns (src/webview/market/view/panel.ts debugState). */
export interface PanelState {
  ready: boolean;
  symbol?: string;
  interval?: string;
  readOnly?: boolean;
  bookState?: string;
  lastUpdateId?: number;
  theme?: string;
  chart?: {
    bars: number;
    lastBar?: { time: number; open: number; high: number; low: number; close: number };
    priceLines: { orderId: number; price: number; title: string; color: string }[];
    markers: { time: number; text: string; position: string; shape: string }[];
    colors: { background: string; text: string; up: string; down: string };
  };
  ladder?: { asks: [string, string][]; bids: [string, string][]; rowsCreated: number };
  trades?: number;
  openOrders?: number[];
  ticket?: {
    draft: Record<string, string>;
    order?: Record<string, string>;
    fields?: Record<string, { status: string; messages: string[]; suggestion?: string }>;
    formErrors?: string[];
  };
  messages: Record<string, number>;
}

export interface PanelPage {
  page: Page;
  /** Delivers a host message (after every earlier one). */
  post(message: HostMessage): void;
  /** Resolves when every message posted so far was delivered. */
  flushed(): Promise<void>;
  posted(): Promise<ViewMessage[]>;
  state(): Promise<PanelState>;
  waitForState(predicate: (s: PanelState) => boolean, label: string, timeoutMs?: number): Promise<PanelState>;
  cspViolations(): Promise<CspViolation[]>;
  /** The webview state the view saved last (what VS Code would give a restored view). */
  savedState(): Promise<unknown>;
  close(): Promise<void>;
}

export async function openPanelPage(
  context: BrowserContext,
  url: string,
  onViewMessage: (message: unknown) => void,
  savedState?: unknown,
): Promise<PanelPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.exposeBinding('__hostReceive', (_source, message: unknown) => onViewMessage(message));
  await page.addInitScript((initial: unknown) => {
    const w = globalThis as unknown as HarnessWindow & {
      acquireVsCodeApi(): unknown;
      __hostReceive(message: unknown): Promise<void>;
      document: { addEventListener(type: string, listener: (e: Record<string, string>) => void): void };
    };
    w.__posted = [];
    w.__csp = [];
    w.document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }),
    );
    let state = initial;
    let acquired = false;
    w.__vscodeState = () => state;
    w.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi can only be called once');
      acquired = true;
      return Object.freeze({
        postMessage: (message: unknown) => {
          const copy = JSON.parse(JSON.stringify(message)) as ViewMessage;
          w.__posted.push(copy);
          void w.__hostReceive(copy);
        },
        getState: () => state,
        setState: (next: unknown) => {
          state = JSON.parse(JSON.stringify(next));
        },
      });
    };
  }, savedState);
  await page.goto(url);

  let chain: Promise<void> = Promise.resolve();
  const panel: PanelPage = {
    page,
    post(message) {
      chain = chain
        .then(() => page.evaluate((m) => (globalThis as unknown as HarnessWindow).postMessage(m, '*'), message))
        .catch((error: unknown) => {
          if (!page.isClosed()) errors.push(`delivering ${message.type}: ${String(error)}`);
        });
    },
    flushed: () => chain,
    posted: () => page.evaluate(() => (globalThis as unknown as HarnessWindow).__posted),
    state: () =>
      page.evaluate(
        () => (globalThis as unknown as HarnessWindow).__marketPanel?.state() ?? { ready: false, messages: {} },
      ),
    async waitForState(predicate, label, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let last: PanelState | undefined;
      for (;;) {
        last = await panel.state();
        if (predicate(last)) return last;
        if (errors.length > 0) throw new Error(`page error while waiting for ${label}: ${errors.join('\n')}`);
        if (Date.now() > deadline)
          throw new Error(`${label}: not reached in ${timeoutMs} ms; state ${JSON.stringify(last).slice(-1500)}`);
        await page.waitForTimeout(50);
      }
    },
    cspViolations: () => page.evaluate(() => (globalThis as unknown as HarnessWindow).__csp),
    savedState: () => page.evaluate(() => (globalThis as unknown as HarnessWindow).__vscodeState()),
    /** Closes the page; fails if it reported an error or a CSP violation while it was open. */
    async close() {
      await chain;
      const violations = await panel.cspViolations();
      await page.close();
      if (violations.length > 0) throw new Error(`CSP violations: ${JSON.stringify(violations)}`);
      if (errors.length > 0) throw new Error(`the panel reported errors:\n${errors.join('\n')}`);
    },
  };
  return panel;
}
