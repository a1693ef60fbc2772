/**
 * `.env` lines a trading bot can use to talk to the same environment as the extension. Pure (no
 * `vscode`). The secret is added only when the caller passes it (after the user confirmed).
 */
import { canonicalEnvironment, type Environment } from '../core/environments';
import type { KeyType } from '../core/credentials';

export interface BotEnvInput {
  environment: Environment;
  label?: string;
  keyType?: KeyType;
  apiKey?: string;
  /** HMAC secret; included only after an explicit confirmation. */
  secret?: string;
  /** Ed25519/RSA private key PEM; included only after an explicit confirmation. */
  privateKeyPem?: string;
}

export function botEnvLines(input: BotEnvInput): string {
  // The lines pair a key with hosts: the hosts are the registry's, never those of the object passed.
  const environment = canonicalEnvironment(input.environment);
  const lines = [
    `# Binance ${environment.label} settings copied from Testnet Desk${input.label ? ` (key "${input.label}")` : ''}`,
    `BINANCE_ENV=${envName(environment)}`,
    `BINANCE_REST_BASE_URL=${environment.restBaseUrl}`,
    `BINANCE_WS_API_URL=${environment.wsApiUrl}`,
  ];
  if (input.keyType) lines.push(`BINANCE_KEY_TYPE=${input.keyType}`);
  if (input.apiKey) lines.push(`BINANCE_API_KEY=${input.apiKey}`);
  if (input.secret) lines.push(`BINANCE_API_SECRET=${input.secret}`);
  if (input.privateKeyPem) lines.push(`BINANCE_PRIVATE_KEY="${input.privateKeyPem.trim().replace(/\r?\n/g, '\\n')}"`);
  return `${lines.join('\n')}\n`;
}

/** testnet | demo | live | local */
function envName(environment: Environment): string {
  return environment.kind;
}
