// Runs test/e2e/**/*.test.ts with mocha in this (Node 20) process; the tests start code-server and
// headless Chromium themselves (test/e2e/support/session.ts). Fails when a test fails or is skipped,
// or when none ran.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { runLane } from './harness/children';
import { REPO_ROOT } from './harness/paths';

const RUN_TIMEOUT_MS = Number(process.env.TESTNET_DESK_E2E_TIMEOUT_MS ?? 12 * 60_000);

function main(): Promise<number> {
  const root = path.join(REPO_ROOT, 'out', 'test', 'e2e');
  const files = fs.existsSync(root)
    ? (fs.readdirSync(root, { recursive: true }) as string[])
        .filter((f) => f.endsWith('.test.js'))
        .sort()
        .map((f) => path.join(root, f))
    : [];
  if (files.length === 0) {
    console.log(`e2e: no *.test.js under ${root}`);
    console.log('e2e: 0 passed, 0 failed');
    return Promise.resolve(1);
  }
  const mocha = new Mocha({ ui: 'bdd', timeout: 180_000, reporter: 'spec', color: false });
  files.forEach((f) => mocha.addFile(f));
  const started = Date.now();
  return new Promise((resolve) => {
    const suites = new Map<string, { passed: number; failed: number; pending: number }>();
    const count = (t: Mocha.Runnable, key: 'passed' | 'failed' | 'pending') => {
      const suite = t.titlePath()[0] ?? '(root)';
      const counts = suites.get(suite) ?? { passed: 0, failed: 0, pending: 0 };
      counts[key]++;
      suites.set(suite, counts);
    };
    const runner = mocha.run((failures) => {
      for (const [suite, c] of suites)
        console.log(`e2e suite "${suite}": ${c.passed} passed, ${c.failed} failed, ${c.pending} skipped`);
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      console.log(`e2e: finished in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      if (failures === 0 && passes === 0) console.log('e2e: no end-to-end test ran; treating that as a failure');
      if (pending > 0) console.log(`e2e: ${pending} test(s) skipped; a skipped test proves nothing, so the lane fails`);
      console.log(`e2e: ${passes} passed, ${failures} failed, ${pending} skipped`);
      resolve(failures > 0 || passes === 0 || pending > 0 ? 1 : 0);
    });
    runner.on('pass', (t) => count(t, 'passed'));
    runner.on('fail', (t) => count(t, 'failed'));
    runner.on('pending', (t) => count(t, 'pending'));
  });
}

runLane('e2e', main, RUN_TIMEOUT_MS);
