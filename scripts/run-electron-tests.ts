// The desktop lane for machines that can download VS Code (not this CI): the same test files and the
// same mocha entry point (test/host/index.ts), run by @vscode/test-electron in desktop VS Code.
//   npm run compile-tests && node esbuild.js && node out/scripts/run-electron-tests.js
// On a headless Linux box wrap it in `xvfb-run -a`.
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { ARTIFACTS } from './harness/paths';
import { exportProbe, writeTestExtension } from './harness/testExtensions';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  await runTests({
    version: process.env.VSCODE_TEST_VERSION ?? 'stable',
    // Ours plus the export probe (test/host/exports.test.ts), a second extension beside it.
    extensionDevelopmentPath: [root, writeTestExtension(path.join(ARTIFACTS, 'host-test-extensions'), exportProbe())],
    extensionTestsPath: path.join(root, 'out', 'test', 'host', 'index'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
