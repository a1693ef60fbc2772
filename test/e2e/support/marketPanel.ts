// The market panel inside the real workbench: VS Code puts a webview's page two iframes deep, so
// the helpers find the frame by the page's own debug handle (window.__marketPanel, see
// src/webview/market/view/main.ts) and read the panel's state from there.
import type { Frame, Page } from 'playwright-core';

/** What the page's debugState() returns, as far as these tests read it. */
export interface PanelState {
  ready: boolean;
  symbol?: string;
  readOnly?: boolean;
  theme?: string;
  chart?: { bars: number; priceLines: { orderId: number; price: number }[]; markers: unknown[] };
  /** [price, quantity] per row, best first. */
  ladder?: { bids: [string, string][]; asks: [string, string][] };
  trades?: number;
  openOrders?: number[];
  ticket?: { draft: { type: string } };
}

type PanelWindow = { __marketPanel?: { state(): PanelState } };

/** The frame of the market panel whose state satisfies `ready` (by default: it has its snapshot). */
export async function findMarketPanel(page: Page, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const ready = await frame
        .evaluate(() => (globalThis as unknown as PanelWindow).__marketPanel?.state().ready === true)
        .catch(() => false);
      if (ready) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no market panel page with a snapshot within ${timeoutMs} ms (frames: ${page.frames().length})`);
}

export function panelState(frame: Frame): Promise<PanelState> {
  return frame.evaluate(() => (globalThis as unknown as PanelWindow).__marketPanel!.state());
}

export async function waitForPanel(
  frame: Frame,
  what: string,
  test: (state: PanelState) => boolean,
  timeoutMs = 30_000,
): Promise<PanelState> {
  const deadline = Date.now() + timeoutMs;
  let last: PanelState | undefined;
  while (Date.now() < deadline) {
    last = await panelState(frame);
    if (test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`market panel: ${what} did not happen within ${timeoutMs} ms; state ${JSON.stringify(last)}`);
}
