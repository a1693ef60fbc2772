/**
 * API keys and signature verification, written independently of src/core/signer.ts so the sandbox
 * catches signer bugs instead of sharing them.
 *
 * REST: the signature covers the raw, percent-encoded bytes as received (query string immediately
 * followed by the body, without the `signature` pair). WebSocket API: it covers the parameters sorted
 * by name as `name=value` joined by `&`, raw UTF-8, not percent-encoded.
 */
import {
  createHmac,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { Errors } from './errors';

export type KeyKind = 'hmac' | 'ed25519' | 'rsa';

export interface ApiKeyRecord {
  readonly apiKey: string;
  readonly accountId: number;
  readonly kind: KeyKind;
  readonly secret?: string;
  readonly publicKey?: KeyObject;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 64 alphanumeric characters, the shape of real Binance keys and HMAC secrets. */
export function randomKeyString(length = 64): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += KEY_ALPHABET[b % KEY_ALPHABET.length];
  return out;
}

/** API keys are alphanumeric; anything else is a "format invalid" key. */
export const API_KEY_FORMAT = /^[A-Za-z0-9]{1,256}$/;

export class KeyStore {
  private readonly keys = new Map<string, ApiKeyRecord>();

  get(apiKey: string): ApiKeyRecord | undefined {
    return this.keys.get(apiKey);
  }

  addHmac(accountId: number, apiKey = randomKeyString(), secret = randomKeyString()): ApiKeyRecord {
    return this.add({ apiKey, accountId, kind: 'hmac', secret });
  }

  /** Registers an Ed25519 or RSA public key (any format node:crypto reads, e.g. SPKI PEM). */
  addPublicKey(accountId: number, publicKey: string | KeyObject, apiKey = randomKeyString()): ApiKeyRecord {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    const type = key.asymmetricKeyType;
    if (type !== 'ed25519' && type !== 'rsa')
      throw new Error(`unsupported public key type ${type}; use Ed25519 or RSA`);
    return this.add({ apiKey, accountId, kind: type, publicKey: key });
  }

  /** Every API key known here (to tell the key registry which keys this data folder holds). */
  apiKeys(): IterableIterator<string> {
    return this.keys.keys();
  }

  /** Forgets a key (an imported or reset state no longer has the account it was made for). */
  remove(apiKey: string): void {
    this.keys.delete(apiKey);
  }

  /** A fresh Ed25519 key pair registered for the account; returns the private key as PKCS#8 PEM. */
  generateEd25519(accountId: number): { record: ApiKeyRecord; privateKeyPem: string } {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const record = this.addPublicKey(accountId, publicKey);
    return { record, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  }

  private add(record: ApiKeyRecord): ApiKeyRecord {
    if (!API_KEY_FORMAT.test(record.apiKey)) throw new Error('API keys must be alphanumeric');
    if (this.keys.has(record.apiKey)) throw new Error('duplicate API key');
    this.keys.set(record.apiKey, record);
    return record;
  }
}

const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** HMAC key objects, made once per key record (importing the secret on every request costs more than the MAC). */
const hmacKeys = new WeakMap<ApiKeyRecord, KeyObject>();

function hmacKey(record: ApiKeyRecord): KeyObject {
  let key = hmacKeys.get(record);
  if (!key) {
    key = createSecretKey(Buffer.from(record.secret ?? '', 'utf8'));
    hmacKeys.set(record, key);
  }
  return key;
}

/** Verifies `signature` (already percent-decoded) over `payload` bytes with the key's algorithm. */
export function verifySignature(record: ApiKeyRecord, payload: Buffer, signature: string): boolean {
  try {
    if (record.kind === 'hmac') {
      // HMAC signatures are hex and not case-sensitive.
      if (!HEX_SIGNATURE.test(signature)) return false;
      const expected = createHmac('sha256', hmacKey(record)).update(payload).digest();
      return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
    }
    if (!BASE64.test(signature) || signature.length % 4 !== 0) return false;
    const bytes = Buffer.from(signature, 'base64');
    if (record.kind === 'ed25519') {
      return bytes.length === 64 && verify(null, payload, record.publicKey!, bytes);
    }
    // RSASSA-PKCS1-v1_5 with SHA-256 (node's default padding for RSA keys).
    return verify('sha256', payload, record.publicKey!, bytes);
  } catch {
    return false;
  }
}

/** WebSocket API payload: params sorted by name, signature excluded, raw UTF-8 values. */
export function wsPayload(params: Record<string, unknown>): Buffer {
  const text = Object.keys(params)
    .filter((name) => name !== 'signature' && params[name] !== undefined && params[name] !== null)
    .sort()
    .map((name) => `${name}=${wsValue(params[name])}`)
    .join('&');
  return Buffer.from(text, 'utf8');
}

function wsValue(value: unknown): string {
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Before this (2017-01-01) a timestamp is refused as outside the window. */
const MIN_TIMESTAMP = 1483228800000;

/**
 * A signed request's timestamp (ms, or µs above 1e14) against the server clock: -1021 when it is
 * a second or more ahead, or older than its recvWindow (ms).
 */
export function checkTimestamp(timestamp: number, windowMs: number, serverTime: number): void {
  const tsMs = timestamp > 1e14 ? timestamp / 1000 : timestamp;
  if (tsMs >= serverTime + 1000) throw Errors.timestampAhead();
  if (serverTime - tsMs > windowMs || tsMs < MIN_TIMESTAMP) throw Errors.timestampOutside();
}
