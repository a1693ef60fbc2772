/**
 * A tiny HTTP server on 127.0.0.1 standing in for the webview's resource loader: `/` is the panel's
 * HTML exactly as the extension builds it (html.ts: the same CSP, with this server's origin as the
 * cspSource and a fresh nonce per load), `/webview/*` the built bundle and stylesheet from
 * dist/webview. Nothing else is served.
 */
import * as fs from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { createNonce, marketPanelHtml } from '../../../../src/webview/market/html';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');
export const WEBVIEW_DIST = path.join(REPO_ROOT, 'dist', 'webview');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export interface HarnessServer {
  origin: string;
  /** Nonces of every page served, in order (the CSP must change per load). */
  nonces: string[];
  close(): Promise<void>;
}

/** `dir`: where market.js and market.css are (the bench serves its own production build). */
export async function startHarnessServer(options: { title?: string; dir?: string } = {}): Promise<HarnessServer> {
  const title = options.title ?? 'BTCUSDT · Local sandbox';
  const dir = options.dir ?? WEBVIEW_DIST;
  for (const file of ['market.js', 'market.css'])
    if (!fs.existsSync(path.join(dir, file)))
      throw new Error(`${path.join(dir, file)} is missing: run 'node esbuild.js' first (npm run test:webview does).`);
  const nonces: string[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/') {
      const nonce = createNonce();
      nonces.push(nonce);
      const html = marketPanelHtml({
        cspSource: origin,
        nonce,
        scriptUri: `${origin}/webview/market.js`,
        styleUri: `${origin}/webview/market.css`,
        title,
      });
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      // Chromium asks every origin for one; a webview has none. No content, no console error.
      res.writeHead(204).end();
      return;
    }
    const match = /^\/webview\/(market\.(?:js|css)(?:\.map)?)$/.exec(url.pathname);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const file = path.join(dir, match[1]);
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    nonces,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
