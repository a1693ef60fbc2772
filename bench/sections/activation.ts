/**
 * Section 2: bundle load + activate with a stubbed vscode module, NOT the real extension host.
 * Each sample is a fresh Node process (cold require cache), bundles interleaved round-robin.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { BuiltBundle } from './bundleSize';
import { fixed, markdownTable, median, percentile, ratio, rotated } from '../lib/stats';

interface Sample {
  requireMs: number;
  activateMs?: number;
  readyMs?: number;
}

const ROUNDS = 9;
const BUDGET_MS = 30_000;

export function runActivation(ours: BuiltBundle, others: BuiltBundle[]): string {
  const probe = path.join(__dirname, '..', 'lib', 'loadProbe.js');
  const participants = [{ bundle: ours, mode: 'extension' }, ...others.map((bundle) => ({ bundle, mode: 'library' }))];
  const samples = new Map<string, Sample[]>(participants.map((p) => [p.bundle.file, []]));
  const started = Date.now();
  let rounds = 0;
  for (; rounds < ROUNDS && Date.now() - started < BUDGET_MS; rounds++) {
    for (const p of rotated(participants, rounds)) {
      const out = execFileSync(process.execPath, [probe, p.bundle.file, p.mode], { cwd: path.dirname(p.bundle.file), encoding: 'utf8', timeout: 20_000 });
      samples.get(p.bundle.file)!.push(JSON.parse(out.trim().split('\n').pop()!) as Sample);
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
  return [
    '### 2. Activation: bundle load + activate with a stubbed vscode module, not the real host',
    '',
    `Each sample is a fresh \`node\` process that \`require()\`s the production bundle from section 1 (cold module cache) and, for ours, calls \`activate()\` with a minimal stub of the \`vscode\` module (no views visible, no key stored, settings at defaults) and awaits the returned \`ready\`. ${rounds} rounds, participants interleaved round-robin; the two library bundles are only required (their exported function is never called). Times in ms; with ${rounds} samples, p90 (nearest rank) is the slowest sample or close to it: treat it as indicative only. The real extension-host activation time (code-server harness) was not measured.`,
    '',
    markdownTable(['bundle', 'require p50', 'require p90', 'activate() p50', 'ready p50', 'require+activate p50', 'require vs ours'], rows),
    '',
    `Our require + activate() p50: ${fixed(ourTotal)} ms.`,
  ].join('\n');
}
