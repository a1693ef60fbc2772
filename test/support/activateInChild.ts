/**
 * Child process of extensionExports.test.ts: activates the compiled extension (out/src/extension.js)
 * with the bench's stub of the `vscode` module in the given ExtensionMode, and prints one JSON line
 * saying what `activate()` returned and whether the test hooks were published (and removed again on
 * dispose). A child, because the unit lane's own vscode stub (test/support/vscodeStub.ts) is too small for
 * activate() and is already bound to the modules this process loaded.
 *   node out/test/support/activateInChild.js <1 | 2 | 3>   (Production | Development | Test)
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { createExtensionContext, createVscodeStub } from '../../bench/lib/vscodeStub';

export interface ActivationOutcome {
  exportKeys: string[];
  exportFrozen: boolean;
  readyIsPromise: boolean;
  readyFrozen: boolean;
  readyValue: string;
  hookKeys: string[] | null;
  hooksAfterDispose: boolean;
}

async function main(): Promise<void> {
  const stub = createVscodeStub();
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const originalLoad = loader._load;
  loader._load = function (request, parent, isMain) {
    return request === 'vscode' ? stub : originalLoad.call(this, request, parent, isMain);
  };
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded after the vscode stub is in place */
  const extension = require('../../src/extension') as typeof import('../../src/extension');
  const { readTestHooks } = require('../../src/vscode/testHooks') as typeof import('../../src/vscode/testHooks');
  /* eslint-enable @typescript-eslint/no-require-imports */

  // A folder of its own: the extension looks for a running sandbox in its global storage.
  const context = createExtensionContext(fs.mkdtempSync(path.join(os.tmpdir(), 'testnet-desk-activate-'))) as {
    extensionMode: number;
    subscriptions: { dispose(): unknown }[];
  };
  context.extensionMode = Number(process.argv[2]);
  const exported = extension.activate(context as never);
  const readyValue = await exported.ready;
  const hooks = readTestHooks();
  const outcome: ActivationOutcome = {
    exportKeys: Reflect.ownKeys(exported).map(String),
    exportFrozen: Object.isFrozen(exported),
    readyIsPromise: exported.ready instanceof Promise,
    readyFrozen: Object.isFrozen(exported.ready),
    readyValue: typeof readyValue,
    hookKeys: hooks ? Object.keys(hooks).sort() : null,
    hooksAfterDispose: false,
  };
  for (const disposable of context.subscriptions) disposable.dispose();
  extension.deactivate();
  outcome.hooksAfterDispose = readTestHooks() !== undefined;
  console.log(JSON.stringify(outcome));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
