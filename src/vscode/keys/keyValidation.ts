import * as vscode from 'vscode';
import { Credential } from '../../core/credentials';
import { ClientFactory } from '../../app/exchange';

/**
 * Proves a key works before it is saved: ONE signed account call against the key's own
 * environment (the client is built for credential.environment, so the key cannot reach another
 * host). Throws the client's error unchanged; the caller presents it and saves nothing.
 */
export async function validateKey(credential: Credential, clients: ClientFactory): Promise<void> {
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking the key with ${credential.environment.label}…` },
    async () => {
      const client = clients(credential.environment, () => credential);
      await client.account({ omitZeroBalances: true });
    },
  );
}
