/**
 * The market panel's webview in headless Chromium, without VS Code: the built bundle in the HTML
 * the extension builds (same CSP), a fake acquireVsCodeApi, and the real host side (MarketFeed on
 * SpotClient + MarketStreams) against a local sandbox on 127.0.0.1 whose market keeps moving.
 * The tests share one sandbox and go in order, like a person using the panel.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { BrowserTraffic, launchChromium, recordTraffic, trafficProblem } from '../../../scripts/harness/chromium';
import { ARTIFACTS } from '../../../scripts/harness/paths';
import { sleep } from '../../../scripts/harness/waits';
import type { SymbolInfo } from '../../../src/core/api';
import * as D from '../../../src/core/decimal';
import { evaluateTicket } from '../../../src/core/market/ticket';
import { CLIENT_ORDER_ID_PATTERN } from '../../../src/core/orderIds';
import type { MarketFeed, MarketFeedOptions } from '../../../src/webview/market/host/marketFeed';
import { formatFixedGrouped } from '../../../src/webview/market/model/format';
import { LADDER_DEPTH } from '../../../src/webview/market/model/ladderWindow';
import { MAX_TRADES } from '../../../src/webview/market/model/panelModel';
import type {
  HostMessage,
  PlaceOrderMessage,
  TestOrderMessage,
  ViewMessage,
} from '../../../src/webview/market/protocol';
import { MarketSandbox, startMarketSandbox, SYMBOL } from '../../support/marketSandbox';
import { startHarnessServer, HarnessServer } from './support/harnessServer';
import { openPanelPage, PanelPage, PanelState } from './support/panelPage';
import { applyTheme, ThemeName, themeVariables } from './support/themes';

const OUT = path.join(ARTIFACTS, 'webview');
const SCREENSHOTS = process.env.TESTNET_DESK_SCREENSHOT_DIR ?? path.join(OUT, 'screenshots');
const canonical = (levels: readonly (readonly [string, string])[]): string[] =>
  levels.map(([p, q]) => `${D.normalize(p)}@${D.normalize(q)}`);

describe('market panel webview in Chromium, against the sandbox', function () {
  this.timeout(60_000);
  let market: MarketSandbox;
  let server: HarnessServer;
  let browser: BrowserContext;
  let traffic: BrowserTraffic;
  let panel: PanelPage;
  let symbolInfo: SymbolInfo;
  /** The feed the open page talks to (swapped for the read-only case). */
  let feed: MarketFeed;
  const received: ViewMessage[] = [];
  /** The host side's log lines (refused snapshots, failed refreshes), printed when a test fails. */
  const hostLog: string[] = [];
  const hostFeed = (post: (m: HostMessage) => void, extra: Partial<MarketFeedOptions> = {}): MarketFeed =>
    market.feed(post, { log: (line) => hostLog.push(line), ...extra });

  /** Opens the panel with the feed `makeFeed` builds answering it, as VS Code would open (or restore) the webview. */
  async function openPanel(
    makeFeed: (post: (m: HostMessage) => void) => MarketFeed,
    saved?: unknown,
  ): Promise<PanelPage> {
    // The feed may answer before the page object exists (ready comes during page load): hold those.
    const link: { page?: PanelPage; early: HostMessage[] } = { early: [] };
    feed = makeFeed((m) => (link.page ? link.page.post(m) : link.early.push(m)));
    const page = await openPanelPage(
      browser,
      `${server.origin}/`,
      (message) => {
        received.push(message as ViewMessage);
        void feed.handle(message);
      },
      saved,
    );
    for (const m of link.early.splice(0)) page.post(m);
    link.page = page;
    return page;
  }

  const byTestId = (id: string) => panel.page.locator(`[data-testid="${id}"]`);
  const fieldValue = (id: string): Promise<string> =>
    byTestId(id).evaluate((node) => (node as unknown as { value: string }).value);
  /** The element with focus, through shadow roots to the custom element that holds it. */
  const focused = (): Promise<{ testid: string | null; role: string | null; key: string | null; tag: string }> =>
    panel.page.evaluate(() => {
      type Node = {
        getAttribute(n: string): string | null;
        tagName: string;
        dataset: Record<string, string>;
        shadowRoot?: { activeElement: Node | null };
      };
      const active = (globalThis as unknown as { document: { activeElement: Node | null } }).document.activeElement;
      if (!active) return { testid: null, role: null, key: null, tag: '' };
      return {
        testid: active.getAttribute('data-testid'),
        role: active.getAttribute('role'),
        key: active.dataset?.key ?? null,
        tag: active.tagName.toLowerCase(),
      };
    });
  /** Presses Tab until the focused element matches; fails naming the path taken. */
  async function tabTo(label: string, match: (f: Awaited<ReturnType<typeof focused>>) => boolean): Promise<void> {
    const path: string[] = [];
    for (let i = 0; i < 40; i++) {
      const f = await focused();
      if (match(f)) return;
      path.push(f.testid ?? f.role ?? f.tag);
      await panel.page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${label}; focus went through ${path.join(' → ')}`);
  }
  const postedOf = async <T extends ViewMessage['type']>(type: T): Promise<Extract<ViewMessage, { type: T }>[]> =>
    (await panel.posted()).filter((m): m is Extract<ViewMessage, { type: T }> => m.type === type);

  before(async function () {
    this.timeout(120_000);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    market = await startMarketSandbox({ interval: '1s' });
    await market.activity.seedBook();
    market.activity.start();
    symbolInfo = (await market.client.exchangeInfo({ symbol: SYMBOL })).symbols[0];
    // A few seconds of trading: several 1 s candles before the panel opens.
    await sleep(3500);
    server = await startHarnessServer();
    browser = await launchChromium(path.join(OUT, 'chromium-profile'));
    traffic = recordTraffic(browser);
    panel = await openPanel((post) => hostFeed(post));
    await applyTheme(panel.page, 'dark');
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && hostLog.length > 0) console.log(`host log:\n${hostLog.join('\n')}`);
    hostLog.length = 0;
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    await server?.close();
    await market?.close();
  });

  it('starts with ready, then draws candles, the ticker and the trades from the sandbox', async () => {
    assert.equal(received[0]?.type, 'ready', 'the view speaks first');
    const s = await panel.waitForState((s) => s.ready && (s.chart?.bars ?? 0) >= 3, 'three candles');
    assert.equal(s.symbol, SYMBOL);
    assert.equal(s.interval, '1s');
    // The chart holds the REST candles (plus the stream's): a closed bar is exactly the exchange's.
    const rest = await market.client.klines(SYMBOL, '1s', { limit: 500 });
    const closed = rest.filter((k) => k.closed);
    assert.ok(closed.length >= 2, `the sandbox has closed candles (${rest.length})`);
    assert.ok(Math.abs(s.chart!.bars - rest.length) <= 2, `chart ${s.chart!.bars} bars, REST ${rest.length}`);
    const last = await panel.waitForState(
      (x) => x.chart!.lastBar !== undefined && x.chart!.bars >= rest.length,
      'the latest candle',
    );
    assert.ok(last.chart!.lastBar!.close > 59_000 && last.chart!.lastBar!.close < 61_000, JSON.stringify(last.chart));
    assert.ok((s.trades ?? 0) > 0, 'recent trades listed');
    await panel.waitForState((x) => (x.messages.ticker ?? 0) >= 1, 'a ticker update');
    const lastPrice = await byTestId('ticker-last').textContent();
    assert.match(lastPrice ?? '', /^\d{2},\d{3}\.\d{2}$/, 'last price grouped with the tick places');
    assert.equal(await byTestId('symbol').textContent(), 'BTC/USDT');
    const listed = await byTestId('trades').locator('li').count();
    assert.ok(listed > 0 && listed <= MAX_TRADES, `${listed} trades listed`);
  });

  it('updates the last candle from the kline stream with update(), not a reload', async () => {
    const before = await panel.state();
    const after = await panel.waitForState(
      (s) => (s.messages.kline ?? 0) >= (before.messages.kline ?? 0) + 2,
      'two kline stream messages',
    );
    assert.ok(after.chart!.bars >= before.chart!.bars, 'bars kept');
    assert.equal(after.messages.snapshot, 1, 'no second snapshot');
    assert.ok(after.chart!.lastBar!.time >= before.chart!.lastBar!.time);
  });

  it('keeps the depth ladder equal to the sandbox REST depth, from diffs', async () => {
    await panel.waitForState((s) => (s.messages.bookChange ?? 0) >= 5, 'book changes applied');
    market.activity.stop();
    await market.activity.idle();
    let rest: Awaited<ReturnType<typeof market.client.depth>> | undefined;
    let state: PanelState | undefined;
    // The market maker refills what the last trades took within 200 ms; then the book is still.
    for (let attempt = 0; attempt < 5; attempt++) {
      await sleep(600);
      rest = await market.client.depth(SYMBOL, 100);
      state = await panel.waitForState(
        (s) => (s.lastUpdateId ?? 0) >= rest!.lastUpdateId,
        `the view at update ${rest.lastUpdateId}`,
      );
      if (state.lastUpdateId === rest.lastUpdateId) break;
    }
    assert.equal(state!.lastUpdateId, rest!.lastUpdateId, 'view and REST at the same update id');
    assert.equal(state!.messages.book ?? 0, 0, 'no resync: every change came as a diff');
    assert.deepEqual(canonical(state!.ladder!.bids), canonical(rest!.bids.slice(0, LADDER_DEPTH)));
    assert.deepEqual(canonical(state!.ladder!.asks), canonical(rest!.asks.slice(0, LADDER_DEPTH)));
    // And the DOM says the same, formatted with the tick's and the step's places.
    const bidRows = byTestId('ladder-bids').locator('[role="row"]');
    assert.equal(await bidRows.count(), LADDER_DEPTH);
    const [bestPrice, bestQty] = rest!.bids[0];
    assert.equal(await bidRows.first().locator('.price').textContent(), formatFixedGrouped(bestPrice, 2));
    assert.equal(await bidRows.first().locator('.qty').textContent(), formatFixedGrouped(bestQty, 5));
    const askRows = byTestId('ladder-asks').locator('[role="row"]');
    assert.equal(
      await askRows.last().locator('.price').textContent(),
      formatFixedGrouped(rest!.asks[0][0], 2),
      'the best ask sits just above the spread',
    );
  });

  it('updates the ladder incrementally: a new best bid adds one row and keeps the others', async () => {
    // Mark every shown row element; a full re-render would replace them all.
    await panel.page.evaluate(() => {
      const doc = (
        globalThis as unknown as { document: { querySelectorAll(s: string): { dataset: Record<string, string> }[] } }
      ).document;
      for (const row of doc.querySelectorAll('[data-testid="ladder"] .level')) row.dataset.mark = 'kept';
    });
    const before = await panel.state();
    const bestBid = before.ladder!.bids[0][0];
    const newBid = D.add(bestBid, '0.01');
    const placed = await market.trader.placeOrder({
      symbol: SYMBOL,
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: newBid,
      quantity: '0.003',
    });
    assert.equal(placed.outcome, 'accepted');
    const after = await panel.waitForState((s) => D.eq(s.ladder!.bids[0][0], newBid), 'the new best bid');
    const marks = await panel.page.evaluate(() => {
      const doc = (
        globalThis as unknown as { document: { querySelectorAll(s: string): { dataset: Record<string, string> }[] } }
      ).document;
      const rows = doc.querySelectorAll('[data-testid="ladder"] .level');
      return { rows: rows.length, kept: Array.from(rows).filter((r) => r.dataset.mark === 'kept').length };
    });
    assert.equal(marks.rows, 2 * LADDER_DEPTH);
    assert.equal(marks.kept, 2 * LADDER_DEPTH - 1, 'only the new level is a new row');
    assert.equal(after.ladder!.rowsCreated - before.ladder!.rowsCreated, 1, 'one row element created');
    market.activity.start();
  });

  it('clicking a ladder row sets the ticket price', async () => {
    const s = await panel.state();
    const [askPrice] = s.ladder!.asks[2];
    await byTestId(`level-ask-${D.normalize(askPrice)}`)
      .locator('.price')
      .click();
    assert.equal(await fieldValue('ticket-price'), D.normalize(askPrice));
    const after = await panel.state();
    assert.equal(after.ticket!.draft.price, D.normalize(askPrice));
  });

  it('an off-tick price shows the inline error, and its fix changes only the price', async () => {
    await byTestId('ticket-amount').locator('input').fill('0.001');
    await byTestId('ticket-price').locator('input').fill('59000.005');
    const error = byTestId('ticket-price-error');
    await error.waitFor({ state: 'visible' });
    assert.match((await error.textContent()) ?? '', /tick/i);
    const s = await panel.state();
    const suggestion = s.ticket!.fields!.price.suggestion;
    assert.equal(suggestion, '59000.01', 'the nearest tick (half up)');
    const fix = byTestId('ticket-price-fix');
    assert.equal((await fix.textContent())?.trim(), 'Use 59000.01');
    assert.equal(s.ticket!.fields!.amount.status, 'ok', 'the amount is not blamed');
    // A screen reader hears the problem and the way out as part of the field's name.
    const priceBox = panel.page.getByRole('textbox', { name: /^Price \(USDT\)\. / });
    assert.match(
      (await priceBox.getAttribute('aria-label')) ?? '',
      /^Price \(USDT\)\. .*tick.* Suggested: 59000\.01, Ctrl\+\. applies it\.$/,
    );
    assert.equal(await fix.getAttribute('aria-label'), 'Set price to 59000.01 (Ctrl+.)');
    const draftBefore = s.ticket!.draft;
    await fix.click();
    const after = await panel.state();
    assert.equal(await fieldValue('ticket-price'), '59000.01');
    assert.deepEqual(after.ticket!.draft, { ...draftBefore, price: '59000.01' }, 'nothing else changed');
    assert.equal(after.ticket!.fields!.price.status, 'ok');
    assert.equal(await error.isVisible(), false);
    assert.equal(await panel.page.getByRole('textbox', { name: 'Price (USDT)', exact: true }).count(), 1);
  });

  it('names every control for a screen reader', async () => {
    const page = panel.page;
    for (const [role, name] of [
      ['combobox', 'Candle interval'],
      ['combobox', 'Order type'],
      ['combobox', 'Amount unit'],
      ['combobox', 'Time in force'],
      ['textbox', 'Amount (BTC)'],
      ['grid', 'Order book: asks above the spread, bids below'],
      ['radiogroup', 'Side'],
      ['list', 'Recent trades, newest first'],
      ['button', 'Place buy order for BTC'],
      ['button', 'Test order'],
    ] as const)
      assert.equal(await page.getByRole(role, { name, exact: true }).count(), 1, `${role} "${name}"`);
    // A level only the seeded orders hold (the moving market never reaches it), so it stays put.
    const level = (await panel.state()).ladder!.bids[LADDER_DEPTH - 1];
    assert.equal(
      await page.getByRole('grid').locator('[role="gridcell"][tabindex="0"]').count(),
      1,
      'one cell of the ladder in the tab order',
    );
    assert.equal(
      await byTestId(`level-bid-${D.normalize(level[0])}`)
        .locator('.price')
        .getAttribute('aria-label'),
      `Bid ${formatFixedGrouped(level[0], 2)} USDT, ${formatFixedGrouped(level[1], 5)} BTC`,
    );
  });

  it('Place posts placeOrder with exactly the validated params; the order gets its price line', async () => {
    const account = await market.client.account();
    const expected = evaluateTicket({
      symbol: symbolInfo,
      side: 'BUY',
      type: 'LIMIT',
      price: '59000.01',
      stopPrice: '',
      amount: '0.001',
      amountIn: 'base',
      timeInForce: 'GTC',
      freeBalances: Object.fromEntries(account.balances.map((b) => [b.asset, b.free])),
    }).order;
    assert.deepEqual(expected, {
      symbol: SYMBOL,
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '59000.01',
      quantity: '0.001',
    });
    // The hints say what the filters and the account allow, and what this order would cost.
    const hints = Object.fromEntries(
      await byTestId('ticket-hints')
        .locator('dd')
        .evaluateAll((nodes) =>
          nodes.map((n) => {
            const dd = n as unknown as { getAttribute(a: string): string; textContent: string };
            return [dd.getAttribute('data-hint'), dd.textContent];
          }),
        ),
    ) as Record<string, string>;
    assert.equal(hints['Tick size'], '0.01 USDT');
    assert.equal(hints['Step size'], '0.00001 BTC');
    assert.equal(hints['Minimum value'], '5 USDT');
    assert.match(hints['Free USDT'], /^\d{1,3}(,\d{3})*(\.\d+)?$/);
    assert.equal(hints['Estimated value'], '59.00001 USDT');
    assert.match(Object.keys(hints).find((k) => k.startsWith('Estimated fee')) ?? '', /^Estimated fee \(maker\)$/);
    await byTestId('ticket-place').click();
    await panel.page.waitForFunction(() =>
      (globalThis as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'placeOrder'),
    );
    const [place] = (await postedOf('placeOrder')) as PlaceOrderMessage[];
    assert.deepEqual(place.params, expected);
    assert.match(place.clientOrderId, CLIENT_ORDER_ID_PATTERN);
    await panel.page
      .getByTestId('ticket-result')
      .filter({ hasText: /^Placed / })
      .waitFor();
    const open = await market.client.openOrders(SYMBOL);
    const order = open.find((o) => o.clientOrderId === place.clientOrderId);
    assert.ok(order, 'the sandbox has the order, named by the view');
    assert.equal(D.normalize(order.price), '59000.01');
    const s = await panel.waitForState(
      (x) => x.chart!.priceLines.some((l) => l.orderId === order.orderId),
      'the price line of the order',
    );
    const line = s.chart!.priceLines.find((l) => l.orderId === order.orderId)!;
    assert.equal(line.price, 59000.01);
    assert.equal(line.title, 'BUY 0.00100');
    assert.equal(line.color, themeVariables('dark')['--vscode-charts-green'], 'a buy is drawn in the up colour');
    await byTestId(`order-${order.orderId}`).waitFor();
  });

  it('Cancel in the open orders list cancels it on the sandbox and removes its line', async () => {
    const [order] = (await market.client.openOrders(SYMBOL)).filter(
      (o) => o.side === 'BUY' && D.eq(o.price, '59000.01'),
    );
    await byTestId(`cancel-${order.orderId}`).click();
    await panel.waitForState((s) => !s.chart!.priceLines.some((l) => l.orderId === order.orderId), 'the line removed');
    const open = await market.client.openOrders(SYMBOL);
    assert.equal(
      open.some((o) => o.orderId === order.orderId),
      false,
      'cancelled on the sandbox',
    );
    assert.deepEqual(await postedOf('cancelOrder'), [{ type: 'cancelOrder', v: 1, orderId: order.orderId }]);
    await panel.page
      .getByTestId('ticket-result')
      .filter({ hasText: `Cancelled order ${order.orderId}` })
      .waitFor();
  });

  it('clicking the chart sets the ticket price to the price under the pointer, on the tick', async () => {
    const chart = byTestId('chart');
    const box = (await chart.boundingBox())!;
    const priceAt = async (fraction: number): Promise<string> => {
      // Apart in time: two quick clicks are a double click to the chart.
      await panel.page.waitForTimeout(700);
      await chart.click({ position: { x: box.width * 0.4, y: box.height * fraction } });
      return fieldValue('ticket-price');
    };
    const high = await priceAt(0.25);
    const low = await priceAt(0.6);
    for (const price of [high, low]) {
      assert.ok(D.isMultipleOf(price, '0.01'), `${price} is on the tick`);
      assert.ok(D.gt(price, '55000') && D.lt(price, '65000'), `${price} is within the chart's range`);
    }
    assert.ok(D.gt(high, low), `higher on screen is a higher price (${high} > ${low})`);
    await panel.page.mouse.move(1, 1);
  });

  it('works from the keyboard alone: ladder, side, a fix with Ctrl+. and the fix button, Test', async () => {
    const page = panel.page;
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    // Into the ladder, up two levels, Enter: the price is that level's.
    await tabTo('the ladder', (f) => f.role === 'gridcell');
    const start = await focused();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    const moved = await focused();
    assert.notEqual(moved.key, start.key, 'arrows move between levels');
    await page.keyboard.press('Enter');
    assert.equal(await fieldValue('ticket-price'), moved.key);
    // Side: Sell with an arrow key.
    await tabTo('the side', (f) => f.testid === 'ticket-side-buy' || f.testid === 'ticket-side-sell');
    await page.keyboard.press('ArrowRight');
    await panel.waitForState((s) => s.ticket!.draft.side === 'SELL', 'side SELL');
    // Price: an off-tick value, fixed with Ctrl+. in the field.
    await tabTo('the price field', (f) => f.testid === 'ticket-price');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('60500.004');
    await panel.waitForState((s) => s.ticket!.fields!.price.suggestion === '60500', 'the price suggestion');
    await page.keyboard.press('Control+.');
    await panel.waitForState((s) => s.ticket!.draft.price === '60500', 'price fixed by Ctrl+.');
    // Amount: off the step, fixed with the fix button reached by Tab.
    await tabTo('the amount field', (f) => f.testid === 'ticket-amount');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.0020001');
    await panel.waitForState((s) => s.ticket!.fields!.amount.status === 'error', 'the step error');
    await tabTo('the amount fix', (f) => f.testid === 'ticket-amount-fix');
    await page.keyboard.press('Enter');
    const fixed = await panel.waitForState((s) => s.ticket!.draft.amount === '0.002', 'amount fixed by its button');
    assert.equal(fixed.ticket!.draft.price, '60500', 'the price is untouched');
    // Test order with Enter.
    await tabTo('Test order', (f) => f.testid === 'ticket-test');
    await page.keyboard.press('Enter');
    await page
      .getByTestId('ticket-result')
      .filter({ hasText: /^Test order accepted/ })
      .waitFor();
    const [test] = (await postedOf('testOrder')) as TestOrderMessage[];
    assert.deepEqual(test.params, {
      symbol: SYMBOL,
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '60500',
      quantity: '0.002',
    });
    assert.equal((await market.client.openOrders(SYMBOL)).length, 0, 'a test order places nothing');
  });

  it('a MARKET order from the ticket fills: a marker on its bar and a polite announcement', async () => {
    await byTestId('ticket-side-buy').click();
    await byTestId('ticket-type').click();
    await byTestId('ticket-type').getByRole('option', { name: 'MARKET', exact: true }).click();
    await panel.waitForState((s) => s.ticket!.draft.type === 'MARKET', 'type MARKET');
    assert.equal(await byTestId('ticket-price').isVisible(), false, 'a MARKET order has no price field');
    await byTestId('ticket-amount').locator('input').fill('0.001');
    await byTestId('ticket-place').click();
    await panel.page
      .getByTestId('ticket-result')
      .filter({ hasText: /^Placed BUY MARKET 0\.001 BTCUSDT/ })
      .waitFor();
    const s = await panel.waitForState((x) => x.chart!.markers.length > 0, 'a fill marker');
    assert.deepEqual(
      s.chart!.markers.map((m) => [m.text, m.position, m.shape]),
      [['BUY 0.00100', 'belowBar', 'arrowUp']],
    );
    const announcer = byTestId('fill-announcer');
    assert.equal(await announcer.getAttribute('aria-live'), 'polite');
    assert.match((await announcer.textContent()) ?? '', /^Filled: BUY 0\.00100 BTC at \d{2},\d{3}\.\d{2} USDT\.$/);
    // Only fills and order results are live regions: no ticking number is announced.
    const live = await panel.page
      .locator('[aria-live]')
      .evaluateAll((nodes) =>
        nodes.map((n) => (n as unknown as { getAttribute(a: string): string }).getAttribute('data-testid')),
      );
    assert.deepEqual(live.sort(), ['fill-announcer', 'ticket-result']);
  });

  it('the interval picker reloads the candles of the new interval', async () => {
    await byTestId('interval').click();
    await byTestId('interval').getByRole('option', { name: '1m', exact: true }).click();
    const s = await panel.waitForState((x) => x.interval === '1m' && (x.messages.klines ?? 0) >= 1, 'the 1m candles');
    assert.deepEqual(
      (await postedOf('setInterval')).map((m) => m.interval),
      ['1m'],
    );
    const rest = await market.client.klines(SYMBOL, '1m', { limit: 500 });
    assert.equal(s.chart!.bars, rest.length);
    assert.equal(market.streams.interval, '1m', 'the stream follows');
  });

  it('recovers after being hidden: a new page with the saved state gets a snapshot and the same draft', async () => {
    const saved = (await panel.savedState()) as { interval: string; draft: Record<string, string> };
    const draftBefore = (await panel.state()).ticket!.draft;
    assert.equal(saved.interval, '1m');
    assert.deepEqual(saved.draft, draftBefore);
    await panel.close();
    panel = await openPanel((post) => hostFeed(post), saved);
    await applyTheme(panel.page, 'dark');
    const s = await panel.waitForState((x) => x.ready && x.chart!.bars > 0, 'the restored panel');
    assert.equal(s.interval, '1m');
    assert.deepEqual(s.ticket!.draft, draftBefore);
    assert.equal(await fieldValue('ticket-amount'), draftBefore.amount);
    const ready = received.filter((m) => m.type === 'ready');
    assert.deepEqual(ready[ready.length - 1], { type: 'ready', v: 1, interval: '1m' });
  });

  it('takes light, dark and high contrast themes, canvas included (screenshots)', async function () {
    this.timeout(60_000);
    await panel.waitForState((x) => (x.ladder?.bids.length ?? 0) > 0, 'a full panel');
    // Back to 1 s candles (the interval picker once more): many bars for the pictures.
    await byTestId('interval').click();
    await byTestId('interval').getByRole('option', { name: '1s', exact: true }).click();
    await panel.waitForState((x) => x.interval === '1s' && x.chart!.bars > 10, '1 s candles again');
    // A resting order, so the screenshots show a price line.
    await market.client.placeOrder({
      symbol: SYMBOL,
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '60450',
      quantity: '0.002',
    });
    // Placed outside the panel: the host hears of it (user data stream in the extension) and refreshes.
    await feed.refreshAccount();
    await panel.waitForState((x) => x.chart!.priceLines.length === 1, 'the price line');
    for (const theme of ['light', 'dark', 'high-contrast', 'high-contrast-light'] as ThemeName[]) {
      await applyTheme(panel.page, theme);
      const vars = themeVariables(theme);
      const s = await panel.waitForState(
        (x) => x.chart!.colors.background === vars['--vscode-editor-background'],
        `the chart in ${theme}`,
      );
      assert.equal(s.chart!.colors.up, vars['--vscode-charts-green']);
      assert.equal(s.chart!.colors.down, vars['--vscode-charts-red']);
      assert.equal(s.chart!.priceLines[0].color, vars['--vscode-charts-red'], 'price lines follow the theme');
      await panel.page.mouse.move(1, 1); // no crosshair in the picture
      await panel.page.waitForTimeout(300);
      await panel.page.screenshot({ path: path.join(SCREENSHOTS, `market-panel-${theme}.png`) });
    }
    await applyTheme(panel.page, 'dark');
  });

  it('read-only (Live): the ticket stays visible but sends nothing, and orders have no Cancel', async () => {
    const reason = 'Live is read-only: trading on Live needs the setting testnetDesk.live.allowTrading.';
    await panel.close();
    const before = received.length;
    panel = await openPanel((post) => hostFeed(post, { readOnlyReason: reason }));
    const s = await panel.waitForState((x) => x.ready, 'the read-only panel');
    assert.equal(s.readOnly, true);
    assert.equal(await byTestId('ticket-read-only').textContent(), reason);
    for (const id of ['ticket-place', 'ticket-test'])
      assert.equal(await byTestId(id).getAttribute('disabled'), '', `${id} disabled`);
    const open = await market.client.openOrders(SYMBOL);
    assert.ok(open.length > 0);
    await byTestId(`order-${open[0].orderId}`).waitFor();
    assert.equal(await panel.page.locator('[data-testid^="cancel-"]').count(), 0, 'no Cancel buttons');
    await byTestId('ticket-place').click({ force: true });
    await panel.page.waitForTimeout(300);
    assert.deepEqual(
      received.slice(before).map((m) => m.type),
      ['ready'],
      'nothing but ready was sent',
    );
  });

  it('reported no CSP violation, loaded nothing but 127.0.0.1, and used a new nonce per load', async () => {
    // Pages closed earlier were checked as they closed (PanelPage.close fails on a violation).
    assert.deepEqual(await panel.cspViolations(), []);
    assert.equal(new Set(server.nonces).size, server.nonces.length, 'every load had its own nonce');
    assert.ok(server.nonces.length >= 3);
    assert.equal(trafficProblem(traffic), undefined);
    // Control: the listener does see a violation (an unnonced <style>, like the chart's logo would add).
    await panel.page.evaluate(() => {
      const doc = (
        globalThis as unknown as {
          document: { createElement(t: string): { textContent: string }; head: { append(n: unknown): void } };
        }
      ).document;
      const style = doc.createElement('style');
      style.textContent = 'body { color: red }';
      doc.head.append(style);
    });
    await panel.page.waitForTimeout(200);
    const violations = await panel.cspViolations();
    assert.deepEqual(
      violations.map((v) => v.directive),
      ['style-src-elem'],
    );
    await panel.page.close();
  });
});
