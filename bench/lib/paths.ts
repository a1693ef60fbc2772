import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Repository root: this file runs as out/bench/lib/paths.js. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Where the bench writes its bundles. Outside the repo on purpose: dist/ belongs to the build and
 * the extension-host tests that run in the same tree.
 */
export function benchTmpDir(): string {
  const dir = path.join(os.tmpdir(), `testnet-desk-bench-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Installed version of a dependency (read from disk: some packages do not export package.json). */
export function packageVersion(name: string): string {
  const file = path.join(REPO_ROOT, 'node_modules', ...name.split('/'), 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}
