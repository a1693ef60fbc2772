/**
 * Records what the real workbench gives a webview in each built-in theme: the <body> classes and
 * the `--vscode-*` variables on the webview's root (read from a Markdown preview, a webview VS Code
 * ships), keeping the variables the market panel and the vscode-elements it uses refer to. The
 * webview lane replays them (test/webview/browser/support/themes.ts), so its light, dark and high contrast
 * screenshots use the workbench's own colours without starting a workbench.
 *
 *   npm run compile-tests && node out/scripts/captureWebviewThemes.js
 *
 * Needs code-server (bash scripts/install-code-server.sh) and Chromium; talks only to 127.0.0.1.
 */
import * as fs from 'fs';
import * as path from 'path';
import { firstPage, launchChromium } from './harness/chromium';
import { freshDirs, startCodeServer } from './harness/codeServer';
import { ARTIFACTS, REPO_ROOT } from './harness/paths';

const THEMES = ['Default Light Modern', 'Default Dark Modern', 'Default High Contrast', 'Default High Contrast Light'];
const OUT = path.join(REPO_ROOT, 'test', 'webview', 'browser', 'support', 'workbenchThemes.json');

/** Every `--vscode-*` name the panel's sources and the used vscode-elements' styles mention. */
function referencedVariables(): Set<string> {
  const files: string[] = [];
  const walk = (dir: string, keep: (f: string) => boolean): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, keep);
      else if (keep(full)) files.push(full);
    }
  };
  walk(path.join(REPO_ROOT, 'src', 'webview'), (f) => /\.(ts|css)$/.test(f));
  walk(path.join(REPO_ROOT, 'node_modules', '@vscode-elements', 'elements', 'dist'), (f) => f.endsWith('.js'));
  const names = new Set<string>();
  for (const file of files)
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/--vscode-[A-Za-z0-9-]+/g)) names.add(match[0]);
  return names;
}

async function main(): Promise<void> {
  const wanted = referencedVariables();
  const root = path.join(ARTIFACTS, 'theme-capture');
  const dirs = freshDirs(root);
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Theme probe\n\nA Markdown preview is a webview.\n');
  const settingsFile = path.join(dirs.userDataDir, 'User', 'settings.json');
  const baseSettings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  const server = await startCodeServer(dirs, { folder: workspace });
  const browser = await launchChromium(path.join(root, 'chromium'));
  const captured: Record<string, { bodyClass: string; themeKind: string; variables: Record<string, string> }> = {};
  try {
    for (const theme of THEMES) {
      fs.writeFileSync(settingsFile, JSON.stringify({ ...baseSettings, 'workbench.colorTheme': theme }, null, 2));
      const page = await firstPage(browser, path.join(root, 'browser-console.log'));
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.waitForTimeout(1500);
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'README.md' }).first().click();
      await page.locator('.editor-instance .monaco-editor').first().waitFor({ timeout: 30_000 });
      await page.locator('.editor-instance .monaco-editor').first().click();
      await page.keyboard.press('Control+Shift+V');
      const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await frame.locator('h1').waitFor({ timeout: 30_000 });
      type Root = {
        style: { length: number; item(i: number): string; getPropertyValue(name: string): string };
        ownerDocument: { body: { className: string; getAttribute(name: string): string | null } };
      };
      const found = await frame.locator('html').evaluate((html) => {
        const root = html as unknown as Root;
        const style = root.style;
        const variables: Record<string, string> = {};
        for (let i = 0; i < style.length; i++) {
          const name = style.item(i);
          if (name.startsWith('--vscode-')) variables[name] = style.getPropertyValue(name).trim();
        }
        const body = root.ownerDocument.body;
        return {
          bodyClass: body.className,
          themeKind: body.getAttribute('data-vscode-theme-kind') ?? '',
          variables,
        };
      });
      const kept = Object.fromEntries(Object.entries(found.variables).filter(([name]) => wanted.has(name)));
      captured[theme] = { bodyClass: found.bodyClass, themeKind: found.themeKind, variables: kept };
      console.log(
        `${theme}: body "${found.bodyClass}", ${Object.keys(found.variables).length} variables, kept ${Object.keys(kept).length}`,
      );
      await page.keyboard.press('Control+K');
      await page.keyboard.press('W');
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const missing = [...wanted].filter((name) => !Object.values(captured).some((t) => name in t.variables));
  fs.writeFileSync(
    OUT,
    `${JSON.stringify({ source: 'code-server Markdown preview webview (scripts/captureWebviewThemes.ts)', themes: captured, notSetByAnyTheme: missing.sort() }, null, 2)}\n`,
  );
  console.log(`Written ${path.relative(REPO_ROOT, OUT)}; not set by any theme: ${missing.join(', ') || 'none'}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
