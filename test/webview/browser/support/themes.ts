/**
 * The workbench's theme as a webview sees it, replayed in the harness page: the body's theme
 * classes and the `--vscode-*` variables on the root element, as captured from a real webview in
 * code-server (workbenchThemes.json, written by scripts/captureWebviewThemes.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

interface CapturedTheme {
  bodyClass: string;
  themeKind: string;
  variables: Record<string, string>;
}

const FILE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'test',
  'webview',
  'browser',
  'support',
  'workbenchThemes.json',
);
const captured = (JSON.parse(fs.readFileSync(FILE, 'utf8')) as { themes: Record<string, CapturedTheme> }).themes;

export const THEMES = {
  light: 'Default Light Modern',
  dark: 'Default Dark Modern',
  'high-contrast': 'Default High Contrast',
  'high-contrast-light': 'Default High Contrast Light',
} as const;
export type ThemeName = keyof typeof THEMES;

export function themeVariables(name: ThemeName): Record<string, string> {
  return captured[THEMES[name]].variables;
}

/** Switches the page to a theme the way VS Code does: body classes and root variables together. */
export async function applyTheme(page: Page, name: ThemeName): Promise<void> {
  const theme = captured[THEMES[name]];
  if (!theme) throw new Error(`no captured theme ${THEMES[name]}: run scripts/captureWebviewThemes.ts`);
  // Only the theme classes: the capture's other classes belong to the Markdown preview.
  const classes = theme.bodyClass.split(/\s+/).filter((c) => /^vscode-(light|dark|high-contrast(-light)?)$/.test(c));
  await page.evaluate(
    ({ classes, kind, variables }) => {
      type Styled = {
        style: {
          length: number;
          item(i: number): string;
          setProperty(n: string, v: string): void;
          removeProperty(n: string): void;
        };
      };
      const doc = (
        globalThis as unknown as {
          document: {
            documentElement: Styled;
            body: Styled & { className: string; setAttribute(n: string, v: string): void };
          };
        }
      ).document;
      const root = doc.documentElement.style;
      for (let i = root.length - 1; i >= 0; i--)
        if (root.item(i).startsWith('--vscode-')) root.removeProperty(root.item(i));
      for (const [name, value] of Object.entries(variables)) root.setProperty(name, value);
      doc.body.className = classes.join(' ');
      doc.body.setAttribute('data-vscode-theme-kind', kind);
    },
    { classes, kind: theme.themeKind, variables: theme.variables },
  );
}
