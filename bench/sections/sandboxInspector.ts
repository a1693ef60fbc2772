/**
 * What recording every request costs: the sandbox CLI with its request inspector (the default, a
 * 2,000-record ring buffer) beside the same CLI with `--request-log 0`, each in its own process,
 * driven by the load-generator process at concurrency 1 and 32 over REST and the WebSocket API;
 * in memory, and with a data folder (durable orders, and the records appended to requests.jsonl).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureVariants } from '../lib/sandboxVariants';
import { fixed, int, markdownTable, median } from '../lib/stats';

const CONCURRENCY = [1, 32];
const ROUNDS = 5;
const WARMUP_MS = 300;
const MEASURE_MS = 1000;

export async function runSandboxInspector(): Promise<string> {
  const folders = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-inspector-'));
  const data = (name: string): string[] => ['--data', path.join(folders, name)];
  const modes = [
    { label: 'in memory', on: 'recording', off: 'not recording' },
    { label: 'data folder', on: 'recording, data folder', off: 'not recording, data folder' },
    { label: 'A/A control (in memory, neither records)', on: 'not recording, again', off: 'not recording' },
  ];
  let samples;
  try {
    samples = await measureVariants(
      [
        { name: 'recording', args: ['--in-memory'] },
        { name: 'not recording', args: ['--in-memory', '--request-log', '0'] },
        // A/A control: the same flags twice, so the table shows how far two identical sandboxes differ.
        { name: 'not recording, again', args: ['--in-memory', '--request-log', '0'] },
        { name: 'recording, data folder', args: data('recording') },
        { name: 'not recording, data folder', args: [...data('not-recording'), '--request-log', '0'] },
      ],
      { concurrency: CONCURRENCY, rounds: ROUNDS, warmupMs: WARMUP_MS, measureMs: MEASURE_MS },
    );
  } finally {
    fs.rmSync(folders, { recursive: true, force: true });
  }
  const rows: string[][] = [];
  for (const mode of modes) {
    for (const concurrency of CONCURRENCY) {
      for (const transport of ['rest', 'ws'] as const) {
        const on = samples.get(`${mode.on}|${transport}|${concurrency}`)!;
        const off = samples.get(`${mode.off}|${transport}|${concurrency}`)!;
        rows.push([
          mode.label,
          String(concurrency),
          transport === 'rest' ? 'REST' : 'WS API',
          int(median(on.map((s) => s.opsPerSecond))),
          int(median(off.map((s) => s.opsPerSecond))),
          `${fixed(median(on.map((s, i) => s.opsPerSecond / off[i].opsPerSecond)))}×`,
        ]);
      }
    }
  }
  return [
    '### Request inspector: recording every request against not recording',
    '',
    `Five sandbox CLIs (\`--no-market-maker\`, rate limits raised; \`--in-memory\` or \`--data\` in a temporary folder, where orders wait for their fsync and records go to requests.jsonl; with and without \`--request-log 0\`, and a second \`--request-log 0\` one as an A/A control: its ratio is the noise between two identical sandboxes), each in its own process, and a load-generator process: signed LIMIT IOC orders, \`concurrency\` in flight. ${ROUNDS} rounds, participants rotated, ${WARMUP_MS} ms warm-up and ${MEASURE_MS} ms measured each; medians, the ratio is the median of per-round ratios (1.00× = free; the goal is at least 0.90×).`,
    '',
    markdownTable(
      ['state', 'concurrency', 'API', 'recording orders/s', 'not recording orders/s', 'recording ÷ not'],
      rows,
    ),
  ].join('\n');
}
