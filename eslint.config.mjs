// typescript-eslint's recommended rules; formatting is prettier's job (.prettierrc.json).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layer rule of docs/architecture.md: a file under src/<layer>/ may not import the `vscode`
 * module, nor any of the `forbidden` folders under src/. One entry per folder depth, so that "up
 * to src/, then into core" is told apart from a subfolder of the layer that happens to share a name.
 */
function layerBoundary(layer, forbidden, why, { vscodeModule = false } = {}) {
  const message = `src/${layer} ${why} (docs/architecture.md).`;
  return [1, 2, 3, 4, 5].map((depth) => ({
    files: [`src/${layer}/${'*/'.repeat(depth - 1)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: vscodeModule ? [] : [{ name: 'vscode', message }],
          patterns: [{ regex: `^(\\.\\./){${depth}}(${forbidden.join('|')})(/|$)`, message }],
        },
      ],
    },
  }));
}

/**
 * The feature folders of src/vscode import downwards only (docs/architecture.md): each may import
 * the folders listed for it, and no other feature, nor the test hooks that name them all.
 */
const FEATURES = {
  shared: [],
  environment: ['shared'],
  keys: ['environment', 'shared'],
  sandbox: ['keys', 'environment', 'shared'],
  account: ['keys', 'environment', 'shared'],
  balances: ['account', 'shared'],
  orders: ['account', 'environment', 'shared'],
  market: ['account', 'environment', 'shared'],
  inspector: ['shared'],
};

function featureBoundary(feature, allowed) {
  const forbidden = [...Object.keys(FEATURES).filter((f) => f !== feature && !allowed.includes(f)), 'testHooks'];
  const message = `src/vscode/${feature} may import ${allowed.length > 0 ? allowed.join(', ') : 'no other feature folder'} (docs/architecture.md).`;
  // This rule replaces the src/vscode layer rule for these files (ESLint keeps the last value of a
  // rule), so it repeats that rule's ban on the sandbox.
  const sandbox =
    'src/vscode runs the local sandbox as a program (dist/sandbox.js, through src/app/sandbox), never in the extension host (docs/architecture.md).';
  return {
    files: [`src/vscode/${feature}/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `^\\.\\./(${forbidden.join('|')})(/|$)`, message },
            { regex: '^\\.\\./\\.\\./(sandbox|cli)(/|$)', message: sandbox },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.test-artifacts/', 'media/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // The market panel's webview code runs in a browser, not in Node.
    files: ['src/webview/market/view/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Plain CommonJS files (build script, mocha reporter, bench entries, the whatwg-url shim).
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...layerBoundary(
    'core',
    ['vscode', 'app', 'sandbox', 'cli', 'extension'],
    'is the exchange client: it imports no vscode, no app layer and no sandbox',
  ),
  ...layerBoundary(
    'app',
    ['vscode', 'sandbox', 'cli', 'extension'],
    'is the VS Code-free app layer: it may import src/core, never vscode, the VS Code layer or the sandbox',
  ),
  ...layerBoundary(
    'sandbox',
    ['vscode', 'core', 'app', 'cli', 'extension'],
    'is an independent exchange: it imports nothing of ours outside itself, so tests of the client against it are not circular',
  ),
  ...layerBoundary(
    'webview',
    ['vscode', 'sandbox', 'cli', 'extension'],
    'is the market panel (its webview page and the vscode-free host side of its protocol): it may import src/core and src/app, never vscode, the VS Code layer or the sandbox',
  ),
  // For files under src/vscode/<feature>/, featureBoundary below replaces this rule and repeats it.
  ...layerBoundary(
    'vscode',
    ['sandbox', 'cli'],
    'runs the local sandbox as a program (dist/sandbox.js, through src/app/sandbox), never in the extension host',
    { vscodeModule: true },
  ),
  ...Object.entries(FEATURES).map(([feature, allowed]) => featureBoundary(feature, allowed)),
);
