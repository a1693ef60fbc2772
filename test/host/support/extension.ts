// Helpers shared by the extension-host tests: find our extension and activate it once.
import * as vscode from 'vscode';

// package.json `publisher`.`name`
export const EXTENSION_ID = 'testnet-desk.testnet-desk';

/** Activates the extension (idempotent) and returns what `activate()` returned (the test API). */
export async function activateExtension<T = unknown>(): Promise<T> {
  const ext = vscode.extensions.getExtension<T>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this extension host`);
  return ext.isActive ? ext.exports : await ext.activate();
}
