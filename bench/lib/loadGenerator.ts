/**
 * The load generator of the load section, in its own process: for each job read from stdin (one
 * JSON line) it keeps `concurrency` signed orders in flight against one target, over keep-alive
 * HTTP connections (REST) or one WebSocket per worker (WebSocket API), and answers one JSON line
 * with the latencies of the measured window. Loopback only (guarded); every job is bounded in time.
 */
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { installLoopbackGuard } from './loopbackGuard';
import { LoadKey, signedOrderBody, signedOrderParams } from './orderLoad';

export interface LoadJob {
  transport: 'rest' | 'ws';
  /** http://127.0.0.1:PORT (rest) or ws://127.0.0.1:PORT/ws-api/v3 (ws). */
  url: string;
  key: LoadKey;
  concurrency: number;
  warmupMs: number;
  measureMs: number;
}

export interface LoadResult {
  /** Latencies (ms) of the requests that started and ended inside the measured window. */
  latencies: number[];
  measuredMs: number;
  /** Answers that were not a 200 / status 200 (with their status), over the whole job. */
  failures: Record<string, number>;
}

type Send = () => Promise<string>;

function restSender(job: LoadJob, agent: http.Agent): Send {
  const url = new URL('/api/v3/order', job.url);
  return () =>
    new Promise((resolve, reject) => {
      const body = signedOrderBody(job.key, Date.now());
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'X-MBX-APIKEY': job.key.apiKey,
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(String(res.statusCode)));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

async function wsSender(job: LoadJob): Promise<{ send: Send; close: () => void }> {
  const ws = new WebSocket(job.url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 0;
  const pending = new Map<number, (status: string) => void>();
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { id: number; status: number };
    pending.get(frame.id)?.(String(frame.status));
    pending.delete(frame.id);
  });
  const send: Send = () =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method: 'order.place', params: signedOrderParams(job.key, Date.now()) }));
    });
  return { send, close: () => ws.terminate() };
}

async function run(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const closers: (() => void)[] = [() => agent.destroy()];
  const senders: Send[] = [];
  for (let i = 0; i < job.concurrency; i++) {
    if (job.transport === 'rest') senders.push(restSender(job, agent));
    else {
      const s = await wsSender(job);
      senders.push(s.send);
      closers.push(s.close);
    }
  }
  const failures: Record<string, number> = {};
  const latencies: number[] = [];
  const start = performance.now();
  const measureFrom = start + job.warmupMs;
  const measureTo = measureFrom + job.measureMs;
  await Promise.all(
    senders.map(async (send) => {
      while (performance.now() < measureTo) {
        const t0 = performance.now();
        const status = await send();
        const t1 = performance.now();
        if (status !== '200') failures[status] = (failures[status] ?? 0) + 1;
        else if (t0 >= measureFrom && t1 <= measureTo) latencies.push(t1 - t0);
      }
    }),
  );
  for (const close of closers) close();
  return { latencies, measuredMs: job.measureMs, failures };
}

async function main(): Promise<void> {
  installLoopbackGuard();
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const result = await run(JSON.parse(line) as LoadJob);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
