// One end-to-end session: our extension packaged as a .vsix and installed into a fresh code-server
// (the path a user takes), the workbench opened in headless Chromium on 127.0.0.1.
import * as fs from 'fs';
import * as path from 'path';
import type { BrowserContext } from 'playwright-core';
import { BrowserTraffic, firstPage, launchChromium, recordTraffic } from '../../../scripts/harness/chromium';
import { freshDirs, installVsix, RunningCodeServer, startCodeServer } from '../../../scripts/harness/codeServer';
import { ARTIFACTS, SCREENSHOTS } from '../../../scripts/harness/paths';
import { compiledModule, exportProbe, installTestExtension } from '../../../scripts/harness/testExtensions';
import type { ProbeReport } from '../../probe/protocol';
import type { OutboundAttempt } from '../../host/support/networkGuard';
import { stopWatchedSandboxes } from '../../../scripts/harness/sandboxes';
import { packageVsix } from '../../../scripts/harness/vsix';
import { freePort } from '../../../scripts/harness/waits';
import { Workbench } from './workbench';

export const E2E_WORK = path.join(ARTIFACTS, 'e2e');

/** What the guard extension in the e2e extension host reported (see installHostGuard). */
export interface HostNetworkReport {
  verified: boolean;
  pid?: number;
  error?: string;
  attempts: OutboundAttempt[];
}

const GUARD_ID = 'testnet-desk-tests.loopback-guard';
/** One report per extension host: a window reload starts a new one, and each must be checked. */
const GUARD_REPORT_PREFIX = path.join(E2E_WORK, 'extension-host-network-');

/**
 * The host lane's network guard (test/host/support/networkGuard.ts) for the e2e extension host, which
 * runs no test code of ours: a test-only extension that activates on startup ('*') in the same
 * extension host as Testnet Desk, proves the guard with its self-test and rewrites GUARD_REPORT
 * after each non-loopback connection. It is registered in the extensions folder's extensions.json
 * next to the .vsix-installed Testnet Desk, which stays exactly as a user installs it.
 */
function installHostGuard(extensionsDir: string): void {
  const guardModule = compiledModule('test', 'host', 'support', 'networkGuard.js');
  installTestExtension(extensionsDir, {
    id: GUARD_ID,
    activationEvents: ['*'],
    source: `'use strict';
const fs = require('fs');
const guard = require(${JSON.stringify(guardModule)});
const write = (report) => fs.writeFileSync(${JSON.stringify(GUARD_REPORT_PREFIX)} + process.pid + '.json', JSON.stringify(report));
exports.activate = async () => {
  guard.installNetworkGuard();
  try {
    await guard.verifyNetworkGuard();
  } catch (error) {
    write({ verified: false, error: String(error), attempts: [] });
    return;
  }
  const report = () => write({ verified: true, pid: process.pid, attempts: guard.outboundAttempts() });
  guard.onOutbound(report);
  report();
};
`,
  });
}

const PROBE_REPORT = path.join(E2E_WORK, 'export-probe.json');

/**
 * The export probe (test/probe/extension.ts), installed like the guard: a second Production
 * extension that workflow.test.ts runs from the command palette once Testnet Desk holds keys.
 */
function installExportProbe(extensionsDir: string): void {
  installTestExtension(extensionsDir, exportProbe(PROBE_REPORT));
}

/** The probe's report once its walk has finished (it rewrites it whenever our extension prompts it). */
export function exportProbeReport(): ProbeReport | undefined {
  return fs.existsSync(PROBE_REPORT) ? (JSON.parse(fs.readFileSync(PROBE_REPORT, 'utf8')) as ProbeReport) : undefined;
}

/** The reports of every extension host of the session, merged: verified only if each one was. */
export function hostNetworkReport(): (HostNetworkReport & { hosts: number }) | undefined {
  const files = fs
    .readdirSync(E2E_WORK)
    .map((name) => path.join(E2E_WORK, name))
    .filter((file) => file.startsWith(GUARD_REPORT_PREFIX) && file.endsWith('.json'));
  if (files.length === 0) return undefined;
  const reports = files.map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as HostNetworkReport);
  const failed = reports.find((r) => !r.verified);
  return {
    verified: failed === undefined,
    error: failed?.error,
    attempts: reports.flatMap((r) => r.attempts),
    hosts: reports.length,
  };
}

export interface E2ESession {
  workbench: Workbench;
  server: RunningCodeServer;
  /** Everything the workbench page requested since it opened. */
  browserTraffic: BrowserTraffic;
  /** The port the settings give the sandbox (testnetDesk.sandbox.port). */
  sandboxPort: number;
  close(): Promise<void>;
}

export async function startSession(): Promise<E2ESession> {
  fs.rmSync(E2E_WORK, { recursive: true, force: true });
  fs.mkdirSync(E2E_WORK, { recursive: true });
  const vsix = process.env.TESTNET_DESK_VSIX ? path.resolve(process.env.TESTNET_DESK_VSIX) : await packageVsix();
  // A port of its own for the sandbox (lanes of other clones may run at once), fixed for the session.
  const sandboxPort = await freePort();
  const dirs = freshDirs(path.join(E2E_WORK, 'code-server'), { 'testnetDesk.sandbox.port': sandboxPort });
  await installVsix(dirs, vsix);
  const installed = fs.readdirSync(dirs.extensionsDir).filter((d) => d.startsWith('testnet-desk.testnet-desk'));
  if (installed.length !== 1)
    throw new Error(`the .vsix did not install (extensions: ${fs.readdirSync(dirs.extensionsDir).join(', ')})`);
  installHostGuard(dirs.extensionsDir);
  installExportProbe(dirs.extensionsDir);

  const workspace = path.join(E2E_WORK, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const server = await startCodeServer(dirs, { folder: workspace });
  let browser: BrowserContext | undefined;
  try {
    browser = await launchChromium(path.join(E2E_WORK, 'chromium-profile'));
    const browserTraffic = recordTraffic(browser);
    const page = await firstPage(browser, path.join(E2E_WORK, 'browser-console.log'));
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`, {
      timeout: 60_000,
      waitUntil: 'domcontentloaded',
    });
    const workbench = new Workbench(page, SCREENSHOTS);
    await workbench.waitUntilReady();
    const opened = browser;
    return {
      workbench,
      server,
      browserTraffic,
      sandboxPort,
      close: async () => {
        await opened.close().catch(() => undefined);
        await server.stop();
        // The sandbox the extension started outlives code-server by design; not the lane.
        await stopWatchedSandboxes();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw error;
  }
}
