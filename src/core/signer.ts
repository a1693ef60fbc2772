import { createHmac, sign as cryptoSign } from 'node:crypto';
import { Credential, KeyType } from './credentials';
import { encodeParams, Params, percentEncode, wsSignaturePayload } from './encoding';
import { Environment, sameEnvironment } from './environments';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * A request as the client describes it: where it is meant to go (an environment, never a host),
 * which endpoint, which parameters. The URL is derived later from the signing credential.
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

/** Throws EnvironmentMismatchError unless the credential belongs to `environment`. */
export function assertCredentialFor(credential: Credential, environment: Environment): void {
  if (!sameEnvironment(credential.environment, environment)) {
    throw new EnvironmentMismatchError(credential.label, credential.environment, environment, credential.maskedApiKey);
  }
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
 * The only code that signs. It holds one credential and derives every URL from that credential's
 * environment, so the host of a signed request cannot come from anywhere else; a request that says
 * it is for another environment is refused before a single byte is built.
 */
export class Signer {
  constructor(readonly credential: Credential) {}

  get environment(): Environment {
    return this.credential.environment;
  }

  /**
   * Builds a SIGNED REST request. GET and DELETE carry everything in the query string; POST and PUT
   * carry the parameters in a form body. The payload is percent-encoded first and the signature is
   * computed over the exact bytes that are sent (query string + body), then appended last.
   */
  signRest(request: RestRequest, time: SigningTime): PreparedRequest {
    assertCredentialFor(this.credential, request.environment);
    validatePath(request.path);
    if (!(time.recvWindow > 0 && time.recvWindow <= MAX_RECV_WINDOW_MS)) {
      throw new SignerError(`recvWindow must be between 1 and ${MAX_RECV_WINDOW_MS} ms; got ${time.recvWindow}.`);
    }
    const params = { ...request.params, recvWindow: time.recvWindow, timestamp: time.timestamp };
    delete (params as Record<string, unknown>).signature;
    const encoded = encodeParams(params);
    const signature = percentEncode(signPayload(this.credential.keyType, this.credential, encoded));
    const base = `${this.environment.restBaseUrl}${request.path}`;
    const headers = { 'X-MBX-APIKEY': this.credential.apiKey };
    if (request.method === 'GET' || request.method === 'DELETE') {
      return {
        environment: this.environment,
        method: request.method,
        path: request.path,
        url: `${base}?${encoded}&signature=${signature}`,
        headers,
      };
    }
    return {
      environment: this.environment,
      method: request.method,
      path: request.path,
      url: base,
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `${encoded}&signature=${signature}`,
    };
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
    assertCredentialFor(this.credential, environment);
    const withKey: Record<string, string | number | boolean> = {};
    const all: Params = { ...params, apiKey: this.credential.apiKey, timestamp: time.timestamp };
    for (const [name, value] of Object.entries(all)) {
      if (value === undefined || name === 'signature') continue;
      withKey[name] = typeof value === 'bigint' ? String(value) : value;
    }
    const signature = signPayload(this.credential.keyType, this.credential, wsSignaturePayload(withKey));
    return { ...withKey, signature };
  }
}

/** Builds an unsigned (security type NONE) request; the URL comes from the environment. */
export function publicRequest(request: RestRequest): PreparedRequest {
  validatePath(request.path);
  const query = encodeParams(request.params ?? {});
  const base = `${request.environment.restBaseUrl}${request.path}`;
  return {
    environment: request.environment,
    method: request.method,
    path: request.path,
    url: query ? `${base}?${query}` : base,
    headers: {},
  };
}

function validatePath(path: string): void {
  // A path is appended to the environment's origin; it must not be able to change the host.
  if (!/^\/api\/v3\/[A-Za-z/]+$/.test(path)) {
    throw new SignerError(`"${path}" is not a Spot API path (/api/v3/...).`);
  }
}
