/**
 * keys.json: the data folder's HMAC and Ed25519 keys of the default account. They belong to the
 * folder, not to a run, so a bot configured once keeps working after every restart. Written once,
 * atomically, readable by the owner only (0600); a damaged file is refused, never replaced.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { API_KEY_FORMAT, randomKeyString } from '../auth';
import { writeFileAtomic } from './atomicFile';
import { ExitCode, ServiceError } from './exitCodes';

export const KEYS_FORMAT_VERSION = 1;

export interface SandboxKeys {
  readonly hmac: { readonly apiKey: string; readonly secret: string };
  readonly ed25519: { readonly apiKey: string; readonly privateKeyPem: string };
}

export function generateKeys(): SandboxKeys {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    hmac: { apiKey: randomKeyString(), secret: randomKeyString() },
    ed25519: {
      apiKey: randomKeyString(),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  };
}

/** The folder's keys; generated and written on first use. `created` says which. */
export function loadOrCreateKeys(file: string): { keys: SandboxKeys; created: boolean } {
  if (existsSync(file)) return { keys: readKeys(file), created: false };
  const keys = generateKeys();
  writeFileAtomic(file, `${JSON.stringify({ version: KEYS_FORMAT_VERSION, ...keys }, null, 2)}\n`, 0o600);
  return { keys, created: true };
}

export function readKeys(file: string): SandboxKeys {
  const damaged = (why: string): ServiceError =>
    new ServiceError(
      `${file} is damaged (${why}). Nothing was changed. Restore it from a backup, or delete it to get new keys ` +
        '(bots configured with the old keys then stop working).',
      ExitCode.dataDirUnusable,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw damaged((error as Error).message);
  }
  const { version, hmac, ed25519 } = (parsed ?? {}) as Record<string, Record<string, unknown> | undefined>;
  if ((version as unknown) !== KEYS_FORMAT_VERSION)
    throw damaged(`format version ${JSON.stringify(version)}, expected ${KEYS_FORMAT_VERSION}`);
  const text = (value: unknown, name: string): string => {
    if (typeof value !== 'string' || value === '') throw damaged(`${name} is missing`);
    return value;
  };
  const keys: SandboxKeys = {
    hmac: { apiKey: text(hmac?.apiKey, 'hmac.apiKey'), secret: text(hmac?.secret, 'hmac.secret') },
    ed25519: {
      apiKey: text(ed25519?.apiKey, 'ed25519.apiKey'),
      privateKeyPem: text(ed25519?.privateKeyPem, 'ed25519.privateKeyPem'),
    },
  };
  if (!API_KEY_FORMAT.test(keys.hmac.apiKey) || !API_KEY_FORMAT.test(keys.ed25519.apiKey))
    throw damaged('an API key is not alphanumeric');
  let type: string | undefined;
  try {
    type = createPrivateKey(keys.ed25519.privateKeyPem).asymmetricKeyType;
  } catch {
    type = undefined;
  }
  if (type !== 'ed25519') throw damaged('ed25519.privateKeyPem is not an Ed25519 private key');
  tightenMode(file);
  return keys;
}

/** A copied or restored keys.json may be readable by others: make it the owner's again. */
function tightenMode(file: string): void {
  if (process.platform === 'win32') return;
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}
