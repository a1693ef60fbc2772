// End to end, as a person uses it: the extension installed from its .vsix into a real VS Code
// workbench (code-server) in headless Chromium, talking to the local sandbox exchange that the
// extension starts on 127.0.0.1. Screenshots of each step go to .test-artifacts/e2e/screenshots/ (`npm run screenshots`: media/screenshots/, for the README).
import * as assert from 'assert';
import { spawn } from 'child_process';
import { createHmac } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { waitFor } from '../../scripts/harness/waits';
import { PROBE_WALK_TITLE } from '../probe/protocol';
import type { BotStatus } from './support/bot';
import { E2E_WORK, E2ESession, exportProbeReport, hostNetworkReport, startSession } from './support/session';
import { findMarketPanel, panelState, waitForPanel } from './support/marketPanel';
import { retry, type Workbench } from './support/workbench';

/** The sandbox's fault control (POST /sandbox/v1/faults), on loopback like everything else. */
async function setSandboxFaults(port: number, body: object): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/sandbox/v1/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox faults ${JSON.stringify(body)}: HTTP ${response.status}`);
}

/** Who answers on the sandbox's port (GET /sandbox/v1/health). */
async function sandboxHealth(baseUrl: string): Promise<{ pid: number; startedAt: string; dataDir: string }> {
  const response = await fetch(`${baseUrl}/sandbox/v1/health`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`sandbox health: HTTP ${response.status}`);
  return (await response.json()) as { pid: number; startedAt: string; dataDir: string };
}

/** The first file named `name` under `root` (the global storage's place differs between servers). */
function findFile(root: string, name: string): string | undefined {
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isFile() && entry.name === name) return full;
    if (entry.isDirectory()) {
      const found = findFile(full, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** The sandbox's data folder, beside the discovery file in the extension's global storage. */
function sandboxDataDir(session: E2ESession): string {
  const discovery = findFile(session.server.dirs.userDataDir, 'sandbox.json');
  assert.ok(discovery, 'no discovery file in the global storage');
  return path.join(path.dirname(discovery), 'sandbox');
}

/**
 * Places a LIMIT BUY of 0.001 BTCUSDT at 95% of the last price through the command palette, as a
 * person does, and waits for it in the Orders tree. Returns the price.
 */
async function placeLimitBuy(wb: Workbench, screenshot?: string): Promise<string> {
  await wb.runCommand('Binance: Place Order');
  await wb.pick('symbol (1/', 'BTCUSDT');
  // Icons sit beside the items: their names are not read out ("arrow-down BUY").
  const sides = await wb.quickPickLabels('side (2/');
  assert.deepStrictEqual(
    sides.map((label) => label.split(',')[0]),
    ['BUY', 'SELL'],
    `side items read as ${JSON.stringify(sides)}`,
  );
  await wb.pick('side (2/', /\bBUY\b/);
  await wb.pick('order type (3/', /^\s*LIMIT\b/);
  await wb.enter('quantity', '0.001');
  const lastPrice = await wb.inputValue('price');
  assert.match(lastPrice, /^\d+(\.\d+)?$/, `the price box should be prefilled with the last price, got "${lastPrice}"`);
  // Rest well below the market so the order stays open: 95% of the last price, whole units.
  const limitPrice = String((BigInt(lastPrice.split('.')[0]) * 95n) / 100n);
  await wb.enter('price', limitPrice);
  await wb.pick('time in force', 'GTC');
  await wb.waitForQuickInputTitle(/BUY/);
  if (screenshot) await wb.screenshot(screenshot);
  await wb.pick(/LIMIT/, /Place order/);
  // The row reads as a sentence about the order (its label shows "BUY LIMIT 0.001 @ 57,000").
  const shown = await wb.waitForRowShowing('Orders', openOrderRow(limitPrice));
  assert.match(shown, new RegExp(`BUY LIMIT 0\\.001 @ ${grouped(limitPrice)}`));
  return limitPrice;
}

const grouped = (price: string): string => price.replace(/\B(?=(\d{3})+$)/g, ',');

function openOrderRow(price: string): RegExp {
  return new RegExp(`^Buy limit order for 0\\.001 at ${grouped(price)}: open, 0% filled, placed \\d+ \\w+ ago\\.$`);
}

describe('Testnet Desk in the VS Code workbench (end to end)', function () {
  this.bail(true); // each step builds on the previous one
  let session: E2ESession;

  before(async function () {
    this.timeout(300_000);
    session = await startSession();
  });

  after(async () => {
    await session?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      const name = `failure-${this.currentTest.title.replace(/\W+/g, '-')}`;
      await session.workbench.page.screenshot({ path: path.join(E2E_WORK, `${name}.png`) }).catch(() => undefined);
    }
  });

  it('opens the Testnet Desk side bar from the activity bar', async () => {
    const wb = session.workbench;
    await wb.openViewContainer('Testnet Desk');
    await wb.pane('Balances').waitFor({ state: 'visible', timeout: 30_000 });
    await wb.pane('Orders').waitFor({ state: 'visible', timeout: 30_000 });
    // The no-key welcome, once the extension has activated (not the workbench's placeholder text).
    await wb
      .pane('Balances')
      .getByRole('button', { name: 'Start Local Sandbox' })
      .waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('01-welcome');
  });

  it('starts the local sandbox and shows its balances', async () => {
    const wb = session.workbench;
    const button = wb.pane('Balances').getByRole('button', { name: 'Start Local Sandbox' });
    await button.waitFor({ state: 'visible', timeout: 30_000 });
    await button.click();
    await wb.waitForRow('Balances', /\bBTC\b/);
    assert.strictEqual(await wb.sandboxPort(), session.sandboxPort, 'the sandbox is on the port its setting names');
    await wb.waitForRow('Balances', /\bUSDT\b/);
    const rows = await wb.rowTexts('Balances');
    assert.ok(
      rows.some((r) => /\bBTC\b.*\d/.test(r)),
      `no BTC amount in the Balances tree: ${JSON.stringify(rows)}`,
    );
    // A screen reader reads each row as a sentence with grouped numbers: "USDT: 10,000 free."
    for (const row of rows)
      assert.match(
        row,
        /^[A-Z0-9]+: [\d,.]+ free(, [\d,.]+ locked in open orders)?(, worth about <? ?[\d,.]+ [A-Z0-9]+)?\.$/,
        `row read as "${row}"`,
      );
    assert.ok(
      rows.some((r) => /^USDT: 10,000 free\.$/.test(r)),
      `USDT is not read as "10,000 free": ${JSON.stringify(rows)}`,
    );
    await wb.screenshot('02-balances');
  });

  // Testnet Desk runs here as a user's .vsix install (ExtensionMode.Production), and holds keys now:
  // the sandbox's, and two the probe stored through testnetDesk.keys.add. See test/probe/extension.ts.
  it('gives another installed extension no secret, no full API key and no prompter through its exports', async () => {
    const wb = session.workbench;
    await wb.runCommand(`${PROBE_WALK_TITLE.category}: ${PROBE_WALK_TITLE.title}`);
    const report = await waitFor('the export probe report', () => exportProbeReport(), { timeoutMs: 90_000 });
    assert.deepStrictEqual(report.problems, []);
    assert.strictEqual(report.probeMode, 'Production');
    assert.deepStrictEqual(report.provisioned, ['probe HMAC', 'probe Ed25519'], 'the probe holds no key to look for');
    assert.deepStrictEqual(report.needles, [
      'probe HMAC full API key',
      'probe HMAC secret',
      'probe Ed25519 full API key',
      'probe Ed25519 private key PEM',
    ]);
    const exported = report.roots.find((r) => r.root === 'exports');
    assert.ok(exported?.present && exported.walk, 'the probe could not read the exports');
    const walk = exported.walk;
    assert.deepStrictEqual(walk.rootKeys, ['ready']);
    assert.strictEqual(walk.rootFrozen, true);
    assert.deepStrictEqual(walk.hits, [], 'key material reachable from the exports');
    assert.deepStrictEqual(walk.capabilities, [], 'secret-, signing- or prompt-looking members in the exports');
    assert.deepStrictEqual(walk.prompterInstalls, [], 'the probe installed its prompter');
    const channel = report.roots.find((r) => r.root === 'testChannel');
    assert.strictEqual(channel?.present, false, 'a Production install published its test hooks on globalThis');
    await wb.runCommand('Notifications: Clear All Notifications'); // the "key saved" toasts, out of the screenshots
  });

  it('places a LIMIT BUY from the command palette and shows it in the Orders tree', async () => {
    await placeLimitBuy(session.workbench, '03-place-order');
    await session.workbench.screenshot('04-order-open');
  });

  it('cancels the order and removes it from the Orders tree', async () => {
    const wb = session.workbench;
    await retry('cancel via the command palette', 2, async () => {
      await wb.runCommand('Binance: Cancel Order');
      await wb.pick('Cancel order on', /BTCUSDT BUY LIMIT 0\.001/, 30_000);
    });
    await wb.waitForNotification(/Canceled BTCUSDT BUY LIMIT 0\.001/);
    await wb.waitForNoRow('Orders', /^Buy limit order for 0\.001 at /);
    await wb.screenshot('05-order-cancelled');
  });

  it('never put a question to the probe while a person placed and cancelled an order', () => {
    const report = exportProbeReport();
    assert.ok(report, 'the export probe never reported');
    assert.strictEqual(report.prompterCalls, 0, "Testnet Desk asked the probe's prompter");
  });

  it('opens the market panel: a depth ladder from the sandbox, and a MARKET order from the ticket makes a candle', async () => {
    const wb = session.workbench;
    await wb.runCommand('Binance: Open Market Panel…');
    await wb.pick(/^Market panel · Local sandbox/, 'BTCUSDT');
    const frame = await findMarketPanel(wb.page);
    const byTestId = (id: string) => frame.locator(`[data-testid="${id}"]`);
    const state = await waitForPanel(
      frame,
      'both sides of the ladder',
      (s) => (s.ladder?.bids.length ?? 0) > 0 && (s.ladder?.asks.length ?? 0) > 0,
    );
    assert.strictEqual(state.symbol, 'BTCUSDT');
    assert.strictEqual(state.readOnly, false, 'the local sandbox can trade from the ticket');
    await wb.page
      .locator('.tabs-container .tab')
      .filter({ hasText: /^BTCUSDT · Local sandbox/ })
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 });
    // A MARKET BUY takes the market maker's best ask: the sandbox's first trade, so its first candle.
    await byTestId('ticket-type').click();
    await byTestId('ticket-type').getByRole('option', { name: 'MARKET', exact: true }).click();
    await waitForPanel(frame, 'type MARKET', (s) => s.ticket?.draft.type === 'MARKET');
    await byTestId('ticket-amount').locator('input').fill('0.001');
    await byTestId('ticket-place').click();
    await byTestId('ticket-result')
      .filter({ hasText: /^Placed BUY MARKET 0\.001 BTCUSDT/ })
      .waitFor({ timeout: 30_000 });
    const traded = await waitForPanel(
      frame,
      'a candle and a fill marker',
      (s) => (s.chart?.bars ?? 0) >= 1 && (s.chart?.markers.length ?? 0) > 0,
    );
    assert.ok((traded.trades ?? 0) > 0, 'the trade is in the recent trades');
  });

  it('places a LIMIT BUY from the ticket, draws its price line, and cancels it (light and dark screenshots)', async () => {
    const wb = session.workbench;
    const frame = await findMarketPanel(wb.page);
    const byTestId = (id: string) => frame.locator(`[data-testid="${id}"]`);
    await byTestId('ticket-type').click();
    await byTestId('ticket-type').getByRole('option', { name: 'LIMIT', exact: true }).click();
    await waitForPanel(frame, 'type LIMIT', (s) => s.ticket?.draft.type === 'LIMIT');
    const [bestBid] = (await panelState(frame)).ladder!.bids[0];
    // Rest well below the market: 95% of the best bid, whole units (on every tick).
    const price = String((BigInt(bestBid.split('.')[0]) * 95n) / 100n);
    await byTestId('ticket-amount').locator('input').fill('0.001');
    await byTestId('ticket-price').locator('input').fill(price);
    await byTestId('ticket-place').click();
    await byTestId('ticket-result')
      .filter({ hasText: /^Placed BUY LIMIT/ })
      .waitFor({ timeout: 30_000 });
    const placed = await waitForPanel(frame, 'the price line of the new order', (s) =>
      (s.chart?.priceLines ?? []).some((l) => l.price === Number(price)),
    );
    const orderId = placed.chart!.priceLines.find((l) => l.price === Number(price))!.orderId;
    assert.ok(placed.openOrders?.includes(orderId), "listed in the panel's open orders");
    // The same order in the Orders tree: the panel and the views share the account.
    await wb.waitForRow('Orders', openOrderRow(price));
    await wb.screenshot('09-market-panel-light');
    await wb.runCommand('Preferences: Toggle between Light/Dark Themes');
    await wb.page.locator('.monaco-workbench.vs-dark').waitFor({ state: 'attached', timeout: 30_000 });
    await waitForPanel(frame, 'the dark theme in the page', (s) => s.theme === 'dark');
    await wb.screenshot('10-market-panel-dark');
    await wb.runCommand('Preferences: Toggle between Light/Dark Themes');
    await wb.page.locator('.monaco-workbench.vs').waitFor({ state: 'attached', timeout: 30_000 });

    await byTestId(`cancel-${orderId}`).click();
    await waitForPanel(
      frame,
      'the price line removed',
      (s) => !(s.chart?.priceLines ?? []).some((l) => l.orderId === orderId),
    );
    await wb.waitForNoRow('Orders', /^Buy limit order for 0\.001 at /);
    await wb.runCommand('View: Close All Editors');
  });

  it('shows a short error sentence with Retry and Show Log, and Retry brings the balances back', async () => {
    const wb = session.workbench;
    const port = await wb.sandboxPort();
    await setSandboxFaults(port, { failNext: { count: 50, status: 500 } });
    await wb.runCommand('Binance: Refresh Balances and Orders');
    const balances = wb.pane('Balances');
    const retry = balances.getByRole('button', { name: 'Retry' });
    await retry.waitFor({ state: 'visible', timeout: 30_000 });
    await balances.getByRole('button', { name: 'Show Log' }).waitFor({ state: 'visible', timeout: 5_000 });
    const text = (await balances.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Balances could not be loaded: the exchange reported a server error\./);
    assert.doesNotMatch(text, /Binance error|HTTP 500/, 'the exchange text belongs in the log');
    await wb.screenshot('06-error-welcome');
    await setSandboxFaults(port, { clear: true });
    await retry.click();
    await wb.waitForRow('Balances', /^BTC: /);
  });

  it('pauses on a 429 with a countdown that moves, then reloads the views by itself', async () => {
    const wb = session.workbench;
    const port = await wb.sandboxPort();
    await setSandboxFaults(port, { forceRateLimit: { status: 429, retryAfterSeconds: 4, count: 100 } });
    await wb.runCommand('Binance: Refresh Balances and Orders');
    const message = wb.pane('Balances').getByText(/Resuming in \d+ s\./);
    await message.waitFor({ state: 'visible', timeout: 30_000 });
    // Cleared at once: only the extension's own pause keeps it from sending again.
    await setSandboxFaults(port, { clear: true });
    const first = await message.innerText();
    await wb.screenshot('07-rate-limited');
    const next = await wb.waitForChange('the countdown', first, () => message.innerText({ timeout: 1000 }));
    assert.match(next, /Resuming in \d+ s\./);
    await wb.waitForRow('Balances', /^BTC: /, 20_000);
    assert.strictEqual(await message.count(), 0, 'the pause message is gone');
  });

  it('asks before copying the bot settings, with "Copy Without Private Key" as the default button', async () => {
    const wb = session.workbench;
    await wb.runCommand('Binance: Copy Environment Settings for a Bot');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    // The sandbox key is an Ed25519 key. (The button order on screen is the platform's.)
    const buttons = (await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((t) => t.trim());
    assert.deepStrictEqual(buttons.sort(), ['Cancel', 'Copy With Private Key', 'Copy Without Private Key']);
    // What Enter would press: the focused button.
    const focused = (await dialog.locator('.dialog-buttons .monaco-button:focus').innerText({ timeout: 5_000 })).trim();
    assert.strictEqual(focused, 'Copy Without Private Key');
    await wb.screenshot('08-copy-settings');
    await wb.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  });

  it("lists a bot's failed request in the Requests view with the sandbox's diagnosis, and opens it as JSON", async () => {
    const wb = session.workbench;
    const baseUrl = `http://127.0.0.1:${await wb.sandboxPort()}`;
    const keys = JSON.parse(fs.readFileSync(path.join(sandboxDataDir(session), 'keys.json'), 'utf8')) as {
      hmac: { apiKey: string; secret: string };
    };
    await wb.pane('Requests').locator('.pane-header').click();
    // A bot that signs its parameters sorted by name and sends them in another order.
    const timestamp = Date.now();
    const signature = createHmac('sha256', keys.hmac.secret)
      .update(`symbol=BTCUSDT&timestamp=${timestamp}`)
      .digest('hex');
    const response = await fetch(
      `${baseUrl}/api/v3/openOrders?timestamp=${timestamp}&symbol=BTCUSDT&signature=${signature}`,
      { headers: { 'X-MBX-APIKEY': keys.hmac.apiKey }, signal: AbortSignal.timeout(5000) },
    );
    assert.strictEqual(response.status, 400);
    const masked = `${keys.hmac.apiKey.slice(0, 4)}…${keys.hmac.apiKey.slice(-4)}`;
    const row = await wb.waitForRow(
      'Requests',
      new RegExp(
        `^GET /api/v3/openOrders: -1022 · The parameters were signed in one order \\(sorted by name\\) and sent in another\\. · ${masked}$`,
      ),
    );
    // The extension's own requests are listed beside the bot's.
    await wb.waitForRow('Requests', /^GET \/api\/v3\/account: 200 · /);
    const listed = (await wb.rowTexts('Requests')).join('\n');
    assert.ok(!listed.includes(keys.hmac.apiKey) && !listed.includes(signature), 'a full key or signature in the view');
    await row.click();
    const editor = wb.page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor({ state: 'visible', timeout: 30_000 });
    const tab = wb.page.locator('.tabs-container .tab.active');
    await waitFor('the request document', async () => ((await tab.innerText()).includes('.json') ? true : undefined), {
      timeoutMs: 30_000,
    });
    // Monaco draws spaces as no-break spaces.
    const text = (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /"request": \{/);
    assert.match(text, /"path": "\/api\/v3\/openOrders"/);
    assert.match(text, /"cause": "The parameters were signed in one order \(sorted by name\) and sent in another\."/);
    assert.ok(!text.includes(signature) && !text.includes(keys.hmac.apiKey), 'a full key or signature in the document');
    await wb.screenshot('11-requests-diagnosis');
    await wb.runCommand('View: Close All Editors');
    await wb.pane('Requests').locator('.pane-header').click(); // collapsed again, as it was
  });

  // The sandbox is a process of its own: a window reload (which ends the extension host) leaves
  // it, its port, its key and its orders alone, and a bot outside VS Code never notices.
  it('keeps the sandbox, its port, key and orders through "Developer: Reload Window", and a bot outside VS Code sees no error', async function () {
    this.timeout(240_000);
    const wb = session.workbench;
    const port = await wb.sandboxPort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const before = await sandboxHealth(baseUrl);
    const dataDir = sandboxDataDir(session);
    assert.strictEqual(before.dataDir, dataDir);
    const keysBefore = fs.readFileSync(path.join(dataDir, 'keys.json'), 'utf8');
    const price = await placeLimitBuy(wb);
    const statusFile = path.join(E2E_WORK, 'bot-status.json');
    const bot = spawn(
      process.execPath,
      [path.join(__dirname, 'support', 'bot.js'), baseUrl, path.join(dataDir, 'keys.json'), statusFile],
      { stdio: 'ignore' },
    );
    try {
      const botStatus = (): BotStatus | undefined =>
        fs.existsSync(statusFile) ? (JSON.parse(fs.readFileSync(statusFile, 'utf8')) as BotStatus) : undefined;
      await waitFor('the bot to be trading', () => ((botStatus()?.ok ?? 0) >= 9 ? true : undefined), {
        timeoutMs: 30_000,
      });
      const reloadAt = Date.now();
      await wb.runCommand('Developer: Reload Window');
      await wb.waitUntilReady();
      await wb.openViewContainer('Testnet Desk');
      // The order placed before the reload, listed by the new extension host with the same key.
      await wb.waitForRow('Orders', openOrderRow(price), 90_000);
      assert.strictEqual(await wb.sandboxPort(), port, 'the same port after the reload');
      const after = await sandboxHealth(baseUrl);
      assert.deepStrictEqual([after.pid, after.startedAt], [before.pid, before.startedAt], 'the same sandbox process');
      assert.strictEqual(fs.readFileSync(path.join(dataDir, 'keys.json'), 'utf8'), keysBefore, 'the same keys');
      const statusText = await wb.page.locator('.statusbar').innerText();
      assert.match(statusText, new RegExp(`Local sandbox \\(${port}\\) · Sandbox key`));
      await waitFor(
        'the bot to trade on after the reload',
        () => {
          const status = botStatus();
          return status && status.lastOkAt > Date.now() - 2000 && status.lastOkAt > reloadAt ? true : undefined;
        },
        { timeoutMs: 30_000 },
      );
      await wb.screenshot('09-after-reload');
    } finally {
      bot.kill('SIGTERM');
      await new Promise((resolve) => bot.once('exit', resolve));
    }
    const final = JSON.parse(fs.readFileSync(statusFile, 'utf8')) as BotStatus;
    assert.ok(final.stopped && final.rounds >= 10, `the bot ran ${final.rounds} rounds`);
    assert.deepStrictEqual(final.failures, [], 'the bot saw errors around the reload');
  });

  it('kept the workbench and the extension host on 127.0.0.1 (no connection to any other host)', () => {
    const { loopback, foreign } = session.browserTraffic;
    assert.deepStrictEqual(foreign, [], 'non-loopback requests from the workbench');
    assert.ok(loopback > 0, 'the traffic recorder saw no request at all, so it proves nothing');
    const host = hostNetworkReport();
    assert.ok(host, 'the network guard never ran in the extension host (no report), so it proves nothing');
    assert.ok(host.hosts >= 2, `one report per extension host, before and after the reload (got ${host.hosts})`);
    assert.ok(host.verified, `the network guard in the extension host failed its self-test: ${host.error}`);
    assert.deepStrictEqual(
      host.attempts.map((a) => `${a.host}:${a.port}`),
      [],
      'non-loopback connections from the extension host',
    );
  });
});
