// activate() returns the same frozen `{ ready }` in every ExtensionMode, and the test hooks reach
// globalThis only in ExtensionMode.Test (src/vscode/testHooks.ts). The host lane proves the same
// with a second extension in a real extension host, the e2e lane with a real Production install;
// this covers Development (an F5 host without tests), which neither lane runs.
import * as assert from 'assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { ActivationOutcome } from '../support/activateInChild';

const CHILD = path.join(__dirname, '..', 'support', 'activateInChild.js');
const MODES = { Production: 1, Development: 2, Test: 3 } as const;

function activateIn(mode: keyof typeof MODES): ActivationOutcome {
  const out = execFileSync(process.execPath, [CHILD, String(MODES[mode])], { encoding: 'utf8', timeout: 15_000 });
  return JSON.parse(out.trim().split('\n').pop()!) as ActivationOutcome;
}

const HOOKS = [
  'balancesProvider',
  'coordinator',
  'environments',
  'globalState',
  'market',
  'ordersProvider',
  'ready',
  'requests',
  'sandbox',
  'session',
  'setPrompter',
  'store',
  'stream',
];

describe('what activate() returns in each ExtensionMode', () => {
  for (const mode of ['Production', 'Development', 'Test'] as const) {
    it(`${mode}: a frozen { ready } whose promise resolves to nothing`, () => {
      const outcome = activateIn(mode);
      assert.deepStrictEqual(outcome.exportKeys, ['ready']);
      assert.strictEqual(outcome.exportFrozen, true);
      assert.strictEqual(outcome.readyIsPromise, true);
      assert.strictEqual(outcome.readyFrozen, true);
      assert.strictEqual(outcome.readyValue, 'undefined');
      if (mode === 'Test') {
        assert.deepStrictEqual(outcome.hookKeys, HOOKS, 'Test mode publishes the test hooks');
        assert.strictEqual(outcome.hooksAfterDispose, false, 'the hooks outlived the extension');
      } else {
        assert.strictEqual(outcome.hookKeys, null, `${mode} mode published the test hooks`);
      }
    });
  }
});
