/**
 * `npm run bench`: every comparison is measured side by side in this one run and reported as
 * ratios. Only loopback traffic (a guard refuses anything else); every loop is bounded in count
 * and time. Prints markdown and writes the same text to bench/results/latest.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installLoopbackGuard } from './lib/loopbackGuard';
import { benchTmpDir, packageVersion, REPO_ROOT } from './lib/paths';
import { runActivation } from './sections/activation';
import { runBundleSize } from './sections/bundleSize';
import { runHostActivation } from './sections/hostActivation';
import { runMarketPanel } from './sections/marketPanel';
import { runRefreshWeight } from './sections/refreshWeight';
import { runSandboxDurability } from './sections/sandboxDurability';
import { runSandboxHistory } from './sections/sandboxHistory';
import { runSandboxInspector } from './sections/sandboxInspector';
import { runSandboxLoad } from './sections/sandboxLoad';
import { runSandboxRequests } from './sections/sandboxRequests';
import { runSigning } from './sections/signing';

/**
 * `npm run bench -- --only=NAME[,NAME]` runs just these sections (results are printed, and
 * bench/results/latest.md is left alone): a quick look at one change.
 */
const SELECTABLE: Record<string, () => Promise<string> | string> = {
  'sandbox-requests': runSandboxRequests,
  'sandbox-load': runSandboxLoad,
  'sandbox-history': runSandboxHistory,
  'sandbox-durability': runSandboxDurability,
  'sandbox-inspector': runSandboxInspector,
  signing: runSigning,
};

async function runOnly(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !(n in SELECTABLE));
  if (unknown.length > 0)
    throw new Error(`unknown section ${unknown.join(', ')}; --only takes ${Object.keys(SELECTABLE).join(', ')}`);
  try {
    for (const name of names) console.log(`\n${await SELECTABLE[name]()}`);
  } finally {
    fs.rmSync(benchTmpDir(), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  installLoopbackGuard();
  const only = process.argv.find((a) => a.startsWith('--only='));
  if (only) return runOnly(only.slice('--only='.length).split(',').filter(Boolean));
  const started = Date.now();
  const cpus = os.cpus();
  const environment =
    `Environment: Node ${process.version} · ${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length} · ${os.platform()} ${os.arch()} · ` +
    `${new Date().toISOString()} · @binance/spot ${packageVersion('@binance/spot')} · ccxt ${packageVersion('ccxt')} · esbuild ${packageVersion('esbuild')}`;
  const sections: string[] = ['## Testnet Desk bench', '', environment];
  const emit = (text: string): void => {
    sections.push('', text);
    console.log(`\n${text}`);
  };
  console.log(sections.join('\n'));

  try {
    const bundles = await runBundleSize();
    emit(bundles.markdown);
    const activation = runActivation(bundles.ours, bundles.bundles.slice(1));
    emit(activation.markdown);
    emit(await runHostActivation(bundles.ours, activation.ours));
    emit(await runSandboxRequests());
    emit(await runSandboxLoad());
    emit(await runSandboxHistory());
    emit(await runSandboxDurability());
    emit(await runSandboxInspector());
    emit(runSigning());
    emit(await runRefreshWeight());
    emit(await runMarketPanel());
  } finally {
    fs.rmSync(benchTmpDir(), { recursive: true, force: true });
  }

  const footer = `Total bench time: ${((Date.now() - started) / 1000).toFixed(1)} s.`;
  emit(footer);
  const out = path.join(REPO_ROOT, 'bench', 'results', 'latest.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${sections.join('\n')}\n`);
  console.log(`\nWritten to ${path.relative(REPO_ROOT, out)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
