/**
 * Sandbox under load: the sandbox CLI in its own process, driven by a load-generator process,
 * beside a ceiling server (the least a server must do for a signed order: read the body, verify
 * the HMAC, answer an order JSON of the same size). Signed LIMIT IOC orders (they expire on the
 * empty book) over REST and the WebSocket API at concurrency 1, 8 and 32. Participants take turns
 * (start rotated each round) over several rounds; medians of the rounds and of per-round ratios.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import { Child, startChild } from '../lib/childProcess';
import type { LoadJob, LoadResult } from '../lib/loadGenerator';
import { LoadKey, signedOrderBody, signedOrderParams } from '../lib/orderLoad';
import { RAISED_LIMITS } from '../lib/sandboxVariants';
import { benchTmpDir, REPO_ROOT } from '../lib/paths';
import { fixed, int, markdownTable, median, percentile, ratio, rotated } from '../lib/stats';

const CONCURRENCY = [1, 8, 32];
const ROUNDS = 3;
const WARMUP_MS = 300;
const MEASURE_MS = 1000;
const SANDBOX_CLI = path.join(REPO_ROOT, 'out', 'src', 'sandbox', 'cli.js');
const CEILING = path.join(__dirname, '..', 'lib', 'ceilingServer.js');
const LOAD_GENERATOR = path.join(__dirname, '..', 'lib', 'loadGenerator.js');

interface Endpoint {
  baseUrl: string;
  wsApiUrl: string;
}

interface Participant {
  name: string;
  server: 'sandbox' | 'ceiling';
  transport: 'rest' | 'ws';
}

const PARTICIPANTS: Participant[] = [
  { name: 'sandbox REST', server: 'sandbox', transport: 'rest' },
  { name: 'ceiling REST', server: 'ceiling', transport: 'rest' },
  { name: 'sandbox WS API', server: 'sandbox', transport: 'ws' },
  { name: 'ceiling WS API', server: 'ceiling', transport: 'ws' },
];

interface Sample {
  opsPerSecond: number;
  p50: number;
  p99: number;
}

/** One order each way, to give the ceiling the sandbox's own answer sizes. */
async function sampleAnswers(sandbox: Endpoint, key: LoadKey): Promise<{ restBody: string; wsResult: unknown }> {
  const response = await fetch(`${sandbox.baseUrl}/api/v3/order`, {
    method: 'POST',
    headers: { 'X-MBX-APIKEY': key.apiKey, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: signedOrderBody(key, Date.now()),
  });
  const restBody = await response.text();
  if (response.status !== 200) throw new Error(`sandbox refused the load order: ${restBody}`);
  const ws = new WebSocket(sandbox.wsApiUrl);
  const frame = await new Promise<Record<string, unknown>>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      ws.send(JSON.stringify({ id: 0, method: 'order.place', params: signedOrderParams(key, Date.now()) })),
    );
    ws.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>));
  });
  ws.terminate();
  if (frame.status !== 200) throw new Error(`sandbox refused the WS API load order: ${JSON.stringify(frame)}`);
  const { id: _id, ...wsResult } = frame;
  return { restBody, wsResult };
}

function rssMb(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

export async function runSandboxLoad(): Promise<string> {
  const children: Child[] = [];
  try {
    const sandboxChild = startChild(SANDBOX_CLI, ['--port', '0', '--no-market-maker', ...RAISED_LIMITS]);
    children.push(sandboxChild);
    const sandbox = await sandboxChild.next<Endpoint & LoadKey>(30_000);
    const key: LoadKey = { apiKey: sandbox.apiKey, secret: sandbox.secret };
    const samplesFile = path.join(benchTmpDir(), 'ceiling-samples.json');
    fs.writeFileSync(samplesFile, JSON.stringify({ secret: key.secret, ...(await sampleAnswers(sandbox, key)) }));
    const ceilingChild = startChild(CEILING, [samplesFile]);
    children.push(ceilingChild);
    const ceiling = await ceilingChild.next<Endpoint>(30_000);
    const generator = startChild(LOAD_GENERATOR, []);
    children.push(generator);

    const samples = new Map<string, Sample[]>();
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const concurrency of CONCURRENCY) {
        for (const p of rotated(PARTICIPANTS, round)) {
          const target = p.server === 'sandbox' ? sandbox : ceiling;
          const job: LoadJob = {
            transport: p.transport,
            url: p.transport === 'rest' ? target.baseUrl : target.wsApiUrl,
            key,
            concurrency,
            warmupMs: WARMUP_MS,
            measureMs: MEASURE_MS,
          };
          generator.send(job);
          const result = await generator.next<LoadResult>(60_000);
          for (const [status, n] of Object.entries(result.failures))
            failures.push(`${p.name} c=${concurrency}: ${n}× ${status}`);
          const id = `${p.name}|${concurrency}`;
          const list = samples.get(id) ?? [];
          list.push({
            opsPerSecond: (result.latencies.length * 1000) / result.measuredMs,
            p50: percentile(result.latencies, 50),
            p99: percentile(result.latencies, 99),
          });
          samples.set(id, list);
        }
      }
    }
    if (failures.length > 0) throw new Error(`load answers that were not 200: ${failures.join('; ')}`);
    const sandboxRss = rssMb(sandboxChild.process.pid);

    const get = (name: string, c: number): Sample[] => samples.get(`${name}|${c}`)!;
    const perRound = (a: Sample[], b: Sample[], f: (s: Sample) => number): number =>
      median(a.map((s, i) => f(s) / f(b[i])));
    const rows: string[][] = [];
    for (const c of CONCURRENCY) {
      for (const transport of ['REST', 'WS API']) {
        const s = get(`sandbox ${transport}`, c);
        const k = get(`ceiling ${transport}`, c);
        rows.push([
          String(c),
          transport,
          int(median(s.map((x) => x.opsPerSecond))),
          int(median(k.map((x) => x.opsPerSecond))),
          `${fixed(perRound(s, k, (x) => x.opsPerSecond))}×`,
          fixed(median(s.map((x) => x.p50)), 2),
          fixed(median(s.map((x) => x.p99)), 2),
          fixed(median(k.map((x) => x.p99)), 2),
        ]);
      }
    }
    const wsVsRest = CONCURRENCY.map(
      (c) =>
        `c=${c}: ${ratio(
          perRound(get('sandbox WS API', c), get('sandbox REST', c), (x) => x.opsPerSecond),
          1,
        )}`,
    ).join(', ');
    return [
      '### Sandbox under load (separate processes)',
      '',
      `The sandbox CLI (\`out/src/sandbox/cli.js --no-market-maker\`, rate limits raised, its access log on stderr read by the bench) and a ceiling server (node:http + ws: read the body, verify the HMAC, answer an order JSON of the sandbox's own size) each run in their own process; a third process generates the load: signed POST /api/v3/order (keep-alive) or WebSocket API \`order.place\` (one connection per worker), LIMIT IOC BUY that expires on the empty book, \`concurrency\` requests in flight. ${ROUNDS} rounds; in each, every participant at every concurrency runs ${WARMUP_MS} ms of warm-up then ${MEASURE_MS} ms measured, participants rotated. Medians over rounds; the ratio is the median of per-round ratios.`,
      '',
      markdownTable(
        [
          'concurrency',
          'API',
          'sandbox orders/s',
          'ceiling orders/s',
          'sandbox ÷ ceiling',
          'sandbox p50 ms',
          'sandbox p99 ms',
          'ceiling p99 ms',
        ],
        rows,
      ),
      '',
      `Sandbox WS API ÷ sandbox REST (orders/s, median of per-round ratios): ${wsVsRest}. Sandbox RSS after the section: ${fixed(sandboxRss, 0)} MB.`,
    ].join('\n');
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}
