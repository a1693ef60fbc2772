/**
 * The process environment for a bot started with F5 (Run and Debug), from the active environment
 * and key; nothing is written to disk. A launch configuration asks for it with a `testnetDesk`
 * property; the secret goes in only with `"includeSecret": true` there. Live only when Live
 * trading is enabled. Pure (no `vscode`).
 */
import { canonicalEnvironment } from '../core/environments';
import { botEnvVariables, type BotEnvInput } from './botEnv';

export interface DebugEnvRequest {
  readonly includeSecret: boolean;
}

/**
 * The launch configuration's `testnetDesk` property: `true`, or `{ "includeSecret": true|false }`.
 * Absent or false: undefined (the configuration is left alone). Anything else: a message.
 */
export function readDebugEnvRequest(value: unknown): DebugEnvRequest | undefined | string {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { includeSecret: false };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { includeSecret, ...rest } = value as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0)
      return `"testnetDesk" has no option ${unknown.map((k) => `"${k}"`).join(', ')}: use { "includeSecret": true } or true.`;
    if (includeSecret !== undefined && typeof includeSecret !== 'boolean')
      return '"testnetDesk.includeSecret" must be true or false.';
    return { includeSecret: includeSecret === true };
  }
  return '"testnetDesk" in the launch configuration must be true or { "includeSecret": true }.';
}

export class DebugEnvRefused extends Error {
  override readonly name = 'DebugEnvRefused';
}

/**
 * The variables to merge into the configuration's `env`. `input` carries the secret only when the
 * request asked for it (the caller reads it from secret storage only then).
 */
export function debugEnvironment(input: BotEnvInput, canTrade: boolean): Record<string, string> {
  if (canonicalEnvironment(input.environment).kind === 'live' && !canTrade)
    throw new DebugEnvRefused(
      'The active environment is Live and Live trading is off ("testnetDesk.live.allowTrading"): a bot started from here gets no Live key. Switch to Spot Testnet or a local sandbox.',
    );
  return Object.fromEntries(botEnvVariables(input));
}
