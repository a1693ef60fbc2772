import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';
import { bundledPackages, NOTICES_FILE, thirdPartyNotices } from '../../../scripts/thirdPartyNotices';

const root = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * What the .vsix carries for the market panel: the webview bundle and stylesheet (offline: no CDN
 * to fall back on) and the third-party notices, which must name every package the bundles contain.
 */
describe('packaging: the market panel webview and its notices', function () {
  this.timeout(60_000);

  before(function () {
    // listFiles lists what exists: build the bundles if this clone has not yet (npm run demo does).
    if (
      !['dist/extension.js', 'dist/sandbox.js', 'dist/webview/market.js'].every((f) =>
        fs.existsSync(path.join(root, f)),
      )
    )
      execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'inherit' });
  });

  it('the .vsix file list has the webview bundle, its stylesheet and the notices, and no source maps', async () => {
    const files = await listFiles({ cwd: root, packageManager: PackageManager.None });
    for (const file of [
      'dist/webview/market.js',
      'dist/webview/market.css',
      'THIRD_PARTY_NOTICES.md',
      'dist/extension.js',
      // The local sandbox program, which the extension starts as a process of its own.
      'dist/sandbox.js',
    ])
      assert.ok(files.includes(file), `${file} is packaged (${files.join(', ')})`);
    assert.deepEqual(
      files.filter((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('test/')),
      [],
    );
  });

  it('THIRD_PARTY_NOTICES.md is current: every bundled package with its licence, and TradingView’s NOTICE', async () => {
    const committed = fs.readFileSync(NOTICES_FILE, 'utf8');
    assert.equal(
      committed,
      await thirdPartyNotices(),
      'run: npm run compile-tests && node out/scripts/thirdPartyNotices.js',
    );
    const packages = await bundledPackages();
    for (const name of ['lightweight-charts', '@vscode-elements/elements', 'lit-html', 'fancy-canvas'])
      assert.ok(packages.get(name)?.includes('dist/webview/market.js'), `${name} is in the webview bundle`);
    for (const name of packages.keys()) assert.match(committed, new RegExp(`^## ${name.replace('/', '\\/')} `, 'm'));
    assert.match(committed, /TradingView Lightweight Charts™\nCopyright \(c\) 2025 TradingView, Inc\./);
    assert.match(committed, /Apache License\s+Version 2\.0/);
  });
});
