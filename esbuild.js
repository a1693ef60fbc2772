// Bundles the extension and the standalone sandbox. Type checking is `npm run check-types`
// (esbuild strips types without checking them).
//   --if-stale       skip a bundle that is newer than every input of its last build (npm run sandbox/demo)
//   --only=NAME,...  build only these bundles (extension, sandbox, walkthrough, market)
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const ifStale = process.argv.includes('--if-stale');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');

/** Prints build results in the format the `$esbuild-watch` problem matcher understands. */
const problemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const shared = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  // ws has optional native speed-ups that it loads inside try/catch; keep them out of the bundle.
  external: ['vscode', 'bufferutil', 'utf-8-validate'],
  // node-fetch v2 never uses whatwg-url on Node >= 10; see the shim for why it is replaced.
  alias: { 'whatwg-url': './src/shims/whatwg-url.js' },
  plugins: [problemMatcherPlugin],
};

/**
 * The market panel's webview: a browser bundle (no Node, no vscode), with its CSS beside it
 * (dist/webview/market.css, from the stylesheet main.ts imports). Everything it uses is inside:
 * the webview loads nothing from the network.
 */
const webview = {
  entryPoints: ['src/webview/market/view/main.ts'],
  outfile: 'dist/webview/market.js',
  platform: 'browser',
  format: 'iife',
  target: ['chrome120'],
  external: [],
  alias: {},
};

const entries = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/sandbox/cli.ts'], outfile: 'dist/sandbox.js' },
  { entryPoints: ['src/cli/walkthrough.ts'], outfile: 'dist/walkthrough.js' },
  webview,
];

/** Where a bundle's last inputs are listed (esbuild's metafile); dist/ is not shipped but extension.js. */
const metaFileOf = (entry) => entry.outfile.replace(/\.js$/, '.meta.json');

/**
 * True when the bundle exists and is newer than every input of its last build, this script and
 * the lockfile. A missing bundle or list (a fresh clone), or a deleted input, means stale.
 */
function isCurrent(entry) {
  try {
    const built = fs.statSync(entry.outfile).mtimeMs;
    const meta = JSON.parse(fs.readFileSync(metaFileOf(entry), 'utf8'));
    const inputs = [...Object.keys(meta.inputs), __filename, path.join(__dirname, 'package-lock.json')];
    return inputs.every((input) => fs.statSync(input).mtimeMs <= built);
  } catch {
    return false;
  }
}

async function main() {
  const wanted = entries.filter(
    (entry) =>
      (!only || only.includes(path.basename(entry.outfile, '.js'))) && !(ifStale && !watch && isCurrent(entry)),
  );
  if (only && wanted.length === 0 && !ifStale) throw new Error(`--only: no bundle named ${only.join(', ')}`);
  const contexts = await Promise.all(wanted.map((entry) => esbuild.context({ ...shared, ...entry, metafile: true })));
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  const results = await Promise.allSettled(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') fs.writeFileSync(metaFileOf(wanted[i]), JSON.stringify(r.value.metafile));
  });
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) process.exit(1);
}

/** The production build options, for tools that must build exactly like the shipped bundle (bench). */
function productionOptions() {
  return { ...shared, minify: true, sourcemap: false, plugins: [] };
}

/** The webview bundle's production build options (bench, tests that build it themselves). */
function webviewProductionOptions() {
  return { ...productionOptions(), ...webview };
}

module.exports = { productionOptions, webviewProductionOptions };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
