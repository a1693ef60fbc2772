/**
 * The market panel's HTML, vscode-free: the host passes the webview's cspSource and the URIs it
 * made with asWebviewUri. Strict CSP: nothing but our own stylesheet, fonts and images from the
 * extension, and only the nonced bundle as script. No inline style and no remote origin, so the
 * panel works offline and a stray injected tag does nothing.
 */

export interface MarketPanelHtmlOptions {
  /** webview.cspSource (in tests, the harness server's origin). */
  cspSource: string;
  /** Fresh per render (createNonce). */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** Shown in the tab and read by screen readers, e.g. "BTCUSDT · Spot Testnet". */
  title: string;
}

const NONCE = /^[A-Za-z0-9]{32,}$/;

/** A random 32-character nonce (Web Crypto: the extension host and a browser both have it). */
export function createNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  // 248 = 4 × 62: bytes at or above it are skipped, so every character is equally likely.
  while (out.length < 32)
    for (const byte of crypto.getRandomValues(new Uint8Array(48)))
      if (byte < 248 && out.length < 32) out += alphabet[byte % 62];
  return out;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function marketPanelHtml(options: MarketPanelHtmlOptions): string {
  if (!NONCE.test(options.nonce)) throw new Error('The nonce must be at least 32 letters or digits (createNonce).');
  for (const [name, value] of Object.entries({ scriptUri: options.scriptUri, styleUri: options.styleUri })) {
    // A quote or space would end the attribute early.
    if (/["'\s<>]/.test(value)) throw new Error(`${name} must be a URI without quotes or spaces; got ${value}`);
  }
  // webview.cspSource is a source list: code-server's is "'self' https://*.vscode-cdn.net". Hosts
  // and 'self' only: a keyword such as 'unsafe-inline' would open the policy it is put in.
  const sources = options.cspSource.split(' ');
  if (!sources.every((source) => source === "'self'" || /^[^"'\s<>;,]+$/.test(source)))
    throw new Error(`cspSource must be hosts and 'self' separated by single spaces; got ${options.cspSource}`);
  const csp = contentSecurityPolicy(options.cspSource, options.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
<div id="app" data-testid="market-panel" aria-busy="true"><p class="loading">Loading the market…</p></div>
<script nonce="${options.nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
