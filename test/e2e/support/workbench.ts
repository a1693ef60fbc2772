// Page helpers for driving the real VS Code workbench (served by code-server) with playwright-core.
// Every helper waits with a deadline and retries the flaky parts (focus, quick-input re-renders),
// but each ends in a hard failure naming what it did not find.
import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';

const SHORT = 15_000;
const LONG = 60_000;

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {}

  /** The shell is rendered and the remote extension host has registered our view container. */
  async waitUntilReady(viewContainer = 'Testnet Desk'): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: LONG });
    await this.page.locator('.activitybar').waitFor({ state: 'visible', timeout: LONG });
    // Contributed view containers only appear once the server has scanned the installed extensions.
    await this.activityBarItem(viewContainer).waitFor({ state: 'visible', timeout: LONG });
  }

  /** The activity-bar entry of a view container, by its title. */
  activityBarItem(title: string): Locator {
    return this.page
      .locator(`.activitybar .action-item a[aria-label^="${title}"], .activitybar .action-item[aria-label^="${title}"]`)
      .first();
  }

  async openViewContainer(title: string): Promise<void> {
    const item = this.activityBarItem(title);
    await item.waitFor({ state: 'visible', timeout: LONG });
    const shown = this.page
      .locator('.sidebar .composite.title')
      .filter({ hasText: new RegExp(title, 'i') })
      .first();
    // A click on the item of the container already shown hides it: after a reload the workbench may
    // restore the side bar just before or just after the click, so look, click, and look again.
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (await shown.isVisible()) return;
      await item.click();
      if (
        await shown.waitFor({ state: 'visible', timeout: 3_000 }).then(
          () => true,
          () => false,
        )
      )
        return;
    }
    await shown.waitFor({ timeout: SHORT });
  }

  /** A view pane in the side bar, by its name (e.g. "Balances"). */
  pane(name: string): Locator {
    return this.page
      .locator('.sidebar .pane')
      .filter({ has: this.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${name}`, 'i') }) })
      .first();
  }

  treeRows(paneName: string): Locator {
    return this.pane(paneName).locator('.monaco-list-row');
  }

  /** The rows' accessible labels ("BTC 1 · ≈ 60,000.00 USDT"): what a screen reader announces. */
  async rowTexts(paneName: string): Promise<string[]> {
    return this.treeRows(paneName).evaluateAll((rows) =>
      rows.map((r) => (r.getAttribute('aria-label') ?? r.textContent ?? '').replace(/\s+/g, ' ').trim()),
    );
  }

  /**
   * The text shown on the row whose accessible label matches `label`, read in the same look as the
   * label: the list reuses its row elements, so a row found by index may show another item a moment
   * later.
   */
  async waitForRowShowing(paneName: string, label: RegExp, timeout = LONG): Promise<string> {
    const deadline = Date.now() + timeout;
    let seen: [string, string][] = [];
    while (Date.now() < deadline) {
      seen = await this.treeRows(paneName)
        .evaluateAll((rows) =>
          rows.map((r): [string, string] => [
            (r.getAttribute('aria-label') ?? '').replace(/\s+/g, ' ').trim(),
            r.textContent ?? '',
          ]),
        )
        .catch(() => []);
      const found = seen.find(([rowLabel]) => label.test(rowLabel));
      if (found) return found[1];
      await this.page.waitForTimeout(250);
    }
    throw new Error(
      `no row labelled ${String(label)} in ${paneName} after ${timeout} ms; rows: ${JSON.stringify(seen)}`,
    );
  }

  /** Waits until a row of the tree in `paneName` matches `text`; returns it. */
  async waitForRow(paneName: string, text: string | RegExp, timeout = LONG): Promise<Locator> {
    const test = (t: string) => (typeof text === 'string' ? t.includes(text) : text.test(t));
    const deadline = Date.now() + timeout;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      seen = await this.rowTexts(paneName).catch(() => []);
      const index = seen.findIndex(test);
      if (index >= 0) return this.treeRows(paneName).nth(index);
      await this.page.waitForTimeout(250);
    }
    throw new Error(
      `no row matching ${String(text)} in ${paneName} after ${timeout} ms; rows: ${JSON.stringify(seen)}`,
    );
  }

  /** Waits until no row of the tree in `paneName` matches `text`, while the pane itself is on screen. */
  async waitForNoRow(paneName: string, text: string | RegExp, timeout = LONG): Promise<void> {
    const test = (t: string) => (typeof text === 'string' ? t.includes(text) : text.test(t));
    const deadline = Date.now() + timeout;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      // A collapsed, hidden or missing pane has no rows either: that must not count as "gone".
      const shown = await this.pane(paneName)
        .isVisible()
        .catch(() => false);
      seen = shown ? await this.rowTexts(paneName).catch(() => seen) : seen;
      if (shown && !seen.some(test)) return;
      await this.page.waitForTimeout(250);
    }
    throw new Error(
      `a row matching ${String(text)} is still in ${paneName} after ${timeout} ms; rows: ${JSON.stringify(seen)}`,
    );
  }

  /** The accessible labels of the quick pick titled `titlePart` (what a screen reader reads per item). */
  async quickPickLabels(titlePart: string | RegExp, timeout = LONG): Promise<string[]> {
    await this.waitForQuickInputTitle(titlePart, timeout);
    const rows = this.quickInput().locator('.monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: SHORT });
    return rows.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? '').trim()));
  }

  /** The port of the local sandbox named in the status bar ("Local sandbox (41037) · …"). */
  async sandboxPort(): Promise<number> {
    const text = await this.page.locator('.statusbar').innerText({ timeout: SHORT });
    const port = /Local sandbox \((\d+)\)/.exec(text)?.[1];
    if (!port) throw new Error(`no local sandbox in the status bar: "${text.replace(/\s+/g, ' ')}"`);
    return Number(port);
  }

  /** Waits until `read` returns something other than `previous`; returns it. */
  async waitForChange(what: string, previous: string, read: () => Promise<string>, timeout = SHORT): Promise<string> {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      const current = await read().catch(() => previous);
      if (current !== previous) return current;
      await this.page.waitForTimeout(200);
    }
    throw new Error(`${what} did not change from "${previous}" within ${timeout} ms`);
  }

  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Opens the command palette and runs the command whose title matches `title`. */
  async runCommand(title: string): Promise<void> {
    await retry(`run command "${title}"`, 3, async () => {
      await this.page.keyboard.press('Escape');
      await this.page
        .locator('.monaco-workbench')
        .click({ position: { x: 700, y: 450 }, force: true })
        .catch(() => undefined);
      await this.page.keyboard.press('F1');
      const input = this.quickInput().locator('input.input');
      await input.waitFor({ state: 'visible', timeout: SHORT });
      await input.fill(`>${title}`);
      // Click the entry whose label starts with the title: Enter would take the top fuzzy match,
      // which for "Cancel Order" may be "Cancel All Open Orders…".
      const rows = this.quickInput().locator('.monaco-list-row');
      const deadline = Date.now() + SHORT;
      let seen: string[] = [];
      while (Date.now() < deadline) {
        seen = await rows
          .evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()))
          .catch(() => []);
        const index = seen.findIndex((t) => t.startsWith(title));
        if (index >= 0) {
          await rows.nth(index).click();
          return;
        }
        await this.page.waitForTimeout(250);
      }
      throw new Error(`no command "${title}" in the palette; entries: ${JSON.stringify(seen)}`);
    });
  }

  /** Waits for a quick pick whose title contains `titlePart`, then picks the item labelled `label`. */
  async pick(titlePart: string | RegExp, label: string | RegExp, timeout = LONG): Promise<void> {
    await this.waitForQuickInputTitle(titlePart, timeout);
    if (typeof label === 'string') await this.quickInput().locator('input.input').fill(label);
    const rows = this.quickInput().locator('.monaco-list-row');
    const test = (t: string) => (typeof label === 'string' ? t.includes(label) : label.test(t));
    const deadline = Date.now() + SHORT;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      // aria-label keeps the words apart ("BUY, spend USDT, get BTC"); textContent runs them together.
      seen = await rows
        .evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()))
        .catch(() => []);
      const index = seen.findIndex(test);
      if (index >= 0) {
        await rows.nth(index).click();
        return;
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(
      `no item matching ${String(label)} in the quick pick "${String(titlePart)}"; items: ${JSON.stringify(seen)}`,
    );
  }

  /** Waits for an input box whose title contains `titlePart`; returns its current value. */
  async inputValue(titlePart: string | RegExp, timeout = LONG): Promise<string> {
    await this.waitForQuickInputTitle(titlePart, timeout);
    return this.quickInput().locator('input.input').inputValue();
  }

  /**
   * Types `value` into the input box titled `titlePart`, accepts it and waits until the box has moved
   * on. (VS Code's input box awaits a pending validateInput on Enter, so no pause is needed before it;
   * a value it refuses keeps the box open, and the failure names the validation message.)
   */
  async enter(titlePart: string | RegExp, value: string, timeout = LONG): Promise<void> {
    await this.waitForQuickInputTitle(titlePart, timeout);
    const input = this.quickInput().locator('input.input');
    await input.fill(value);
    await input.press('Enter');
    const title = this.quickInput().locator('.quick-input-title').filter({ hasText: titlePart }).first();
    const moved = await title.waitFor({ state: 'hidden', timeout: SHORT }).then(
      () => true,
      () => false,
    );
    if (moved) return;
    const message = await this.quickInput()
      .locator('.quick-input-message')
      .textContent({ timeout: 1000 })
      .catch(() => '');
    throw new Error(
      `the input box "${String(titlePart)}" did not accept "${value}" within ${SHORT} ms${message ? `: ${message.trim()}` : ''}`,
    );
  }

  async waitForQuickInputTitle(titlePart: string | RegExp, timeout = LONG): Promise<void> {
    await this.quickInput()
      .locator('.quick-input-title')
      .filter({ hasText: titlePart })
      .first()
      .waitFor({ state: 'visible', timeout });
  }

  /** A notification toast whose message matches. */
  async waitForNotification(text: string | RegExp, timeout = LONG): Promise<void> {
    await this.page
      .locator('.notifications-toasts .notification-toast, .notification-list-item')
      .filter({ hasText: text })
      .first()
      .waitFor({ state: 'visible', timeout });
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(this.screenshotDir, { recursive: true });
    const file = path.join(this.screenshotDir, `${name}.png`);
    await this.page.waitForTimeout(300); // let the last render settle
    await this.page.screenshot({ path: file });
    return file;
  }
}

export async function retry<T>(what: string, attempts: number, action: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let i = 1; i <= attempts; i++) {
    try {
      return await action();
    } catch (error) {
      last = error;
    }
  }
  throw new Error(`${what} failed after ${attempts} attempts: ${(last as Error)?.message ?? String(last)}`);
}
