/**
 * The cost of durability: the sandbox CLI with a data folder (every order journaled and synced to
 * disk before its answer, group commit) beside the same CLI with --in-memory, each in its own
 * process, driven by the load-generator process (signed LIMIT IOC orders over REST and the
 * WebSocket API at concurrency 1 and 32; participants rotated over rounds). Then start-up time of
 * a data folder against the history it holds: from its snapshot, and after a kill -9 (no snapshot
 * of the last orders: the journal is replayed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dec } from '../../src/sandbox/decimal';
import { startSandbox } from '../../src/sandbox/index';
import { startChild } from '../lib/childProcess';
import { measureVariants } from '../lib/sandboxVariants';
import { benchTmpDir, REPO_ROOT } from '../lib/paths';
import { fixed, int, markdownTable, median, sleep } from '../lib/stats';

const CONCURRENCY = [1, 32];
const ROUNDS = 3;
const WARMUP_MS = 300;
const MEASURE_MS = 1000;
const SANDBOX_CLI = path.join(REPO_ROOT, 'out', 'src', 'sandbox', 'cli.js');
const HISTORY_SIZES = [10_000, 100_000];
/** Orders after the last snapshot when a kill -9 comes (the checkpoint comes every 50,000 records). */
const JOURNAL_TAIL = 40_000;
const STARTS = 3;

export async function runSandboxDurability(): Promise<string> {
  return `${await loadTable()}\n\n${await startupTable()}`;
}

async function loadTable(): Promise<string> {
  const samples = await measureVariants(
    [
      { name: 'durable', args: ['--data', path.join(benchTmpDir(), 'durable-load')] },
      { name: 'in-memory', args: ['--in-memory'] },
    ],
    { concurrency: CONCURRENCY, rounds: ROUNDS, warmupMs: WARMUP_MS, measureMs: MEASURE_MS },
  );
  const rows: string[][] = [];
  for (const concurrency of CONCURRENCY) {
    for (const transport of ['rest', 'ws'] as const) {
      const d = samples.get(`durable|${transport}|${concurrency}`)!;
      const m = samples.get(`in-memory|${transport}|${concurrency}`)!;
      rows.push([
        String(concurrency),
        transport === 'rest' ? 'REST' : 'WS API',
        int(median(d.map((s) => s.opsPerSecond))),
        int(median(m.map((s) => s.opsPerSecond))),
        `${fixed(median(d.map((s, i) => s.opsPerSecond / m[i].opsPerSecond)))}×`,
        fixed(median(d.map((s) => s.p99)), 2),
        fixed(median(m.map((s) => s.p99)), 2),
      ]);
    }
  }
  return [
    '### Sandbox durability: journaled orders against in-memory',
    '',
    `Two sandbox CLIs (\`--data DIR\` and \`--in-memory\`, both \`--no-market-maker\`, rate limits raised), each in its own process, and a load-generator process: signed LIMIT IOC orders (REST keep-alive, or WebSocket API \`order.place\`), \`concurrency\` in flight. With a data folder an order is answered only after its journal record is written and \`fdatasync\`ed (group commit: one write and one sync for all the orders of an event-loop turn). ${ROUNDS} rounds, participants rotated, ${WARMUP_MS} ms warm-up and ${MEASURE_MS} ms measured each; medians, the ratio is the median of per-round ratios.`,
    '',
    markdownTable(
      [
        'concurrency',
        'API',
        'durable orders/s',
        'in-memory orders/s',
        'durable ÷ in-memory',
        'durable p99 ms',
        'in-memory p99 ms',
      ],
      rows,
    ),
  ].join('\n');
}

/** A data folder holding `orders` closed orders; `tail` of them only in the journal (as a kill -9 leaves it). */
async function makeHistory(orders: number, tail: number): Promise<string> {
  const folder = path.join(benchTmpDir(), `history-${orders}-${tail}`);
  const cli = startChild(SANDBOX_CLI, ['--port', '0', '--no-market-maker', '--data', folder]);
  await cli.next(30_000);
  await cli.stop(); // a data folder with its keys and marker
  const stateDir = path.join(folder, 'state');
  fs.rmSync(stateDir, { recursive: true, force: true });
  const sandbox = await startSandbox({ stateDir, marketMaker: false });
  const place = (on: typeof sandbox, count: number): void => {
    const account = on.engine.allAccounts().find((a) => a.name === 'default')!.id;
    for (let i = 0; i < count; i++)
      on.engine.placeOrder(account, {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'IOC',
        price: dec('50000'),
        quantity: dec('0.001'),
      });
  };
  place(sandbox, orders - tail);
  // A clean stop puts what came so far in the snapshot; the tail then goes to the journal only.
  await sandbox.close();
  const again = await startSandbox({ stateDir, marketMaker: false });
  place(again, tail);
  await sleep(200); // the group commit's last write
  const copy = `${folder}-copy`;
  fs.cpSync(folder, copy, { recursive: true });
  await again.close();
  fs.rmSync(folder, { recursive: true, force: true });
  fs.renameSync(copy, folder);
  fs.rmSync(path.join(folder, 'sandbox.lock'), { force: true });
  return folder;
}

async function startupTable(): Promise<string> {
  const rows: string[][] = [];
  const cases = [
    { label: 'empty', orders: 0, tail: 0 },
    ...HISTORY_SIZES.map((orders) => ({ label: `${int(orders)} orders, all in the snapshot`, orders, tail: 0 })),
    {
      label: `${int(HISTORY_SIZES[1])} orders, the last ${int(JOURNAL_TAIL)} in the journal only (after kill -9)`,
      orders: HISTORY_SIZES[1],
      tail: JOURNAL_TAIL,
    },
  ];
  for (const c of cases) {
    const folder = await makeHistory(c.orders, c.tail);
    const times: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      // Each start of the replay case begins from the same kill -9 folder (a start writes a snapshot).
      const run = `${folder}-run`;
      fs.rmSync(run, { recursive: true, force: true });
      fs.cpSync(folder, run, { recursive: true });
      const started = performance.now();
      const cli = startChild(SANDBOX_CLI, ['--port', '0', '--no-market-maker', '--data', run]);
      await cli.next(60_000);
      times.push(performance.now() - started);
      await cli.stop();
    }
    const snapshotBytes = fs.statSync(path.join(folder, 'state', 'snapshot.state')).size;
    rows.push([c.label, fixed(median(times), 0), fixed(snapshotBytes / 1024 / 1024, 1)]);
  }
  return [
    '### Sandbox start-up against history',
    '',
    `\`node out/src/sandbox/cli.js --data DIR\` from spawn to its JSON line (listening), median of ${STARTS} starts; the history is LIMIT IOC orders that expired (closed orders kept by retention, default 100,000). After a kill -9, the orders since the last snapshot are replayed from the journal (a snapshot is written every 50,000 records and at each clean stop).`,
    '',
    markdownTable(['data folder', 'start-up ms', 'snapshot MB'], rows),
  ].join('\n');
}
