// Runs test/host/**/*.test.ts INSIDE a real VS Code extension host, offline:
//   1. packages the extension (.vsix, as it ships) and unpacks it; the export probe (a test-only
//      second extension, scripts/harness/testExtensions.ts) is installed into the server beside it;
//   2. (steps 2-4 live in harness/hostSession.ts, shared with the bench) starts the VS Code server
//      that code-server embeds on 127.0.0.1 with the smoke-test driver on,
//      which lets the workbench honour VS Code's standard `extensionDevelopmentPath` and
//      `extensionTestsPath` (the same options @vscode/test-electron passes to desktop VS Code);
//   3. opens the workbench in headless Chromium (the server only starts an extension host for a
//      connected window); the extension host loads the unpacked extension and runs out/test/host/index.js;
//   4. waits for the JSON summary that index.js writes, prints it, and exits non-zero when any test
//      failed or was skipped, or when no test ran at all.
import * as fs from 'fs';
import * as path from 'path';
import type { HostTestSummary } from '../test/host/index';
import { trafficProblem } from './harness/chromium';
import { runLane } from './harness/children';
import { assertCodeServerInstalled } from './harness/codeServer';
import { runHostSession } from './harness/hostSession';
import { ARTIFACTS, REPO_ROOT } from './harness/paths';
import { exportProbe, installTestExtension } from './harness/testExtensions';
import { packageVsix, unpackVsix } from './harness/vsix';

// The suite takes seconds; the limit only bounds a hung extension host.
const RUN_TIMEOUT_MS = Number(process.env.TESTNET_DESK_HOST_TIMEOUT_MS ?? 6 * 60_000);

function printSummary(summary: HostTestSummary): void {
  for (const test of summary.tests) {
    const mark = test.state === 'passed' ? '  ✓' : test.state === 'pending' ? '  -' : '  ✗';
    console.log(`${mark} ${test.title}${test.durationMs !== undefined ? ` (${test.durationMs} ms)` : ''}`);
    if (test.error)
      console.log(
        test.error
          .split('\n')
          .map((l) => `      ${l}`)
          .join('\n'),
      );
  }
  if (summary.fatal) console.log(`  fatal: ${summary.fatal}`);
  const suites = new Map<string, { passed: number; failed: number; pending: number }>();
  for (const test of summary.tests) {
    const counts = suites.get(test.suite) ?? { passed: 0, failed: 0, pending: 0 };
    counts[test.state === 'passed' ? 'passed' : test.state === 'failed' ? 'failed' : 'pending']++;
    suites.set(test.suite, counts);
  }
  for (const [suite, c] of suites)
    console.log(`host suite "${suite}": ${c.passed} passed, ${c.failed} failed, ${c.pending} skipped`);
}

async function main(): Promise<number> {
  const started = Date.now();
  assertCodeServerInstalled();
  const work = path.join(ARTIFACTS, 'host');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });

  const extensionPath = process.env.TESTNET_DESK_EXTENSION_DIR
    ? path.resolve(process.env.TESTNET_DESK_EXTENSION_DIR)
    : await unpackVsix(await packageVsix());
  const testsPath = path.join(REPO_ROOT, 'out', 'test', 'host');
  console.log(
    `host: extension ${path.relative(REPO_ROOT, extensionPath)}, tests ${path.relative(REPO_ROOT, testsPath)}`,
  );

  const result = await runHostSession({
    work,
    extensionPath,
    // A second extension beside ours: test/host/exports.test.ts drives it to read our exports as any extension can.
    installExtensions: (extensionsDir) => installTestExtension(extensionsDir, exportProbe()),
    testsPath,
    // keys.test.ts searches these for leaked secrets: everything the server writes for the user.
    env: (dirs, workspace) => ({
      TESTNET_DESK_HOST_MODE: undefined, // the full suite, never the bench's activation-only mode
      TESTNET_DESK_HOST_SEARCH_DIRS: [dirs.userDataDir, dirs.root + '/xdg-data', workspace].join(path.delimiter),
    }),
    timeoutMs: RUN_TIMEOUT_MS,
    log: (line) =>
      console.log(`host: ${line} (${((Date.now() - started) / 1000).toFixed(1)}s since start); running tests`),
  });
  if (result.kind === 'exited') {
    console.log(
      `host: the extension host exited with ${result.hostExitCode} before any test ran (see ${work}/browser-console.log and code-server.log)`,
    );
    console.log('host: 0 passed, 0 failed');
    return 1;
  }
  const final = result.summary;
  printSummary(final);
  console.log(`host: finished in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  console.log(`host: ${final.passes} passed, ${final.failures} failed, ${final.pending} skipped`);
  for (const attempt of final.outbound ?? []) {
    console.log(
      `host: the extension host connected to ${attempt.host}:${attempt.port} (only loopback is allowed)\n${attempt.stack}`,
    );
  }
  if (final.outbound?.length) console.log(`host: ${final.outbound.length} non-loopback connection(s); failing the run`);
  const browserProblem = trafficProblem(result.browserTraffic);
  if (browserProblem) console.log(`host: ${browserProblem}; failing the run`);
  if (final.fatal || final.failures > 0 || final.outbound?.length || browserProblem) return 1;
  if (final.passes === 0) {
    console.log('host: no extension-host test ran; treating that as a failure');
    return 1;
  }
  if (final.pending > 0) {
    console.log(`host: ${final.pending} test(s) skipped; a skipped test proves nothing, so the lane fails`);
    return 1;
  }
  return 0;
}

runLane('host', main, RUN_TIMEOUT_MS + 120_000);
