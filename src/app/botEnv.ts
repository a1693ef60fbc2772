/**
 * The variables a trading bot needs to talk to the same environment as the extension: as `.env`
 * lines (Copy Environment Settings, Write Environment to .env) or as a process environment (a bot
 * started with F5). Pure (no `vscode`). The secret is added only when the caller passes it (after
 * the user confirmed, or opted in).
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

/** Every variable this extension writes, in the order it writes them. */
export const BOT_ENV_NAMES = [
  'BINANCE_ENV',
  'BINANCE_REST_BASE_URL',
  'BINANCE_WS_API_URL',
  'BINANCE_STREAM_URL',
  'BINANCE_KEY_TYPE',
  'BINANCE_API_KEY',
  'BINANCE_API_SECRET',
  'BINANCE_PRIVATE_KEY',
] as const;

export type BotEnvName = (typeof BOT_ENV_NAMES)[number];

/** The variables with their raw values (a PEM keeps its line breaks). */
export function botEnvVariables(input: BotEnvInput): [BotEnvName, string][] {
  // The variables pair a key with hosts: the hosts are the registry's, never those of the object passed.
  const environment = canonicalEnvironment(input.environment);
  const variables: [BotEnvName, string][] = [
    ['BINANCE_ENV', environment.kind],
    ['BINANCE_REST_BASE_URL', environment.restBaseUrl],
    ['BINANCE_WS_API_URL', environment.wsApiUrl],
    ['BINANCE_STREAM_URL', environment.streamUrl],
  ];
  if (input.keyType) variables.push(['BINANCE_KEY_TYPE', input.keyType]);
  if (input.apiKey) variables.push(['BINANCE_API_KEY', input.apiKey]);
  if (input.secret) variables.push(['BINANCE_API_SECRET', input.secret]);
  if (input.privateKeyPem) variables.push(['BINANCE_PRIVATE_KEY', input.privateKeyPem.trim()]);
  return variables;
}

/** The comment line above the variables. */
export function botEnvHeader(input: Pick<BotEnvInput, 'environment' | 'label'>): string {
  const environment = canonicalEnvironment(input.environment);
  return `# Binance ${environment.label} settings from Testnet Desk${input.label ? ` (key "${input.label}")` : ''}`;
}

export function botEnvLines(input: BotEnvInput): string {
  const lines = [botEnvHeader(input), ...botEnvVariables(input).map(([name, value]) => dotenvAssignment(name, value))];
  return `${lines.join('\n')}\n`;
}

/** `NAME=value`; a value other than plain URL/key characters is double-quoted with \n, \" and \\ escapes. */
export function dotenvAssignment(name: string, value: string): string {
  if (/^[A-Za-z0-9_./:@+=-]*$/.test(value)) return `${name}=${value}`;
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n');
  return `${name}="${escaped}"`;
}
