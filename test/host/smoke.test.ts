// Proves the harness: this file runs inside a real extension host, our extension is loaded from its
// packaged form, it activates, and the commands its manifest declares are registered.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension } from './support/extension';

describe('extension host smoke', () => {
  it('runs inside a VS Code extension host', () => {
    assert.ok(
      typeof vscode.version === 'string' && /^\d+\.\d+/.test(vscode.version),
      `vscode.version=${vscode.version}`,
    );
  });

  it('finds and activates the extension', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
    await activateExtension();
    assert.strictEqual(ext.isActive, true);
  });

  it('registers every command the manifest contributes', async () => {
    await activateExtension();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const declared: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(declared.length > 0, 'the manifest contributes no command');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });
});
