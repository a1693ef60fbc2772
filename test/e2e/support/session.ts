// One end-to-end session: our extension packaged as a .vsix and installed into a fresh code-server
// (the path a user takes), the workbench opened in headless Chromium on 127.0.0.1.
import * as fs from 'fs';
import * as path from 'path';
import type { BrowserContext } from 'playwright-core';
import { BrowserTraffic, firstPage, launchChromium, recordTraffic } from '../../../scripts/harness/chromium';
import { freshDirs, installVsix, RunningCodeServer, startCodeServer } from '../../../scripts/harness/codeServer';
import { ARTIFACTS, SCREENSHOTS } from '../../../scripts/harness/paths';
import { packageVsix } from '../../../scripts/harness/vsix';
import { Workbench } from './workbench';

export const E2E_WORK = path.join(ARTIFACTS, 'e2e');

export interface E2ESession {
  workbench: Workbench;
  server: RunningCodeServer;
  /** Everything the workbench page requested since it opened. */
  browserTraffic: BrowserTraffic;
  close(): Promise<void>;
}

export async function startSession(): Promise<E2ESession> {
  fs.rmSync(E2E_WORK, { recursive: true, force: true });
  fs.mkdirSync(E2E_WORK, { recursive: true });
  const vsix = process.env.TESTNET_DESK_VSIX ? path.resolve(process.env.TESTNET_DESK_VSIX) : await packageVsix();
  const dirs = freshDirs(path.join(E2E_WORK, 'code-server'));
  await installVsix(dirs, vsix);
  const installed = fs.readdirSync(dirs.extensionsDir).filter((d) => d.startsWith('testnet-desk.testnet-desk'));
  if (installed.length !== 1) throw new Error(`the .vsix did not install (extensions: ${fs.readdirSync(dirs.extensionsDir).join(', ')})`);

  const workspace = path.join(E2E_WORK, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const server = await startCodeServer(dirs, { folder: workspace });
  let browser: BrowserContext | undefined;
  try {
    browser = await launchChromium(path.join(E2E_WORK, 'chromium-profile'));
    const browserTraffic = recordTraffic(browser);
    const page = await firstPage(browser, path.join(E2E_WORK, 'browser-console.log'));
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000, waitUntil: 'domcontentloaded' });
    const workbench = new Workbench(page, SCREENSHOTS);
    await workbench.waitUntilReady();
    const opened = browser;
    return {
      workbench,
      server,
      browserTraffic,
      close: async () => {
        await opened.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw error;
  }
}
