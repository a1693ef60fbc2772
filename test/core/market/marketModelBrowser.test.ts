import assert from 'node:assert/strict';
import { buildSync } from 'esbuild';
import { join } from 'node:path';

/**
 * The market panel's book and ticket models run in a webview too: bundled for the browser they must
 * need no Node module and no Node global.
 */
describe('market model: browser-safe', () => {
  it('order book and ticket bundle for the browser without Node modules or globals', () => {
    const root = join(__dirname, '..', '..', '..', '..');
    const result = buildSync({
      stdin: {
        contents: [
          "export { LocalOrderBook } from './src/core/market/orderBook';",
          "export { evaluateTicket } from './src/core/market/ticket';",
          "export { parseStreamPayload } from './src/core/market/marketEvents';",
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
    const code = result.outputFiles[0].text;
    for (const global of ['process', 'Buffer', 'require', '__dirname', 'setImmediate', 'global'])
      assert.doesNotMatch(code, new RegExp(`(?<![\\w$.])${global}\\b`), `the bundle uses ${global}`);
  });
});
