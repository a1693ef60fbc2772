import assert from 'node:assert/strict';
import { contentSecurityPolicy, createNonce, marketPanelHtml } from '../../../src/webview/market/html';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'A'.repeat(32),
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/market.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/market.css',
  title: 'BTCUSDT · Spot Testnet',
};

describe('market panel HTML', () => {
  it('has the strict CSP: only our stylesheet, fonts and images, and the nonced script; nothing remote', () => {
    assert.equal(
      contentSecurityPolicy(options.cspSource, options.nonce),
      `default-src 'none'; style-src ${options.cspSource}; font-src ${options.cspSource}; img-src ${options.cspSource} data:; script-src 'nonce-${options.nonce}'`,
    );
    const html = marketPanelHtml(options);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.equal(csp, contentSecurityPolicy(options.cspSource, options.nonce).replace(/'/g, '&#39;'));
    assert.doesNotMatch(html, /unsafe-|https?:\/\/(?!file\+\.vscode-resource)/, 'no unsafe source, no other origin');
  });

  it('loads exactly one script, with the nonce, and has no inline style or script', () => {
    const html = marketPanelHtml(options);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0][1], new RegExp(`nonce="${options.nonce}"`));
    assert.match(
      scripts[0][1],
      /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\/market\.js"/,
    );
    assert.equal(scripts[0][2], '', 'no inline code');
    assert.doesNotMatch(html, /<style|style="/);
    assert.match(html, /<link rel="stylesheet" href="[^"]+market\.css">/);
    assert.match(html, /<title>BTCUSDT · Spot Testnet<\/title>/);
  });

  it('escapes the title and refuses a weak nonce or a URI that could break out of its attribute', () => {
    assert.match(
      marketPanelHtml({ ...options, title: '<b>"x"</b>' }),
      /<title>&lt;b&gt;&quot;x&quot;&lt;\/b&gt;<\/title>/,
    );
    assert.throws(() => marketPanelHtml({ ...options, nonce: 'short' }), /nonce/);
    assert.throws(() => marketPanelHtml({ ...options, nonce: `${'A'.repeat(32)}'` }), /nonce/);
    assert.throws(() => marketPanelHtml({ ...options, scriptUri: 'x" onload="alert(1)' }), /scriptUri/);
    assert.throws(() => marketPanelHtml({ ...options, cspSource: "x 'unsafe-inline'" }), /cspSource/);
    assert.throws(() => marketPanelHtml({ ...options, cspSource: 'x; script-src *' }), /cspSource/);
    // code-server's own source list is accepted as it is.
    assert.match(
      marketPanelHtml({ ...options, cspSource: "'self' https://*.vscode-cdn.net" }),
      /style-src &#39;self&#39; https:\/\/\*\.vscode-cdn\.net;/,
    );
    assert.throws(() => marketPanelHtml({ ...options, styleUri: 'a b' }), /styleUri/);
  });

  it('createNonce gives 32 letters and digits, different every time', () => {
    const nonces = Array.from({ length: 200 }, () => createNonce());
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9]{32}$/);
    assert.equal(new Set(nonces).size, nonces.length);
  });
});
