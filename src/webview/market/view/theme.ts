/**
 * The panel's colours come from the workbench theme: VS Code sets `--vscode-*` variables on the
 * webview's root and a `vscode-light | vscode-dark | vscode-high-contrast` class on <body>. CSS
 * picks the variables up by itself; the chart draws on a canvas, so its colours are read here and
 * re-applied whenever the theme changes.
 */

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface ThemeColors {
  kind: ThemeKind;
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  border: string;
  /** Rising candles and buys. */
  up: string;
  /** Falling candles and sells. */
  down: string;
  fontFamily: string;
  fontSize: number;
}

/** Used when a variable is missing (e.g. a page opened outside VS Code): Dark Modern's values. */
const FALLBACK = {
  background: '#1f1f1f',
  foreground: '#cccccc',
  muted: '#9d9d9d',
  border: '#2b2b2b',
  up: '#89d185',
  down: '#f14c4c',
  fontFamily: 'system-ui, sans-serif',
};

export function themeKind(body: HTMLElement = document.body): ThemeKind {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readTheme(): ThemeColors {
  const style = getComputedStyle(document.documentElement);
  const bodyStyle = getComputedStyle(document.body);
  const v = (name: string): string => (style.getPropertyValue(name) || bodyStyle.getPropertyValue(name)).trim();
  const kind = themeKind();
  const highContrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  const border = v('--vscode-contrastBorder') || v('--vscode-panel-border') || FALLBACK.border;
  const fontSize = Number.parseFloat(v('--vscode-font-size'));
  return {
    kind,
    background: v('--vscode-editor-background') || FALLBACK.background,
    foreground: v('--vscode-editor-foreground') || v('--vscode-foreground') || FALLBACK.foreground,
    muted: v('--vscode-descriptionForeground') || FALLBACK.muted,
    // High contrast themes have no subtle greys: the grid uses the contrast border, kept sparse by the chart.
    grid: highContrast ? border : v('--vscode-editorIndentGuide-background1') || v('--vscode-panel-border') || border,
    border,
    up: v('--vscode-charts-green') || v('--vscode-testing-iconPassed') || FALLBACK.up,
    down: v('--vscode-charts-red') || v('--vscode-errorForeground') || FALLBACK.down,
    fontFamily: v('--vscode-font-family') || FALLBACK.fontFamily,
    fontSize: Number.isFinite(fontSize) && fontSize > 0 ? fontSize : 13,
  };
}

/**
 * Calls `onChange` with fresh colours when the body's theme class or the root's variables change
 * (VS Code changes both on a theme switch). Returns the function that stops watching.
 */
export function watchTheme(onChange: (colors: ThemeColors) => void): () => void {
  let last = JSON.stringify(readTheme());
  const observer = new MutationObserver(() => {
    const colors = readTheme();
    const key = JSON.stringify(colors);
    if (key === last) return;
    last = key;
    onChange(colors);
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
