// Our own minimal program: one signed GET /api/v3/account through SpotClient + FetchTransport, the
// apples-to-apples counterpart of the two library entries (the extension bundle carries the UI too).
import { SpotClient } from '../../src/core/client';
import { Credential } from '../../src/core/credentials';
import { localSandbox } from '../../src/core/environments';
import { FetchTransport } from '../../src/core/fetchTransport';

export async function account(apiKey: string, secret: string, baseUrl: string): Promise<unknown> {
  const environment = localSandbox(baseUrl);
  const credential = Credential.create({ id: 'bench', label: 'bench', environment, keyType: 'hmac', apiKey, secret });
  const client = new SpotClient({ environment, transport: new FetchTransport(), credential: () => credential });
  return client.account();
}
