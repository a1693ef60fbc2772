/**
 * Two or more sandbox CLIs that differ by their flags, each in its own process, driven in turn by
 * one load-generator process: signed LIMIT IOC orders (REST keep-alive or WebSocket API
 * `order.place`) at each concurrency, participants rotated over rounds. Used to measure what a
 * feature costs (durability, request recording) side by side in one run.
 */
import * as path from 'node:path';
import { Child, startChild } from './childProcess';
import type { LoadJob, LoadResult } from './loadGenerator';
import type { LoadKey } from './orderLoad';
import { REPO_ROOT } from './paths';
import { percentile, rotated } from './stats';

const SANDBOX_CLI = path.join(REPO_ROOT, 'out', 'src', 'sandbox', 'cli.js');
const LOAD_GENERATOR = path.join(__dirname, 'loadGenerator.js');
/** Rate limits no bench load reaches. */
export const RAISED_LIMITS = [
  '--weight-per-minute',
  '1000000000',
  '--orders-per-10s',
  '1000000000',
  '--orders-per-day',
  '1000000000',
];

export interface Variant {
  name: string;
  /** CLI flags besides --port 0, --no-market-maker and the raised rate limits. */
  args: string[];
}

export interface VariantSample {
  opsPerSecond: number;
  p99: number;
}

export type Transport = 'rest' | 'ws';

interface Endpoint extends LoadKey {
  baseUrl: string;
  wsApiUrl: string;
}

/** Samples per `${variant}|${transport}|${concurrency}`, one per round. */
export async function measureVariants(
  variants: readonly Variant[],
  options: { concurrency: readonly number[]; rounds: number; warmupMs: number; measureMs: number },
): Promise<Map<string, VariantSample[]>> {
  const children: Child[] = [];
  try {
    const servers = new Map<string, Endpoint>();
    for (const variant of variants) {
      const child = startChild(SANDBOX_CLI, ['--port', '0', '--no-market-maker', ...RAISED_LIMITS, ...variant.args]);
      children.push(child);
      servers.set(variant.name, await child.next<Endpoint>(30_000));
    }
    const generator = startChild(LOAD_GENERATOR, []);
    children.push(generator);
    const participants = variants.flatMap((v) =>
      (['rest', 'ws'] as const).map((transport) => ({ name: v.name, transport })),
    );
    const samples = new Map<string, VariantSample[]>();
    for (let round = 0; round < options.rounds; round++) {
      for (const concurrency of options.concurrency) {
        for (const p of rotated(participants, round)) {
          const target = servers.get(p.name)!;
          const job: LoadJob = {
            transport: p.transport,
            url: p.transport === 'rest' ? target.baseUrl : target.wsApiUrl,
            key: { apiKey: target.apiKey, secret: target.secret },
            concurrency,
            warmupMs: options.warmupMs,
            measureMs: options.measureMs,
          };
          generator.send(job);
          const result = await generator.next<LoadResult>(60_000);
          const failed = Object.entries(result.failures);
          if (failed.length > 0)
            throw new Error(`${p.name} ${p.transport} c=${concurrency}: ${JSON.stringify(failed)}`);
          const id = `${p.name}|${p.transport}|${concurrency}`;
          samples.set(id, [
            ...(samples.get(id) ?? []),
            {
              opsPerSecond: (result.latencies.length * 1000) / result.measuredMs,
              p99: percentile(result.latencies, 99),
            },
          ]);
        }
      }
    }
    return samples;
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}
