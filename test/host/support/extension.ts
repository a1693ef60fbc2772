// Helpers shared by the extension-host tests: find our extension, activate it once, and reach the
// test hooks it publishes in ExtensionMode.Test (src/vscode/testHooks.ts). The hooks are not the
// extension's exports: those are a frozen `{ ready }` that any extension can read.
import * as vscode from 'vscode';
import { readTestHooks, type TestnetDeskTestHooks } from '../../../src/vscode/testHooks';

// package.json `publisher`.`name`
export const EXTENSION_ID = 'testnet-desk.testnet-desk';

/** Activates the extension (idempotent), waits until its keys are loaded, returns the test hooks. */
export async function activateExtension(): Promise<TestnetDeskTestHooks> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this extension host`);
  await ext.activate();
  const hooks = readTestHooks();
  if (!hooks)
    throw new Error(
      `${EXTENSION_ID} published no test hooks: it runs them only in ExtensionMode.Test, i.e. loaded through ` +
        'extensionDevelopmentPath together with extensionTestsPath (scripts/run-host-tests.ts does both)',
    );
  await hooks.ready;
  return hooks;
}
