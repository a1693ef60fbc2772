import { createHmac, sign as cryptoSign } from 'node:crypto';
import { Credential, KeyType } from './credentials';
import { encodeParams, Params, percentEncode, wsSignaturePayload } from './encoding';
import { canonicalEnvironment, Environment } from './environments';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
const HTTP_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE'];

/**
 * A request as the client describes it: where it is meant to go (an environment, never a host),
 * which endpoint, which parameters. The URL is derived later from the registry's environment of
 * the signing credential (or, unsigned, of the environment the request names); each field is read
 * once.
 */
export interface RestRequest {
  readonly environment: Environment;
  readonly method: HttpMethod;
  /** Starts with /api/. */
  readonly path: string;
  readonly params?: Params;
}

/** Exactly what goes on the wire. Only the signer (signed) or publicRequest (unsigned) builds one. */
export interface PreparedRequest {
  /** The registry's canonical environment whose host `url` names. */
  readonly environment: Environment;
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** application/x-www-form-urlencoded body, for POST/PUT. */
  readonly body?: string;
  /** The path, for logs and metrics (no query string: that may carry a signature). */
  readonly path: string;
}

export interface SigningTime {
  /** Milliseconds since the epoch, already corrected for the server clock offset. */
  readonly timestamp: number;
  /** Milliseconds, at most 60000. */
  readonly recvWindow: number;
}

export const MAX_RECV_WINDOW_MS = 60_000;

/**
 * Thrown before any I/O when a request for one environment meets a credential of another. The
 * message names the key (masked), both environments and what to do; it never contains the secret.
 */
export class EnvironmentMismatchError extends Error {
  override readonly name = 'EnvironmentMismatchError';
  constructor(
    readonly credentialLabel: string,
    readonly credentialEnvironment: Environment,
    readonly requestEnvironment: Environment,
    maskedApiKey: string,
  ) {
    super(
      `Refused to sign: key "${credentialLabel}" (${maskedApiKey}) belongs to ${credentialEnvironment.label}, ` +
        `but this request is for ${requestEnvironment.label}. Nothing was sent. ` +
        `Switch to ${credentialEnvironment.label}, or add a key created for ${requestEnvironment.label}.`,
    );
  }
}

export class SignerError extends Error {
  override readonly name = 'SignerError';
}

/**
 * Throws unless `credential` is a genuine Credential (SignerError) that belongs to `environment`
 * (EnvironmentMismatchError, compared by canonical id). Returns the credential's canonical
 * environment: the only source of the hosts a request signed with it may go to.
 */
export function assertCredentialFor(credential: Credential, environment: Environment): Environment {
  const genuine = requireGenuine(credential);
  const own = genuine.environment;
  const requested = canonicalEnvironment(environment);
  if (own.id !== requested.id) {
    throw new EnvironmentMismatchError(genuine.label, own, requested, genuine.maskedApiKey);
  }
  return own;
}

function requireGenuine(credential: Credential): Credential {
  if (!Credential.isCredential(credential)) {
    throw new SignerError(
      'Refused to sign: the key handed to the signer is not a genuine Credential (a copy, proxy or look-alike ' +
        'object cannot sign; keys are made by Credential.create). Nothing was sent.',
    );
  }
  return credential;
}

/** Raw signature bytes → the text Binance expects (hex for HMAC, base64 otherwise). */
export function signPayload(keyType: KeyType, credential: Credential, payload: string): string {
  const data = Buffer.from(payload, 'utf8');
  switch (keyType) {
    case 'hmac':
      return createHmac('sha256', credential.hmacSecret()).update(data).digest('hex');
    case 'ed25519':
      return cryptoSign(null, data, credential.privateKey()).toString('base64');
    case 'rsa':
      // RSASSA-PKCS1-v1_5 with SHA-256 is node's default padding for RSA keys.
      return cryptoSign('sha256', data, credential.privateKey()).toString('base64');
  }
}

/**
 * The only code that signs. It holds one genuine Credential and derives every URL from that
 * credential's canonical environment (the registry's, see environments.ts), so the host of a signed
 * request cannot come from anywhere else; a request that says it is for another environment is
 * refused before a single byte is built.
 */
export class Signer {
  readonly #credential: Credential;
  readonly #environment: Environment;

  constructor(credential: Credential) {
    this.#credential = requireGenuine(credential);
    this.#environment = this.#credential.environment;
  }

  get credential(): Credential {
    return this.#credential;
  }

  get environment(): Environment {
    return this.#environment;
  }

  /**
   * Builds a SIGNED REST request. GET and DELETE carry everything in the query string; POST and PUT
   * carry the parameters in a form body. The payload is percent-encoded first and the signature is
   * computed over the exact bytes that are sent (query string + body), then appended last.
   */
  signRest(request: RestRequest, time: SigningTime): PreparedRequest {
    // Each field read once: a getter must not pass the checks with one value and build with another.
    const { environment, method, path, params: requested } = request;
    const { timestamp, recvWindow } = time;
    assertCredentialFor(this.#credential, environment);
    validateMethod(method);
    validatePath(path);
    if (!(recvWindow > 0 && recvWindow <= MAX_RECV_WINDOW_MS)) {
      throw new SignerError(`recvWindow must be between 1 and ${MAX_RECV_WINDOW_MS} ms; got ${recvWindow}.`);
    }
    const params = { ...requested, recvWindow, timestamp };
    delete (params as Record<string, unknown>).signature;
    const encoded = encodeParams(params);
    const signature = percentEncode(signPayload(this.#credential.keyType, this.#credential, encoded));
    const base = `${this.#environment.restBaseUrl}${path}`;
    const headers = { 'X-MBX-APIKEY': this.#credential.apiKey };
    if (method === 'GET' || method === 'DELETE') {
      return {
        environment: this.#environment,
        method,
        path,
        url: `${base}?${encoded}&signature=${signature}`,
        headers,
      };
    }
    return {
      environment: this.#environment,
      method,
      path,
      url: base,
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `${encoded}&signature=${signature}`,
    };
  }

  /**
   * The WebSocket API URL to send parameters signed for `environment` to: the credential's
   * canonical one, after the same check as signing (so nothing connects before a refusal).
   */
  wsApiUrl(environment: Environment): string {
    return assertCredentialFor(this.#credential, environment).wsApiUrl;
  }

  /**
   * Signs WebSocket API parameters (sorted, raw UTF-8, see encoding.ts) for `environment`. Returns
   * the parameters with apiKey and signature added.
   */
  signWsParams(
    environment: Environment,
    params: Params,
    time: { timestamp: number },
  ): Record<string, string | number | boolean> {
    assertCredentialFor(this.#credential, environment);
    const withKey: Record<string, string | number | boolean> = {};
    const all: Params = { ...params, apiKey: this.#credential.apiKey, timestamp: time.timestamp };
    for (const [name, value] of Object.entries(all)) {
      if (value === undefined || name === 'signature') continue;
      withKey[name] = typeof value === 'bigint' ? String(value) : value;
    }
    const signature = signPayload(this.#credential.keyType, this.#credential, wsSignaturePayload(withKey));
    return { ...withKey, signature };
  }
}

/** Builds an unsigned (security type NONE) request; the URL comes from the registry's environment. */
export function publicRequest(request: RestRequest): PreparedRequest {
  const { environment: named, method, path, params } = request;
  const environment = canonicalEnvironment(named);
  validateMethod(method);
  validatePath(path);
  const query = encodeParams(params ?? {});
  const base = `${environment.restBaseUrl}${path}`;
  return {
    environment,
    method,
    path,
    url: query ? `${base}?${query}` : base,
    headers: {},
  };
}

function validateMethod(method: HttpMethod): void {
  if (!HTTP_METHODS.includes(method))
    throw new SignerError(`"${String(method)}" is not an HTTP method the Spot API uses.`);
}

function validatePath(path: string): void {
  // A path is appended to the environment's origin; it must not be able to change the host. Only a
  // string: an object's toString could answer differently when the URL is built. Digits are paths
  // too (/api/v3/ticker/24hr); dots, colons and @ never are.
  if (typeof path !== 'string' || !/^\/api\/v3\/[A-Za-z0-9/]+$/.test(path)) {
    throw new SignerError(`"${path}" is not a Spot API path (/api/v3/...).`);
  }
}
