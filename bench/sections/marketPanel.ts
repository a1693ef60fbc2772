/**
 * Section 6: the market panel's cost per stream message, updating only what a message changed
 * (the panel as shipped) next to re-rendering the whole panel from the same state, in Chromium.
 *
 * Recording: a local sandbox whose market keeps moving (test/support/marketSandbox.ts: a MARKET
 * order every 100 ms, resting orders that fill a 12-level ladder) and the real host side
 * (MarketFeed on SpotClient + MarketStreams) with the sandbox's fastest streams: diff depth every
 * 100 ms, every trade, 1 s candles (pushed every second) and the 24 h ticker (every second). The
 * snapshot and every message after it are recorded with their arrival times.
 *
 * Replay: the production webview bundle (built here with esbuild.js's options), in the HTML the
 * extension builds, in headless Chromium; two pages, one per mode, take turns (rounds alternate, the
 * order flips each pair). Each round posts the snapshot, then replays the recording at its recorded
 * pace inside the page. Per message: the handler's synchronous time plus a forced layout
 * (performance.now around dispatch + offsetHeight). Per round: the page's main-thread busy time
 * from Chromium's own counters (CDP Performance.getMetrics TaskDuration), which also holds the
 * chart's canvas painting in animation frames, divided by the messages replayed.
 */
import { build } from 'esbuild';
import * as fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as path from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium, recordTraffic, trafficProblem } from '../../scripts/harness/chromium';
import { ARTIFACTS, CHROMIUM } from '../../scripts/harness/paths';
import type { HostMessage, SnapshotMessage } from '../../src/webview/market/protocol';
import { startMarketSandbox } from '../../test/support/marketSandbox';
import { startHarnessServer } from '../../test/webview/browser/support/harnessServer';
import { benchTmpDir, REPO_ROOT } from '../lib/paths';
import { fixed, int, markdownTable, median, percentile, ratio, sleep, sum } from '../lib/stats';

const TITLE = '### 6. Market panel: cost per stream message, incremental update vs full re-render (Chromium)';
const RECORD_MS = 10_000;
const WARMUP_MS = 2500;
/** Rounds per mode; the modes alternate (A B B A …). */
const ROUNDS = 4;

type Mode = 'incremental' | 'full';

interface Recorded {
  at: number;
  message: HostMessage;
}

interface RoundResult {
  mode: Mode;
  /** [message type, ms] per replayed message. */
  samples: [string, number][];
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  wallMs: number;
  /** Main-thread time per second with no message, measured just before the replay. */
  idleMsPerSecond: number;
}

const IDLE_MS = 1000;

async function record(): Promise<{ snapshot: SnapshotMessage; stream: Recorded[] }> {
  const market = await startMarketSandbox({ interval: '1s' });
  try {
    await market.activity.seedBook();
    market.activity.start(100);
    await sleep(WARMUP_MS);
    const posted: { at: number; message: HostMessage }[] = [];
    let t0 = 0;
    const feed = market.feed((message) => posted.push({ at: performance.now() - t0, message }));
    t0 = performance.now();
    await feed.handle({ type: 'ready', v: 1 });
    const start = posted.findIndex((p) => p.message.type === 'snapshot');
    if (start < 0) throw new Error('the feed sent no snapshot');
    await sleep(RECORD_MS);
    feed.dispose();
    market.activity.stop();
    await market.activity.idle();
    const snapshot = posted[start].message as SnapshotMessage;
    const base = posted[start].at;
    const stream = posted
      .slice(start + 1)
      .filter((p) => p.message.type !== 'connection')
      .map((p) => ({ at: p.at - base, message: p.message }));
    return { snapshot, stream };
  } finally {
    await market.close();
  }
}

/** Replays `stream` in the page at its recorded pace; runs in the browser. */
function replayInPage(stream: Recorded[]): Promise<{ samples: [string, number][]; wallMs: number }> {
  type Win = {
    dispatchEvent(e: unknown): boolean;
    MessageEvent: new (type: string, init: { data: unknown }) => unknown;
    document: { body: { offsetHeight: number } };
    setTimeout(fn: () => void, ms: number): void;
  };
  const w = globalThis as unknown as Win;
  const samples: [string, number][] = [];
  return new Promise((resolve) => {
    const start = performance.now();
    let i = 0;
    const step = (): void => {
      const now = performance.now() - start;
      while (i < stream.length && stream[i].at <= now) {
        const { message } = stream[i++];
        const t0 = performance.now();
        w.dispatchEvent(new w.MessageEvent('message', { data: message }));
        void w.document.body.offsetHeight; // style and layout of what the message changed
        samples.push([message.type, performance.now() - t0]);
      }
      if (i >= stream.length) resolve({ samples, wallMs: performance.now() - start });
      else w.setTimeout(step, Math.max(0, stream[i].at - (performance.now() - start)));
    };
    step();
  });
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

async function openPage(browser: BrowserContext, url: string, mode: Mode): Promise<{ page: Page; cdp: CDPSession }> {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    const w = globalThis as unknown as { acquireVsCodeApi(): unknown };
    let state: unknown;
    w.acquireVsCodeApi = () => ({
      postMessage: () => undefined,
      getState: () => state,
      setState: (s: unknown) => (state = s),
    });
  });
  await page.goto(url);
  await page.evaluate((m) => {
    const hook = (globalThis as unknown as { __marketPanel: { setRenderMode(mode: string): void } }).__marketPanel;
    hook.setRenderMode(m);
  }, mode);
  const cdp = await browser.newCDPSession(page);
  await cdp.send('Performance.enable');
  return { page, cdp };
}

async function round(
  target: { page: Page; cdp: CDPSession },
  mode: Mode,
  snapshot: SnapshotMessage,
  stream: Recorded[],
): Promise<RoundResult> {
  const { page, cdp } = target;
  await page.bringToFront();
  // The same starting state every round: the snapshot replaces everything the last round left.
  await page.evaluate(
    (s) => (globalThis as unknown as { postMessage(m: unknown, t: string): void }).postMessage(s, '*'),
    snapshot,
  );
  await page.waitForTimeout(500);
  const idleStart = await metrics(cdp);
  await page.waitForTimeout(IDLE_MS);
  const before = await metrics(cdp);
  const idleMsPerSecond = ((before.TaskDuration - idleStart.TaskDuration) * 1000 * 1000) / IDLE_MS;
  const { samples, wallMs } = await page.evaluate(replayInPage, stream);
  await page.waitForTimeout(100); // the last animation frame paints
  const after = await metrics(cdp);
  const delta = (name: string): number => ((after[name] ?? 0) - (before[name] ?? 0)) * 1000;
  return {
    mode,
    samples,
    taskMs: delta('TaskDuration'),
    scriptMs: delta('ScriptDuration'),
    layoutMs: delta('LayoutDuration') + delta('RecalcStyleDuration'),
    wallMs,
    idleMsPerSecond,
  };
}

export async function runMarketPanel(): Promise<string> {
  if (!fs.existsSync(CHROMIUM))
    return `${TITLE}\n\nNot measured: ${CHROMIUM} is missing (apt-get install chromium, or set CHROMIUM_PATH).`;
  const dir = path.join(benchTmpDir(), 'webview');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { webviewProductionOptions } = require(path.join(REPO_ROOT, 'esbuild.js')) as {
    webviewProductionOptions(): Parameters<typeof build>[0];
  };
  await build({ ...webviewProductionOptions(), absWorkingDir: REPO_ROOT, outfile: path.join(dir, 'market.js') });
  const size = (file: string): { bytes: number; gzip: number } => {
    const data = fs.readFileSync(path.join(dir, file));
    return { bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
  };
  const bundle = { js: size('market.js'), css: size('market.css') };

  const { snapshot, stream } = await record();
  const seconds = (stream[stream.length - 1]?.at ?? 0) / 1000;
  const byType = new Map<string, number>();
  for (const { message } of stream) byType.set(message.type, (byType.get(message.type) ?? 0) + 1);

  const server = await startHarnessServer({ dir });
  const browser = await launchChromium(path.join(ARTIFACTS, 'bench-webview', 'chromium-profile'));
  const traffic = recordTraffic(browser);
  const results: RoundResult[] = [];
  try {
    const pages = {
      incremental: await openPage(browser, `${server.origin}/`, 'incremental'),
      full: await openPage(browser, `${server.origin}/`, 'full'),
    };
    // A B B A A B B A: neither mode always goes first, drift hits both alike.
    for (let r = 0; r < ROUNDS * 2; r++) {
      const mode: Mode = r % 4 === 0 || r % 4 === 3 ? 'incremental' : 'full';
      results.push(await round(pages[mode], mode, snapshot, stream));
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const problem = trafficProblem(traffic);
  if (problem) throw new Error(`market panel bench: ${problem}`);
  return report(results, stream.length, seconds, byType, snapshot, bundle);
}

function report(
  results: RoundResult[],
  messages: number,
  seconds: number,
  byType: Map<string, number>,
  snapshot: SnapshotMessage,
  bundle: { js: { bytes: number; gzip: number }; css: { bytes: number; gzip: number } },
): string {
  const of = (mode: Mode): RoundResult[] => results.filter((r) => r.mode === mode);
  const samples = (mode: Mode, type?: string): number[] =>
    of(mode).flatMap((r) => r.samples.filter(([t]) => type === undefined || t === type).map(([, ms]) => ms));
  const perMessage = (mode: Mode, pick: (r: RoundResult) => number): number =>
    sum(of(mode).map(pick)) / sum(of(mode).map((r) => r.samples.length));
  const us = (ms: number): string => fixed(ms * 1000, 0);
  const types = [...byType.keys()].sort((a, b) => (byType.get(b) ?? 0) - (byType.get(a) ?? 0));
  const typeRows = [...types, undefined].map((type) => {
    const inc = samples('incremental', type);
    const full = samples('full', type);
    return [
      type ?? '**all messages**',
      String(type ? byType.get(type) : messages),
      us(median(inc)),
      us(percentile(inc, 99)),
      us(median(full)),
      us(percentile(full, 99)),
      ratio(median(full), median(inc)),
      ratio(sum(full) / full.length, sum(inc) / inc.length),
    ];
  });
  const threadRows = (['incremental', 'full'] as Mode[]).map((mode) => [
    mode === 'incremental' ? 'incremental update (as shipped)' : 'full re-render of the same state',
    String(of(mode).length),
    us(perMessage(mode, (r) => r.taskMs)),
    us(perMessage(mode, (r) => r.scriptMs)),
    us(perMessage(mode, (r) => r.layoutMs)),
    fixed((100 * sum(of(mode).map((r) => r.taskMs))) / sum(of(mode).map((r) => r.wallMs)), 1),
    mode === 'incremental'
      ? '1.00× (reference)'
      : ratio(
          perMessage('full', (r) => r.taskMs),
          perMessage('incremental', (r) => r.taskMs),
        ),
  ]);
  const rate = messages / seconds;
  const mix = types.map((t) => `${t} ${int(byType.get(t) ?? 0)}`).join(' · ');
  return [
    TITLE,
    '',
    `Recorded from the sandbox with the real host side (MarketFeed + MarketStreams): ${int(messages)} messages in ${fixed(seconds, 1)} s (${fixed(rate, 1)} per second: ${mix}), after a snapshot of ${snapshot.klines.length} candles, ${snapshot.book.content?.bids.length ?? 0} + ${snapshot.book.content?.asks.length ?? 0} book levels and ${snapshot.trades.length} trades. Replayed at the recorded pace into the production webview bundle in headless Chromium, ${ROUNDS} rounds per mode, alternating; every round starts from the same snapshot. "Full re-render" applies each message to the same model and then rebuilds every component from it (chart setData, every ladder, trade and order row, ticket), which is what a view without per-message updates would do. Times in µs.`,
    '',
    '**Per message: handler + style and layout it caused** (performance.now around the dispatch and a forced layout, in the page; a page that is not cross-origin isolated gets performance.now in 100 µs steps, so single samples are coarse and the medians are multiples of 100 µs)',
    '',
    markdownTable(
      [
        'message',
        'n per round',
        'incremental p50',
        'incremental p99',
        'full p50',
        'full p99',
        'full ÷ incremental (p50)',
        'full ÷ incremental (mean)',
      ],
      typeRows,
    ),
    '',
    "**Main-thread time per message, canvas painting included** (Chromium's TaskDuration, ScriptDuration, LayoutDuration + RecalcStyleDuration over each round ÷ messages replayed)",
    '',
    markdownTable(
      [
        'mode',
        'rounds',
        'main thread µs/msg',
        'script µs/msg',
        'style+layout µs/msg',
        'busy % of wall time',
        'vs incremental',
      ],
      threadRows,
    ),
    '',
    `Idle baseline (no message, same pages, measured just before each replay): ${fixed(median(results.map((r) => r.idleMsPerSecond)), 1)} ms of main-thread time per second. The snapshot had ${snapshot.klines.length} candles: the full re-render's chart cost (setData) grows with the candles a real chart holds (up to 500 from REST), so with this short history the full ÷ incremental ratios are lower bounds.`,
    '',
    `The webview as replayed (esbuild.js's production options, what the .vsix ships): market.js ${int(bundle.js.bytes)} bytes (${int(bundle.js.gzip)} gzip), market.css ${int(bundle.css.bytes)} bytes (${int(bundle.css.gzip)} gzip).`,
    '',
    "Only 127.0.0.1 was contacted (sandbox, harness server); the browser's traffic recorder saw no other host.",
  ].join('\n');
}
