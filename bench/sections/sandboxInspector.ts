/**
 * What recording every request costs: the sandbox CLI with its request inspector (the default, a
 * 2,000-record ring buffer) beside the same CLI with `--request-log 0`, each in its own process,
 * driven by the load-generator process at concurrency 1 and 32 over REST and the WebSocket API.
 */
import { measureVariants } from '../lib/sandboxVariants';
import { fixed, int, markdownTable, median } from '../lib/stats';

const CONCURRENCY = [1, 32];
const ROUNDS = 3;
const WARMUP_MS = 300;
const MEASURE_MS = 1000;

export async function runSandboxInspector(): Promise<string> {
  const samples = await measureVariants(
    [
      { name: 'recording', args: ['--in-memory'] },
      { name: 'not recording', args: ['--in-memory', '--request-log', '0'] },
    ],
    { concurrency: CONCURRENCY, rounds: ROUNDS, warmupMs: WARMUP_MS, measureMs: MEASURE_MS },
  );
  const rows: string[][] = [];
  for (const concurrency of CONCURRENCY) {
    for (const transport of ['rest', 'ws'] as const) {
      const on = samples.get(`recording|${transport}|${concurrency}`)!;
      const off = samples.get(`not recording|${transport}|${concurrency}`)!;
      rows.push([
        String(concurrency),
        transport === 'rest' ? 'REST' : 'WS API',
        int(median(on.map((s) => s.opsPerSecond))),
        int(median(off.map((s) => s.opsPerSecond))),
        `${fixed(median(on.map((s, i) => s.opsPerSecond / off[i].opsPerSecond)))}×`,
      ]);
    }
  }
  return [
    '### Request inspector: recording every request against not recording',
    '',
    `Two sandbox CLIs (\`--in-memory --no-market-maker\`, rate limits raised; one with \`--request-log 0\`), each in its own process, and a load-generator process: signed LIMIT IOC orders, \`concurrency\` in flight. ${ROUNDS} rounds, participants rotated, ${WARMUP_MS} ms warm-up and ${MEASURE_MS} ms measured each; medians, the ratio is the median of per-round ratios (1.00× = free; the goal is at least 0.90×).`,
    '',
    markdownTable(['concurrency', 'API', 'recording orders/s', 'not recording orders/s', 'recording ÷ not'], rows),
  ].join('\n');
}
