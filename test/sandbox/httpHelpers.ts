/**
 * A tiny, deliberately independent REST client for sandbox tests: raw node:http on 127.0.0.1, its
 * own percent-encoding and signing, so the tests control every byte that is sent.
 */
import { createHmac, KeyObject, sign as cryptoSign } from 'node:crypto';
import { request } from 'node:http';

export type Creds =
  | { kind: 'hmac'; apiKey: string; secret: string }
  | { kind: 'ed25519' | 'rsa'; apiKey: string; privateKey: string | KeyObject };

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** RFC 3986 percent-encoding (unreserved characters stay). */
export function enc(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function encode(params: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
    .join('&');
}

export function signPayload(creds: Creds, payload: string): string {
  const data = Buffer.from(payload, 'utf8');
  if (creds.kind === 'hmac') return createHmac('sha256', creds.secret).update(data).digest('hex');
  if (creds.kind === 'ed25519') return cryptoSign(null, data, creds.privateKey).toString('base64');
  return cryptoSign('sha256', data, creds.privateKey).toString('base64');
}

export function raw(
  baseUrl: string,
  method: string,
  pathAndQuery: string,
  options: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const url = new URL(baseUrl);
  if (url.hostname !== '127.0.0.1') throw new Error('tests only talk to 127.0.0.1');
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body !== undefined) {
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
      headers['Content-Length'] = Buffer.byteLength(options.body);
    }
    const req = request(
      { host: '127.0.0.1', port: Number(url.port), method, path: pathAndQuery, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export interface SignedOptions {
  /** Parameters for the query string (GET/DELETE: all of them). */
  params?: Record<string, string | number | boolean | undefined>;
  /** Parameters for a form body (POST); the signature then goes last in the body. */
  body?: Record<string, string | number | boolean | undefined>;
  timestamp?: number;
  recvWindow?: number;
  /** Replace the computed signature. */
  signature?: string;
  apiKeyHeader?: string | null;
}

/** Sends a SIGNED request the way the docs describe: payload = query string + body, signature last. */
export function signed(
  baseUrl: string,
  creds: Creds,
  method: string,
  path: string,
  options: SignedOptions = {},
): Promise<Reply> {
  const timing = { recvWindow: options.recvWindow, timestamp: options.timestamp ?? Date.now() };
  const useBody = options.body !== undefined;
  const query = encode(useBody ? (options.params ?? {}) : { ...options.params, ...timing });
  const body = useBody ? encode({ ...options.body, ...timing }) : '';
  const signature = enc(options.signature ?? signPayload(creds, query + body));
  const headers: Record<string, string> = {};
  if (options.apiKeyHeader !== null) headers['X-MBX-APIKEY'] = options.apiKeyHeader ?? creds.apiKey;
  if (useBody) {
    return raw(baseUrl, method, query ? `${path}?${query}` : path, { body: `${body}&signature=${signature}`, headers });
  }
  return raw(baseUrl, method, `${path}?${query}&signature=${signature}`, { headers });
}

export function get(
  baseUrl: string,
  path: string,
  params: Record<string, string | number | undefined> = {},
): Promise<Reply> {
  const query = encode(params);
  return raw(baseUrl, 'GET', query ? `${path}?${query}` : path);
}
