/**
 * Sandbox engine cost against history and book size, in process (no HTTP), in a child Node
 * process with --expose-gc so that RSS is measured after a collection.
 */
import * as path from 'node:path';
import { startChild } from '../lib/childProcess';
import { fixed, markdownTable } from '../lib/stats';

const PROBE = path.join(__dirname, '..', 'lib', 'engineProbe.js');
const SIZES = [1000, 10_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];
/** Time allowed for growing the history; sizes not reached within it are reported as skipped. */
const GROWTH_BUDGET_MS = 90_000;

interface HistoryLine {
  kind: 'history';
  size: number;
  usPerOrder?: number;
  referenceUsPerOrder?: number;
  ratio?: number;
  rssMb?: number;
  skipped?: string;
}

interface BookLine {
  kind: 'book';
  size: number;
  insertCancelUs: number;
  matchUs: number;
  insertRatio: number;
  matchRatio: number;
}

type ProbeLine = HistoryLine | BookLine | { kind: 'done' };

async function probe(args: string[]): Promise<ProbeLine[]> {
  const child = startChild(PROBE, args, ['--expose-gc']);
  const lines: ProbeLine[] = [];
  try {
    for (;;) {
      const line = await child.next<ProbeLine>(300_000);
      if (line.kind === 'done') return lines;
      lines.push(line);
    }
  } finally {
    await child.stop();
  }
}

export async function runSandboxHistory(): Promise<string> {
  const history = (await probe(['history', JSON.stringify(SIZES), String(GROWTH_BUDGET_MS)])) as HistoryLine[];
  const book = (await probe(['book'])) as BookLine[];
  const at10k = history.find((h) => h.size === 10_000)?.usPerOrder;
  const historyRows = history.map((h) =>
    h.skipped
      ? [h.size.toLocaleString('en-US'), 'not reached', '', '', '', h.skipped]
      : [
          h.size.toLocaleString('en-US'),
          fixed(h.usPerOrder!, 1),
          fixed(h.referenceUsPerOrder!, 1),
          `${fixed(h.ratio!)}×`,
          at10k ? `${fixed(h.usPerOrder! / at10k)}×` : '—',
          fixed(h.rssMb!, 0),
        ],
  );
  const bookRows = book.map((b) => [
    b.size.toLocaleString('en-US'),
    fixed(b.insertCancelUs, 1),
    `${fixed(b.insertRatio)}×`,
    fixed(b.matchUs, 1),
    `${fixed(b.matchRatio)}×`,
  ]);
  return [
    '### Sandbox engine against history and book size (in process)',
    '',
    'One account places LIMIT IOC BUY orders that expire on an empty book (the engine alone: no HTTP, no JSON). At each history size, 9 batches of 4,000 orders alternate with batches on a reference engine rebuilt to 10,000 orders beside it; µs per order are medians of the batches, the ratio to the reference is the median of per-batch ratios (it cancels the machine\'s drift), and "vs 10k" compares with the same engine at 10,000 orders. RSS of the probe process (both engines, default retention: 100,000 closed orders) after two forced full GCs, each followed by a 300 ms pause in which V8 returns freed pages.',
    '',
    markdownTable(
      ['orders of history', 'µs per order', 'reference µs (10k)', 'ratio to reference', 'vs 10k', 'RSS MB'],
      historyRows,
    ),
    '',
    'Book size: 1k, 10k and 50k resting orders on one symbol (one per price level, half bids, half asks), three engines interleaved over 7 rounds of 500 operations each: a resting BUY placed at a pseudo-random existing bid level and canceled, and a one-step SELL IOC that fills against the best bid. Medians; ratios to the 1k book (median of per-round ratios).',
    '',
    markdownTable(['resting orders', 'insert + cancel µs', 'vs 1k', 'one-step match µs', 'vs 1k'], bookRows),
  ].join('\n');
}
