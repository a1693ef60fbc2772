/**
 * The four places a request can go. An environment owns its whole set of hosts: nothing else in
 * the code base may choose a host. Code that needs a URL asks the environment of the credential it
 * signs with (see signer.ts), so a key cannot reach a host of another environment.
 */

export type EnvironmentKind = 'testnet' | 'demo' | 'live' | 'local';

export interface Environment {
  readonly kind: EnvironmentKind;
  /**
   * Identity used for every "same environment?" check. The three Binance environments have one
   * identity each; every local sandbox (each port) is an environment of its own, so a key the
   * sandbox on one port generated is never sent to a sandbox on another port.
   */
  readonly id: string;
  readonly label: string;
  /** REST base URL without a trailing slash; paths start with /api/v3. */
  readonly restBaseUrl: string;
  readonly wsApiUrl: string;
  readonly streamUrl: string;
  /** Where a user creates or registers keys for this environment, if anywhere. */
  readonly keyManagementUrl?: string;
  /** Whether balances are periodically wiped by the operator (the Spot Testnet, monthly). */
  readonly resetsPeriodically: boolean;
}

// Hosts from ../shared/reference/binance-spot-api.md §1.1.
export const SPOT_TESTNET: Environment = Object.freeze({
  kind: 'testnet',
  id: 'testnet',
  label: 'Spot Testnet',
  restBaseUrl: 'https://testnet.binance.vision',
  wsApiUrl: 'wss://ws-api.testnet.binance.vision/ws-api/v3',
  streamUrl: 'wss://stream.testnet.binance.vision/ws',
  keyManagementUrl: 'https://testnet.binance.vision/',
  resetsPeriodically: true,
});

export const DEMO: Environment = Object.freeze({
  kind: 'demo',
  id: 'demo',
  label: 'Demo',
  restBaseUrl: 'https://demo-api.binance.com',
  wsApiUrl: 'wss://demo-ws-api.binance.com/ws-api/v3',
  streamUrl: 'wss://demo-stream.binance.com/ws',
  keyManagementUrl: 'https://demo.binance.com/en/my/settings/api-management',
  resetsPeriodically: false,
});

export const LIVE: Environment = Object.freeze({
  kind: 'live',
  id: 'live',
  label: 'Live',
  restBaseUrl: 'https://api.binance.com',
  wsApiUrl: 'wss://ws-api.binance.com:443/ws-api/v3',
  streamUrl: 'wss://stream.binance.com:9443/ws',
  keyManagementUrl: 'https://www.binance.com/en/my/settings/api-management',
  resetsPeriodically: false,
});

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A local sandbox environment for the exchange listening at `baseUrl`. Only loopback addresses are
 * accepted: the "local" environment must never be a way to point a key at an arbitrary host.
 */
export function localSandbox(baseUrl: string): Environment {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new EnvironmentError(`"${baseUrl}" is not a URL. A local sandbox URL looks like http://127.0.0.1:PORT.`);
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname) || url.port === '') {
    throw new EnvironmentError(
      `"${baseUrl}" is not a local sandbox address. Use http://127.0.0.1:PORT (loopback only, with a port).`,
    );
  }
  const origin = `http://${url.hostname}:${url.port}`;
  return Object.freeze({
    kind: 'local',
    id: `local@${origin}`,
    label: `Local sandbox (${url.port})`,
    restBaseUrl: origin,
    wsApiUrl: `ws://${url.hostname}:${url.port}/ws-api/v3`,
    streamUrl: `ws://${url.hostname}:${url.port}/ws`,
    resetsPeriodically: false,
  });
}

export const BINANCE_ENVIRONMENTS: readonly Environment[] = Object.freeze([SPOT_TESTNET, DEMO, LIVE]);

/** Resolves an environment id as stored beside a credential ("testnet", "local@http://127.0.0.1:PORT"). */
export function environmentFromId(id: string): Environment {
  const known = BINANCE_ENVIRONMENTS.find((env) => env.id === id);
  if (known) return known;
  if (id.startsWith('local@')) return localSandbox(id.slice('local@'.length));
  throw new EnvironmentError(
    `Unknown environment "${id}". Expected testnet, demo, live or local@http://127.0.0.1:PORT.`,
  );
}

export function sameEnvironment(a: Environment, b: Environment): boolean {
  return a.id === b.id;
}

export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}
