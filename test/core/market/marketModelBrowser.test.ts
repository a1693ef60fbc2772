import assert from 'node:assert/strict';
import { build, BuildOptions, buildSync } from 'esbuild';
import { join } from 'node:path';

/**
 * The market panel's book and ticket models run in a webview too: bundled for the browser they must
 * need no Node module and no Node global.
 */
describe('market model: browser-safe', () => {
  it('order book and ticket bundle for the browser without Node modules or globals', () => {
    const result = buildSync({
      stdin: {
        contents: [
          "export { LocalOrderBook } from './src/core/market/orderBook';",
          "export { evaluateTicket } from './src/core/market/ticket';",
          "export { parseStreamPayload } from './src/core/market/marketEvents';",
          "export { generateClientOrderId } from './src/core/orderIds';",
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    assert.deepEqual(result.errors, []);
    assertNoNode(result.outputFiles[0].text);
  });

  it('the market panel webview bundle (as shipped) needs no Node module or global, and loads nothing remote', async function () {
    this.timeout(60_000);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { webviewProductionOptions } = require(join(root, 'esbuild.js')) as {
      webviewProductionOptions(): BuildOptions;
    };
    const result = await build({
      ...webviewProductionOptions(),
      absWorkingDir: root,
      outfile: join(root, 'out', 'webview-check', 'market.js'),
      write: false,
      logLevel: 'silent',
    });
    assert.deepEqual(result.errors, []);
    const js = result.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
    const css = result.outputFiles.find((f) => f.path.endsWith('.css'))!.text;
    assertNoNode(js);
    // No CDN: nothing is fetched or imported from an origin (links to tradingview.com are text, not loads).
    assert.doesNotMatch(js, /\bimport\(\s*["']https?:|importScripts\(|fetch\(\s*["']https?:/);
    assert.doesNotMatch(css, /url\(\s*["']?https?:|@import/);
    assert.doesNotMatch(js, /acquireVsCodeApi\(\)[\s\S]*acquireVsCodeApi\(\)/, 'acquireVsCodeApi is called once');
  });
});

const root = join(__dirname, '..', '..', '..', '..');

function assertNoNode(code: string): void {
  for (const global of ['process', 'Buffer', 'require', '__dirname', 'setImmediate', 'global'])
    assert.doesNotMatch(code, new RegExp(`(?<![\\w$.])${global}\\b`), `the bundle uses ${global}`);
}
