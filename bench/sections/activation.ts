/**
 * Section 2: bundle load + activate with a stubbed vscode module, NOT the real extension host.
 * Each sample is a fresh Node process (cold require cache), bundles interleaved round-robin.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { BuiltBundle } from './bundleSize';
import { fixed, markdownTable, median, percentile, ratio, rotated } from '../lib/stats';

export interface Sample {
  requireMs: number;
  activateMs?: number;
  readyMs?: number;
}

/** Medians of our extension's stubbed samples, for the real-host comparison (section 2b). */
export interface StubbedActivation {
  node: string;
  n: number;
  requireP50: number;
  activateP50: number;
  /** Median over samples of require + activate() (not the sum of the two medians). */
  totalP50: number;
  readyP50: number;
}

export interface ActivationResult {
  markdown: string;
  ours: StubbedActivation;
}

export const LOAD_PROBE = path.join(__dirname, '..', 'lib', 'loadProbe.js');

/** One cold sample: a fresh `node` process (any Node binary) runs loadProbe.js on one bundle. */
export function probeOnce(nodeBinary: string, bundleFile: string, mode: 'extension' | 'library'): Sample {
  const out = execFileSync(nodeBinary, [LOAD_PROBE, bundleFile, mode], {
    cwd: path.dirname(bundleFile),
    encoding: 'utf8',
    timeout: 20_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

export function summarizeStubbed(node: string, sample: readonly Sample[]): StubbedActivation {
  return {
    node,
    n: sample.length,
    requireP50: median(sample.map((s) => s.requireMs)),
    activateP50: median(sample.map((s) => s.activateMs ?? NaN)),
    totalP50: median(sample.map((s) => s.requireMs + (s.activateMs ?? 0))),
    readyP50: median(sample.map((s) => s.readyMs ?? NaN)),
  };
}

const ROUNDS = 9;
const BUDGET_MS = 30_000;

export function runActivation(ours: BuiltBundle, others: BuiltBundle[]): ActivationResult {
  const participants = [
    { bundle: ours, mode: 'extension' as const },
    ...others.map((bundle) => ({ bundle, mode: 'library' as const })),
  ];
  const samples = new Map<string, Sample[]>(participants.map((p) => [p.bundle.file, []]));
  const started = Date.now();
  let rounds = 0;
  for (; rounds < ROUNDS && Date.now() - started < BUDGET_MS; rounds++) {
    for (const p of rotated(participants, rounds)) {
      samples.get(p.bundle.file)!.push(probeOnce(process.execPath, p.bundle.file, p.mode));
    }
  }
  const ourSamples = samples.get(ours.file)!;
  const ourRequire = median(ourSamples.map((s) => s.requireMs));
  const ourTotal = median(ourSamples.map((s) => s.requireMs + (s.activateMs ?? 0)));
  const rows = participants.map((p) => {
    const s = samples.get(p.bundle.file)!;
    const req = s.map((x) => x.requireMs);
    const total = s.map((x) => x.requireMs + (x.activateMs ?? 0));
    return [
      p.bundle.name.replace(/ \(.*\)$/, ''),
      fixed(median(req)),
      fixed(percentile(req, 90)),
      p.mode === 'extension' ? fixed(median(s.map((x) => x.activateMs ?? NaN))) : 'n/a (library)',
      p.mode === 'extension' ? fixed(median(s.map((x) => x.readyMs ?? NaN))) : 'n/a',
      fixed(median(total)),
      p.bundle === ours ? '1.00× (reference)' : ratio(median(req), ourRequire),
    ];
  });
  const markdown = [
    '### 2. Activation: bundle load + activate with a stubbed vscode module, not the real host',
    '',
    `Each sample is a fresh \`node\` process that \`require()\`s the production bundle from section 1 (cold module cache) and, for ours, calls \`activate()\` with a minimal stub of the \`vscode\` module (no views visible, no key stored, settings at defaults) and awaits the returned \`ready\`. ${rounds} rounds, participants interleaved round-robin; the two library bundles are only required (their exported function is never called). Times in ms; with ${rounds} samples, p90 (nearest rank) is the slowest sample or close to it: treat it as indicative only. Section 2b sets this next to the activation measured in the real extension host.`,
    '',
    markdownTable(
      [
        'bundle',
        'require p50',
        'require p90',
        'activate() p50',
        'ready p50',
        'require+activate p50',
        'require vs ours',
      ],
      rows,
    ),
    '',
    `Our require + activate() p50: ${fixed(ourTotal)} ms.`,
  ].join('\n');
  return { markdown, ours: summarizeStubbed(`Node ${process.version}`, ourSamples) };
}
