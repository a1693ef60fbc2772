// One session in a real VS Code extension host, offline: the VS Code server that code-server embeds
// starts on 127.0.0.1 with the smoke-test driver on (so the workbench honours VS Code's standard
// `extensionDevelopmentPath` and `extensionTestsPath`), headless Chromium opens the workbench (the
// server only starts an extension host for a connected window), and the extension host loads the
// extension and runs out/test/host/index.js, which writes a JSON summary. Shared by the host lane
// (scripts/run-host-tests.ts) and the bench's real-host activation section (bench/sections/hostActivation.ts).
import * as fs from 'fs';
import * as path from 'path';
import type { HostTestSummary } from '../../test/host/index';
import { BrowserTraffic, firstPage, launchChromium, recordTraffic } from './chromium';
import { CodeServerDirs, freshDirs, startCodeServer } from './codeServer';
import { stopWatchedSandboxes } from './sandboxes';
import { sleep, waitFor } from './waits';

export interface HostSessionOptions {
  /** Folder for everything this session writes; emptied first. */
  work: string;
  /** Unpacked extension folder (the one holding its package.json). */
  extensionPath: string;
  /**
   * Installs other extensions into the server's fresh extensions folder before it starts (test-only
   * extensions such as the export probe). They load as installed extensions, in ExtensionMode.Production:
   * the web workbench keeps only one `extensionDevelopmentPath` (its payload becomes a Map).
   */
  installExtensions?: (extensionsDir: string) => void;
  /** Folder holding the compiled index.js (mocha entry) and the *.test.js files. */
  testsPath: string;
  /** Extra environment for the server, which the extension host inherits. */
  env?: (dirs: CodeServerDirs, workspace: string) => NodeJS.ProcessEnv;
  /** Bound on the wait for the summary once the workbench is open. */
  timeoutMs: number;
  log?: (line: string) => void;
}

export type HostSessionResult = (
  | { kind: 'summary'; summary: HostTestSummary }
  /** The extension host exited before index.js wrote a summary. */
  | { kind: 'exited'; hostExitCode: number }
) & {
  workbenchOpenedAfterMs: number;
  /** What the workbench page requested (see trafficProblem). */ browserTraffic: BrowserTraffic;
};

export async function runHostSession(options: HostSessionOptions): Promise<HostSessionResult> {
  const started = Date.now();
  const { work, extensionPath, testsPath } = options;
  const log = options.log ?? (() => undefined);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  if (!fs.existsSync(path.join(testsPath, 'index.js')))
    throw new Error(`${testsPath}/index.js is missing: compile the tests first`);
  const workspace = path.join(work, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const resultsFile = path.join(work, 'results.json');

  const dirs = freshDirs(path.join(work, 'code-server'));
  options.installExtensions?.(dirs.extensionsDir);
  const server = await startCodeServer(dirs, {
    env: { TESTNET_DESK_HOST_RESULTS: resultsFile, ...options.env?.(dirs, workspace) },
    vscodeOptions: ['enable-smoke-test-driver'],
  });
  try {
    const browser = await launchChromium(path.join(work, 'chromium-profile'));
    try {
      const browserTraffic = recordTraffic(browser);
      const page = await firstPage(browser, path.join(work, 'browser-console.log'));

      // The workbench calls this when the extension host that ran the tests exits (VS Code's test hook).
      let hostExitCode: number | undefined;
      await page.exposeFunction('codeAutomationExit', (code: number) => {
        hostExitCode = code;
      });

      const authority = `127.0.0.1:${server.port}`;
      const payload = [
        ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionPath}`],
        ['extensionTestsPath', `vscode-remote://${authority}${testsPath}`],
        ['skipWelcome', 'true'],
        ['skipReleaseNotes', 'true'],
      ];
      const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      await page.goto(url, { timeout: 60_000, waitUntil: 'domcontentloaded' });
      const workbenchOpenedAfterMs = Date.now() - started;
      log(`workbench opened on ${server.url} after ${(workbenchOpenedAfterMs / 1000).toFixed(1)}s`);

      const readSummary = (): HostTestSummary | undefined =>
        fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as HostTestSummary) : undefined;
      // A half-written file fails to parse; waitFor retries until the deadline.
      const outcome = await waitFor<HostTestSummary | 'exit'>(
        `the extension-host summary ${resultsFile}`,
        () => readSummary() ?? (hostExitCode !== undefined ? 'exit' : undefined),
        { timeoutMs: options.timeoutMs, intervalMs: 250 },
      );
      if (outcome !== 'exit') return { kind: 'summary', summary: outcome, workbenchOpenedAfterMs, browserTraffic };
      await sleep(1000); // the summary may land just after the exit hook
      let late: HostTestSummary | undefined;
      try {
        late = readSummary();
      } catch {
        late = undefined; // still half-written after a second: report the exit
      }
      return late
        ? { kind: 'summary', summary: late, workbenchOpenedAfterMs, browserTraffic }
        : { kind: 'exited', hostExitCode: hostExitCode ?? -1, workbenchOpenedAfterMs, browserTraffic };
    } finally {
      await browser.close().catch(() => undefined);
    }
  } finally {
    await server.stop();
    // The extension's sandboxes outlive code-server by design (detached); none may outlive the session.
    const stopped = await stopWatchedSandboxes();
    if (stopped.length > 0)
      console.log(`harness: stopped ${stopped.length} local sandbox(es) left running (pid ${stopped.join(', ')})`);
  }
}
