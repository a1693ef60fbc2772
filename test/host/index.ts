// Mocha entry point that VS Code loads INSIDE the extension host (`extensionTestsPath`).
// The same file serves both lanes:
//  - desktop VS Code via @vscode/test-electron's runTests (scripts/run-electron-tests.ts), and
//  - the VS Code server in code-server (scripts/run-host-tests.ts), where the workbench runs in
//    headless Chromium and the extension host is the server's Node process.
// Besides the usual spec output it writes a JSON summary, because in the server lane the console of
// the extension host is not the harness's console; the harness reads the file and prints the counts.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { measureFirstActivation, type HostActivationTiming } from './support/activationTiming';
import {
  installNetworkGuard,
  outboundAttempts,
  verifyNetworkGuard,
  type OutboundAttempt,
} from './support/networkGuard';

export interface HostTestResult {
  /** Top-level describe() title. */
  suite: string;
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface HostTestSummary {
  passes: number;
  failures: number;
  pending: number;
  tests: HostTestResult[];
  finishedAt: string;
  /** Set when the run itself broke (no test file, a file that does not load). */
  fatal?: string;
  /** Connections the extension host opened to non-loopback hosts during the run (must be none). */
  outbound?: OutboundAttempt[];
  /** Activation-only mode (TESTNET_DESK_HOST_MODE=activation, used by the bench): no test runs. */
  activation?: HostActivationTiming;
}

/** Where the summary goes: the harness sets TESTNET_DESK_HOST_RESULTS; otherwise beside the clone. */
function resultsPath(): string {
  return (
    process.env.TESTNET_DESK_HOST_RESULTS ??
    path.resolve(__dirname, '..', '..', '..', '.test-artifacts', 'host-results.json')
  );
}

function writeSummary(summary: HostTestSummary): void {
  const file = resultsPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(summary, null, 2));
}

function findTestFiles(root: string): string[] {
  const grep = process.env.TESTNET_DESK_HOST_FILES; // optional substring filter for local runs
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => !grep || f.includes(grep))
    .sort()
    .map((f) => path.join(root, f));
}

/**
 * Activation-only mode: times the first activation of our extension before anything else touches it
 * (see support/activationTiming.ts), writes it into the summary and runs no test.
 */
async function measureActivationOnly(): Promise<void> {
  const settleMs = Number(process.env.TESTNET_DESK_HOST_ACTIVATION_SETTLE_MS ?? 3000);
  const activation = await measureFirstActivation(Number.isFinite(settleMs) ? settleMs : 3000);
  const outbound = [...outboundAttempts()];
  writeSummary({
    passes: 0,
    failures: 0,
    pending: 0,
    tests: [],
    finishedAt: new Date().toISOString(),
    outbound,
    activation,
  });
  if (activation.error) throw new Error(activation.error);
}

export async function run(): Promise<void> {
  installNetworkGuard();
  try {
    await verifyNetworkGuard();
  } catch (error) {
    const message = (error as Error).message;
    writeSummary({
      passes: 0,
      failures: 0,
      pending: 0,
      tests: [],
      finishedAt: new Date().toISOString(),
      fatal: message,
    });
    throw error;
  }
  if (process.env.TESTNET_DESK_HOST_MODE === 'activation') return measureActivationOnly();
  return runSuite();
}

function runSuite(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const files = findTestFiles(__dirname);
  const tests: HostTestResult[] = [];

  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      writeSummary({ passes: 0, failures: 0, pending: 0, tests, finishedAt: new Date().toISOString(), fatal: message });
      reject(new Error(message));
    };
    if (files.length === 0) {
      fail(`no *.test.js file under ${__dirname}`);
      return;
    }
    try {
      files.forEach((f) => mocha.addFile(f));
      const runner = mocha.run((failures) => {
        const passes = tests.filter((t) => t.state === 'passed').length;
        const pending = tests.filter((t) => t.state === 'pending').length;
        const outbound = [...outboundAttempts()];
        writeSummary({ passes, failures, pending, tests, finishedAt: new Date().toISOString(), outbound });
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else if (outbound.length > 0)
          reject(new Error(`the extension host connected to ${outbound.map((o) => o.host).join(', ')}`));
        else if (passes === 0) reject(new Error('no extension-host test ran'));
        else if (pending > 0) reject(new Error(`${pending} extension-host test(s) skipped`));
        else resolve();
      });
      const suite = (t: Mocha.Runnable) => t.titlePath()[0] ?? '(root)';
      runner.on('pass', (t) =>
        tests.push({ suite: suite(t), title: t.fullTitle(), state: 'passed', durationMs: t.duration }),
      );
      runner.on('pending', (t) => tests.push({ suite: suite(t), title: t.fullTitle(), state: 'pending' }));
      runner.on('fail', (t, err: Error) =>
        tests.push({ suite: suite(t), title: t.fullTitle(), state: 'failed', error: err?.stack ?? String(err) }),
      );
    } catch (error) {
      fail(`could not load the extension-host tests: ${(error as Error)?.stack ?? String(error)}`);
    }
  });
}
