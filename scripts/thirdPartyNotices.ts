/**
 * THIRD_PARTY_NOTICES.md: the licences of every package bundled into what the .vsix ships
 * (dist/extension.js, the sandbox program dist/sandbox.js and the market panel's dist/webview/market.js),
 * found from esbuild's metafile
 * of the production builds, with each package's own licence file, plus the NOTICE text
 * TradingView's Apache-2.0 licence asks to show (it is in their repository, not in the npm package).
 *
 *   npm run compile-tests && node out/scripts/thirdPartyNotices.js     (rewrites the file)
 *
 * A unit test regenerates it in memory and fails when the committed file is out of date.
 */
import { build, BuildOptions } from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const NOTICES_FILE = path.join(REPO_ROOT, 'THIRD_PARTY_NOTICES.md');

/** NOTICE files that are not in the npm packages (tradingview/lightweight-charts NOTICE, 2025). */
const NOTICES: Record<string, string> = {
  'lightweight-charts':
    'TradingView Lightweight Charts™\nCopyright (c) 2025 TradingView, Inc. https://www.tradingview.com/',
};

/** The MIT text, for a package that declares MIT but ships no licence file. */
const MIT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

interface BundledPackage {
  name: string;
  version: string;
  license: string;
  bundles: string[];
  text: string;
  notice?: string;
}

/** Packages (name → bundles that contain them) in the shipped bundles, from the production builds. */
export async function bundledPackages(): Promise<Map<string, string[]>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const options = require(path.join(REPO_ROOT, 'esbuild.js')) as {
    productionOptions(): BuildOptions;
    webviewProductionOptions(): BuildOptions;
  };
  const shipped: [string, BuildOptions][] = [
    ['dist/extension.js', { ...options.productionOptions(), entryPoints: ['src/extension.ts'] }],
    ['dist/sandbox.js', { ...options.productionOptions(), entryPoints: ['src/sandbox/cli.ts'] }],
    ['dist/webview/market.js', options.webviewProductionOptions()],
  ];
  const found = new Map<string, string[]>();
  for (const [bundle, buildOptions] of shipped) {
    const result = await build({
      ...buildOptions,
      absWorkingDir: REPO_ROOT,
      outfile: path.join(REPO_ROOT, 'out', 'notices', bundle),
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    for (const input of Object.keys(result.metafile.inputs)) {
      const name = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
      if (!name) continue;
      const bundles = found.get(name) ?? [];
      if (!bundles.includes(bundle)) bundles.push(bundle);
      found.set(name, bundles);
    }
  }
  return found;
}

function describePackage(name: string, bundles: string[]): BundledPackage {
  const dir = path.join(REPO_ROOT, 'node_modules', name);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    version: string;
    license?: string;
    author?: string | { name?: string };
  };
  const licenseFile = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  let text: string;
  if (licenseFile) text = fs.readFileSync(path.join(dir, licenseFile), 'utf8').trim();
  else if (manifest.license === 'MIT') {
    const author = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
    text = `The package ships no licence file; its package.json declares MIT${author ? ` (author: ${author})` : ''}.\n\n${MIT}`;
  } else throw new Error(`${name} has no licence file and declares "${manifest.license}": add its text by hand.`);
  return {
    name,
    version: manifest.version,
    license: manifest.license ?? 'see text',
    bundles,
    text,
    ...(NOTICES[name] ? { notice: NOTICES[name] } : {}),
  };
}

export async function thirdPartyNotices(): Promise<string> {
  const packages = [...(await bundledPackages()).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, bundles]) => describePackage(name, bundles));
  const lines = [
    '# Third-party notices',
    '',
    'Testnet Desk bundles the following packages into the files it ships (`dist/extension.js`, the sandbox',
    'program `dist/sandbox.js`, and `dist/webview/market.js` for the market panel). Generated by',
    '`scripts/thirdPartyNotices.ts`.',
    '',
    '| Package | Version | Licence | In |',
    '| --- | --- | --- | --- |',
    ...packages.map((p) => `| ${p.name} | ${p.version} | ${p.license} | ${p.bundles.join(', ')} |`),
    '',
  ];
  for (const p of packages) {
    lines.push(`## ${p.name} ${p.version}`, '');
    if (p.notice) lines.push('NOTICE:', '', '```text', p.notice, '```', '');
    lines.push('```text', p.text, '```', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

if (require.main === module) {
  thirdPartyNotices().then(
    (text) => {
      fs.writeFileSync(NOTICES_FILE, text);
      console.log(`Written ${path.relative(REPO_ROOT, NOTICES_FILE)}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
