/**
 * The places a request can go, and the one registry that says which hosts belong to which
 * environment. Environments are values this module owns: the three Binance ones are constants, a
 * local sandbox is made (once per loopback origin) by localSandbox. Every part of the core that is
 * handed an Environment resolves it here with canonicalEnvironment (its id read once, as a string)
 * and takes hosts only from the frozen object that comes back. An object a caller built (a spread
 * copy, a prototype chain, a proxy, a getter, an object changed later) can name an environment, but
 * it can never choose a host, so a key cannot reach a host of another environment.
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

/**
 * The loopback hosts a local sandbox may use, and the host each one is canonicalised to.
 * 'localhost' is a name that a resolver (or /etc/hosts) maps, possibly to ::1 where another
 * listener runs: it becomes 127.0.0.1, so the id and the socket a request reaches are the same.
 * [::1] is a socket of its own (a sandbox on [::1]:P is not the one on 127.0.0.1:P).
 */
const LOOPBACK_HOSTS: ReadonlyMap<string, string> = new Map([
  ['127.0.0.1', '127.0.0.1'],
  ['localhost', '127.0.0.1'],
  ['[::1]', '[::1]'],
]);

/** Every environment object the registry has handed out; one of these resolves without being read. */
const CANONICAL = new WeakSet<Environment>([SPOT_TESTNET, DEMO, LIVE]);
/** One frozen environment per local sandbox origin, so the same origin always yields the same object. */
const LOCAL_SANDBOXES = new Map<string, Environment>();

/**
 * The local sandbox environment for the exchange listening at `baseUrl` (http, a loopback host and
 * a port; nothing else). Only loopback addresses are accepted: the "local" environment must never
 * be a way to point a key at an arbitrary host.
 */
export function localSandbox(baseUrl: string): Environment {
  const fix = 'Use http://127.0.0.1:PORT (loopback only, with a port, nothing after it).';
  if (typeof baseUrl !== 'string') throw new EnvironmentError(`A local sandbox address must be a string. ${fix}`);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new EnvironmentError(`"${baseUrl}" is not a URL. A local sandbox URL looks like http://127.0.0.1:PORT.`);
  }
  const host = LOOPBACK_HOSTS.get(url.hostname);
  const extras = url.username || url.password || url.search || url.hash || url.pathname !== '/';
  if (url.protocol !== 'http:' || host === undefined || url.port === '' || extras) {
    throw new EnvironmentError(`"${baseUrl}" is not a local sandbox address. ${fix}`);
  }
  const origin = `http://${host}:${url.port}`;
  const id = `local@${origin}`;
  const known = LOCAL_SANDBOXES.get(id);
  if (known) return known;
  const environment: Environment = Object.freeze({
    kind: 'local',
    id,
    label: `Local sandbox (${url.port})`,
    restBaseUrl: origin,
    wsApiUrl: `ws://${host}:${url.port}/ws-api/v3`,
    streamUrl: `ws://${host}:${url.port}/ws`,
    resetsPeriodically: false,
  });
  LOCAL_SANDBOXES.set(id, environment);
  CANONICAL.add(environment);
  return environment;
}

export const BINANCE_ENVIRONMENTS: readonly Environment[] = Object.freeze([SPOT_TESTNET, DEMO, LIVE]);

/**
 * Resolves an environment id as stored beside a credential ("testnet", "local@http://127.0.0.1:PORT")
 * to the registry's own frozen object.
 */
export function environmentFromId(id: string): Environment {
  if (typeof id !== 'string') throw new EnvironmentError(`An environment id must be a string; got ${typeof id}.`);
  const known = BINANCE_ENVIRONMENTS.find((env) => env.id === id);
  if (known) return known;
  if (id.startsWith('local@')) return localSandbox(id.slice('local@'.length));
  throw new EnvironmentError(
    `Unknown environment "${id}". Expected testnet, demo, live or local@http://127.0.0.1:PORT.`,
  );
}

/**
 * The canonical environment that `environment` names: the registry's frozen object for its id.
 * One of the registry's own objects is returned as is. Of any other object only `id` is read,
 * exactly once (a getter or proxy may answer differently on each read), and nothing else of it is
 * used: its hosts, label and kind are the registry's.
 */
export function canonicalEnvironment(environment: Environment | string): Environment {
  if (typeof environment === 'string') return environmentFromId(environment);
  if (typeof environment !== 'object' || environment === null) {
    throw new EnvironmentError(
      'No environment was given. Choose Spot Testnet, Demo, Live or a local sandbox (local@http://127.0.0.1:PORT).',
    );
  }
  if (CANONICAL.has(environment)) return environment;
  let id: unknown;
  try {
    id = environment.id;
  } catch {
    throw new EnvironmentError("The environment's id could not be read. Pass one of the core's environments.");
  }
  if (typeof id !== 'string') {
    throw new EnvironmentError(
      `An environment is named by its id (testnet, demo, live or local@http://127.0.0.1:PORT); this one has a ${typeof id}.`,
    );
  }
  return environmentFromId(id);
}

/** Whether `a` and `b` name the same environment (compared by canonical id, never by host or object). */
export function sameEnvironment(a: Environment, b: Environment): boolean {
  return canonicalEnvironment(a).id === canonicalEnvironment(b).id;
}

export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}
