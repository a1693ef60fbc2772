// Helpers shared by the extension-host tests: find our extension, activate it once, and reach the
// test API that `activate()` returns (see TestnetDeskApi in src/extension.ts).
import * as vscode from 'vscode';
import type { TestnetDeskApi } from '../../../src/extension';

// package.json `publisher`.`name`
export const EXTENSION_ID = 'testnet-desk.testnet-desk';

/** Activates the extension (idempotent), waits until its keys are loaded, returns the test API. */
export async function activateExtension(): Promise<TestnetDeskApi> {
  const ext = vscode.extensions.getExtension<TestnetDeskApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this extension host`);
  const api = ext.isActive ? ext.exports : await ext.activate();
  if (!api || typeof api !== 'object' || !('store' in api)) throw new Error('activate() did not return the test API');
  await api.ready;
  return api;
}
