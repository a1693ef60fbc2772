/**
 * Section 1: bundle size. Every bundle is built in this run with the production options that
 * esbuild.js exports (bundle, cjs, node, target node20, minify, same externals and aliases), into a
 * temp folder.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { benchTmpDir, REPO_ROOT } from '../lib/paths';
import { int, markdownTable, ratio } from '../lib/stats';

/** Exactly the production options of esbuild.js (bundle, cjs, node, minify, externals, aliases). */
const PRODUCTION_OPTIONS: esbuild.BuildOptions = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild.js is CommonJS outside the TS project
  ...(require(path.join(REPO_ROOT, 'esbuild.js')) as { productionOptions(): esbuild.BuildOptions }).productionOptions(),
  logLevel: 'silent',
};

export interface BuiltBundle {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
  warnings: number;
  /** Imports the package does not ship (optional peers), left external so the build can finish. */
  unresolved: string[];
  /** Minified bytes per input group (esbuild metafile bytesInOutput). */
  breakdown: Map<string, number>;
}

export interface BundleResult {
  markdown: string;
  ours: BuiltBundle;
  bundles: BuiltBundle[];
}

const ENTRIES: { name: string; entry: string; out: string }[] = [
  {
    name: 'Testnet Desk extension (src/extension.ts, what dist/extension.js ships)',
    entry: 'src/extension.ts',
    out: 'extension.js',
  },
  {
    name: 'our SpotClient, one signed account call (bench/entries/spotClientAccount.ts)',
    entry: 'bench/entries/spotClientAccount.ts',
    out: 'spotClientAccount.js',
  },
  {
    name: '@binance/spot, one signed account call (bench/entries/binanceSpotAccount.js)',
    entry: 'bench/entries/binanceSpotAccount.js',
    out: 'binanceSpotAccount.js',
  },
  {
    name: 'ccxt binance, one signed account call (bench/entries/ccxtBinanceAccount.js)',
    entry: 'bench/entries/ccxtBinanceAccount.js',
    out: 'ccxtBinanceAccount.js',
  },
];

/** The local sandbox program, shipped beside the extension and started as a process of its own. */
const SANDBOX_PROGRAM = {
  name: 'local sandbox program (src/sandbox/cli.ts, what dist/sandbox.js ships)',
  entry: 'src/sandbox/cli.ts',
  out: 'sandbox.js',
};

async function buildEntry(e: { name: string; entry: string; out: string }): Promise<BuiltBundle> {
  const file = path.join(benchTmpDir(), e.out);
  const { result, unresolved } = await buildLeavingMissingExternal({
    ...PRODUCTION_OPTIONS,
    metafile: true,
    absWorkingDir: REPO_ROOT,
    entryPoints: [path.join(REPO_ROOT, e.entry)],
    outfile: file,
  });
  const content = fs.readFileSync(file);
  return {
    name: e.name,
    file,
    bytes: content.length,
    gzipBytes: gzipSync(content, { level: 9 }).length,
    warnings: result.warnings.length,
    unresolved,
    breakdown: breakdown(result.metafile!),
  };
}

export async function runBundleSize(): Promise<BundleResult> {
  const bundles: BuiltBundle[] = [];
  for (const e of ENTRIES) bundles.push(await buildEntry(e));
  // Not a comparison (and never required by section 2: loading it starts a sandbox), so not a row.
  const sandbox = await buildEntry(SANDBOX_PROGRAM);
  const ours = bundles[0];
  const rows = bundles.map((b) => [
    b.name,
    int(b.bytes),
    int(b.gzipBytes),
    b === ours ? '1.00× (reference)' : ratio(b.bytes, ours.bytes),
    b === ours ? '1.00× (reference)' : ratio(b.gzipBytes, ours.gzipBytes),
  ]);
  const markdown = [
    '### 1. Bundle size',
    '',
    "All four built in this run with esbuild.js's production options (bundle, cjs, platform node, target node20, minify, externals vscode/bufferutil/utf-8-validate); gzip at level 9.",
    '',
    markdownTable(['bundle', 'bytes', 'gzip bytes', 'bytes vs ours', 'gzip vs ours'], rows),
    '',
    `Where our extension bundle's minified bytes come from (esbuild metafile): ${[...ours.breakdown.entries()].map(([group, bytes]) => `${group} ${int(bytes)} (${((bytes / ours.bytes) * 100).toFixed(0)} %)`).join(' · ')}.`,
    '',
    `The ${sandbox.name} is built the same way and shipped beside it, started as a process of its own, so the extension bundle does not contain the exchange: ${int(sandbox.bytes)} bytes, ${int(sandbox.gzipBytes)} gzip.`,
    ...bundles
      .filter((b) => b.unresolved.length > 0)
      .map(
        (b) =>
          `\nNote: ${b.name.replace(/ \(.*\)$/, '')} imports packages that are not installed (optional peers, not shipped with it): ${b.unresolved.map((u) => `\`${u}\``).join(', ')}. They were left external, so its size is a lower bound.`,
      ),
  ].join('\n');
  return { markdown, ours, bundles };
}

/**
 * Builds; if esbuild cannot resolve some imports (optional peer packages a library does not ship),
 * marks exactly those external and builds again. Bounded to three attempts.
 */
async function buildLeavingMissingExternal(
  options: esbuild.BuildOptions,
): Promise<{ result: esbuild.BuildResult; unresolved: string[] }> {
  const unresolved = new Set<string>();
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await esbuild.build({ ...options, external: [...(options.external ?? []), ...unresolved] });
      return { result, unresolved: [...unresolved].sort() };
    } catch (error) {
      const missing = ((error as esbuild.BuildFailure).errors ?? [])
        .map((m) => /^Could not resolve "([^"]+)"/.exec(m.text)?.[1])
        .filter((m): m is string => m !== undefined);
      if (attempt >= 2 || missing.length === 0) throw error;
      for (const m of missing) unresolved.add(m);
    }
  }
}

function groupOf(input: string): string {
  if (input.startsWith('src/sandbox/')) return 'local sandbox exchange (src/sandbox)';
  if (input.startsWith('src/core/')) return 'core client/signer (src/core)';
  if (input.startsWith('src/app/')) return 'app layer without vscode (src/app)';
  if (input.startsWith('src/')) return 'VS Code layer (src/vscode, src/extension.ts)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
  if (pkg === 'ws') return 'ws';
  if (pkg && ['node-fetch', 'whatwg-url', 'tr46', 'webidl-conversions'].includes(pkg))
    return 'node-fetch (+ whatwg-url, tr46, webidl-conversions)';
  return pkg ? 'other packages' : 'esbuild runtime/other';
}

function breakdown(metafile: esbuild.Metafile): Map<string, number> {
  const groups = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const group = groupOf(input);
      groups.set(group, (groups.get(group) ?? 0) + bytesInOutput);
    }
  }
  return new Map([...groups.entries()].sort((a, b) => b[1] - a[1]));
}
