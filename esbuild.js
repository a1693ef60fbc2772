// Bundles the extension and the standalone sandbox. Type checking is `npm run check-types`
// (esbuild strips types without checking them).
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

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

async function main() {
  const contexts = await Promise.all(entries.map((entry) => esbuild.context({ ...shared, ...entry })));
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  const results = await Promise.allSettled(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
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
