// Headless Debian Chromium driven by playwright-core. The flags keep Chromium from reaching for
// Google's services (this machine has no network but loopback) and from any first-run UI; on top of
// that every non-loopback host name fails to resolve and every non-loopback request is recorded, so
// the lanes can fail on traffic that leaves 127.0.0.1 instead of trusting the flags.
import * as fs from 'fs';
import { BrowserContext, chromium, Page, Request } from 'playwright-core';
import { CHROMIUM } from './paths';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // Name resolution for anything but loopback fails inside the browser, so a stray fetch of a CDN,
  // gallery or telemetry URL (by the workbench or by Chromium itself) errors instead of going out.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export async function launchChromium(profileDir: string): Promise<BrowserContext> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run 'apt-get install -y chromium' (or set CHROMIUM_PATH)`);
  }
  fs.rmSync(profileDir, { recursive: true, force: true });
  fs.mkdirSync(profileDir, { recursive: true });
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    timeout: 60_000,
  });
}

/** The context's first page, with its console and page errors written to `consoleLogFile`. */
export async function firstPage(browser: BrowserContext, consoleLogFile: string): Promise<Page> {
  const page = browser.pages()[0] ?? (await browser.newPage());
  const consoleLog = fs.createWriteStream(consoleLogFile);
  page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.stack ?? error.message}\n`));
  return page;
}

export interface BrowserTraffic {
  /** Requests and WebSockets to 127.0.0.1/localhost (proof that the recorder saw the run). */
  loopback: number;
  /** Every http(s)/ws(s) URL to any other host that left the browser, in order. */
  readonly foreign: string[];
  /** Requests to another host that a page's service worker answered (a webview's resources). */
  servedInBrowser: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Where a webview's resources are named from (VS Code's webview resource scheme). */
const WEBVIEW_RESOURCE_HOST = /\.vscode-resource\.vscode-cdn\.net$/;

/**
 * Records the http(s) and WebSocket traffic of every page and frame of the context from now on. A
 * webview loads its resources from https://*.vscode-resource.vscode-cdn.net, a name its service
 * worker answers from the workbench's own connection to the server: such a request, answered by the
 * service worker, never left the browser (and --host-resolver-rules resolves no such name anyway).
 * Anything else to another host counts, answered or not.
 */
export function recordTraffic(browser: BrowserContext): BrowserTraffic {
  const outside = new Map<Request, string>();
  const sockets: string[] = [];
  const traffic: BrowserTraffic = {
    loopback: 0,
    servedInBrowser: 0,
    get foreign(): string[] {
      return [...outside.values(), ...sockets];
    },
  };
  const isLoopback = (url: string): boolean | undefined => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if (!/^(https?|wss?):$/.test(parsed.protocol)) return undefined; // data:, blob:, vscode-webview: stay in the browser
    return LOOPBACK_HOSTS.has(parsed.hostname) || parsed.hostname.startsWith('127.');
  };
  const watch = (page: Page): void => {
    page.on('websocket', (ws) => {
      const loopback = isLoopback(ws.url());
      if (loopback === true) traffic.loopback++;
      else if (loopback === false) sockets.push(ws.url());
    });
  };
  browser.on('request', (request) => {
    const loopback = isLoopback(request.url());
    if (loopback === true) traffic.loopback++;
    else if (loopback === false) outside.set(request, request.url());
  });
  browser.on('response', (response) => {
    const webviewResource = WEBVIEW_RESOURCE_HOST.test(new URL(response.url()).hostname);
    if (webviewResource && response.fromServiceWorker() && outside.delete(response.request()))
      traffic.servedInBrowser++;
  });
  browser.pages().forEach(watch);
  browser.on('page', watch);
  return traffic;
}

/** Why the recorded traffic breaks the loopback-only rule, or undefined when it does not. */
export function trafficProblem(traffic: BrowserTraffic): string | undefined {
  if (traffic.foreign.length > 0) {
    const shown = [...new Set(traffic.foreign)].slice(0, 20);
    return `the browser requested ${traffic.foreign.length} non-loopback URL(s) (only 127.0.0.1 is allowed): ${shown.join(', ')}`;
  }
  if (traffic.loopback === 0) return 'the browser traffic recorder saw no request at all, so it proves nothing';
  return undefined;
}
