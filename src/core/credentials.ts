import { createPrivateKey, KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { canonicalEnvironment, Environment, EnvironmentError, environmentFromId } from './environments';
import { maskApiKey } from './redact';

export type KeyType = 'hmac' | 'ed25519' | 'rsa';
export const KEY_TYPES: readonly KeyType[] = ['ed25519', 'hmac', 'rsa'];

export interface CredentialInput {
  id: string;
  label: string;
  environment: Environment;
  keyType: KeyType;
  apiKey: string;
  /** HMAC secret key; required for `hmac`, refused for the other types. */
  secret?: string;
  /** PKCS#8 PEM private key; required for `ed25519` and `rsa`, refused for `hmac`. */
  privateKeyPem?: string;
}

/** What SecretStorage holds for one credential: the only serialised form that contains the secret. */
export interface StoredCredential {
  version: 1;
  id: string;
  label: string;
  environmentId: string;
  keyType: KeyType;
  apiKey: string;
  secret?: string;
  privateKeyPem?: string;
}

export class CredentialError extends Error {
  override readonly name = 'CredentialError';
}

/**
 * An API key bound to exactly one environment. The environment is part of the credential's
 * identity: it is fixed at construction, there is no setter and no way to copy a credential into
 * another environment (a different environment means a different key, created by the user there).
 * The credential holds the registry's canonical, frozen environment (environments.ts), whatever
 * object it was created with, so nothing done to that object later can move the key.
 *
 * The secret lives in a private field, so JSON.stringify, util.inspect, template strings and error
 * messages can only ever see the masked form. Only Credential.create makes one (no subclass, no
 * copy): the Signer signs with nothing else (isCredential).
 */
export class Credential {
  readonly id: string;
  readonly label: string;
  readonly keyType: KeyType;
  readonly #environment: Environment;
  readonly #apiKey: string;
  readonly #hmacSecret: Buffer | undefined;
  readonly #privateKey: KeyObject | undefined;
  readonly #privateKeyPem: string | undefined;

  private constructor(input: CredentialInput, privateKey: KeyObject | undefined) {
    // A subclass could override what the Signer reads; only create() constructs a Credential.
    if (new.target !== Credential) throw new CredentialError('Credential cannot be subclassed.');
    this.id = input.id;
    this.label = input.label;
    this.#environment = input.environment;
    this.keyType = input.keyType;
    this.#apiKey = input.apiKey;
    this.#hmacSecret = input.secret === undefined ? undefined : Buffer.from(input.secret, 'utf8');
    this.#privateKey = privateKey;
    this.#privateKeyPem = input.privateKeyPem;
    Object.freeze(this);
  }

  /**
   * Whether `value` is a Credential made by create(): not a copy, a proxy, an object chained onto
   * one or a look-alike (private fields are neither copied, inherited nor seen through a proxy).
   */
  static isCredential(value: unknown): value is Credential {
    return typeof value === 'object' && value !== null && #apiKey in value;
  }

  /** The canonical environment (from the registry) this key belongs to. */
  get environment(): Environment {
    return this.#environment;
  }

  /** Validates the input and returns a credential, or throws a CredentialError saying what to fix. */
  static create(raw: CredentialInput): Credential {
    // Input may come from untyped places (a command's args, SecretStorage JSON): never assume strings.
    const text = (value: unknown): string | undefined => (typeof value === 'string' ? value.trim() : undefined);
    const input: CredentialInput = {
      ...raw,
      label: text(raw.label) ?? '',
      apiKey: text(raw.apiKey) ?? '',
      secret: text(raw.secret),
      privateKeyPem: text(raw.privateKeyPem),
    };
    // Resolved once, here: the key is bound to the registry's environment, never to the object given.
    input.environment = taggedEnvironment(input.environment);
    if (!input.id) throw new CredentialError('A credential needs an id.');
    if (!input.label) throw new CredentialError('Give the key a label, for example "testnet bot".');
    validateApiKey(input.apiKey);
    let privateKey: KeyObject | undefined;
    switch (input.keyType) {
      case 'hmac':
        if (!input.secret)
          throw new CredentialError(
            'An HMAC key needs its secret key. Paste the secret Binance showed when the key was created.',
          );
        if (input.privateKeyPem)
          throw new CredentialError(
            'An HMAC key has a secret, not a private key PEM. Choose Ed25519 or RSA for a PEM key.',
          );
        if (/\s/.test(input.secret))
          throw new CredentialError('The secret key contains spaces or line breaks. Paste it again as one line.');
        break;
      case 'ed25519':
      case 'rsa':
        if (input.secret)
          throw new CredentialError(`An ${input.keyType} key is signed with a private key PEM, not a secret string.`);
        if (!input.privateKeyPem)
          throw new CredentialError(
            `An ${input.keyType} key needs its private key in PEM form (-----BEGIN PRIVATE KEY-----).`,
          );
        privateKey = parsePrivateKey(input.keyType, input.privateKeyPem);
        break;
      default:
        throw new CredentialError(`Unknown key type "${String(input.keyType)}". Use hmac, ed25519 or rsa.`);
    }
    return new Credential(input, privateKey);
  }

  static fromStored(stored: StoredCredential): Credential {
    if (stored.version !== 1)
      throw new CredentialError(`Stored credential has unsupported version ${String(stored.version)}.`);
    return Credential.create({
      id: stored.id,
      label: stored.label,
      environment: environmentFromId(stored.environmentId),
      keyType: stored.keyType,
      apiKey: stored.apiKey,
      secret: stored.secret,
      privateKeyPem: stored.privateKeyPem,
    });
  }

  /** The full API key, for the X-MBX-APIKEY header only. */
  get apiKey(): string {
    return this.#apiKey;
  }

  get maskedApiKey(): string {
    return maskApiKey(this.#apiKey);
  }

  /** A copy with a new label; the environment and key material stay exactly the same. */
  withLabel(label: string): Credential {
    return Credential.create({ ...this.#input(), label });
  }

  /** The form written to SecretStorage, and nowhere else. */
  toStored(): StoredCredential {
    return {
      version: 1,
      id: this.id,
      label: this.label,
      environmentId: this.environment.id,
      keyType: this.keyType,
      apiKey: this.#apiKey,
      secret: this.#hmacSecret?.toString('utf8'),
      privateKeyPem: this.#privateKeyPem,
    };
  }

  /** Used by the signer only. */
  hmacSecret(): Buffer {
    if (!this.#hmacSecret) throw new CredentialError(`Key "${this.label}" is not an HMAC key.`);
    return this.#hmacSecret;
  }

  /** Used by the signer only. */
  privateKey(): KeyObject {
    if (!this.#privateKey) throw new CredentialError(`Key "${this.label}" has no private key.`);
    return this.#privateKey;
  }

  describe(): string {
    return `"${this.label}" (${this.keyType}, ${this.maskedApiKey}, ${this.environment.label})`;
  }

  toJSON(): object {
    return {
      id: this.id,
      label: this.label,
      environment: this.environment.id,
      keyType: this.keyType,
      apiKey: this.maskedApiKey,
    };
  }

  toString(): string {
    return `Credential ${this.describe()}`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  #input(): CredentialInput {
    return {
      id: this.id,
      label: this.label,
      environment: this.#environment,
      keyType: this.keyType,
      apiKey: this.#apiKey,
      secret: this.#hmacSecret?.toString('utf8'),
      privateKeyPem: this.#privateKeyPem,
    };
  }
}

function taggedEnvironment(environment: Environment): Environment {
  try {
    return canonicalEnvironment(environment);
  } catch (error) {
    const why = error instanceof EnvironmentError ? ` ${error.message}` : '';
    throw new CredentialError(
      `A key must be tagged with exactly one environment (Spot Testnet, Demo, Live or a local sandbox).${why}`,
    );
  }
}

function validateApiKey(apiKey: string): void {
  if (!apiKey) throw new CredentialError('The API key is empty. Paste the API key Binance shows for this key.');
  if (apiKey.length > 256)
    throw new CredentialError(
      'The API key is longer than 256 characters. Did you paste the secret or a PEM instead of the API key?',
    );
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new CredentialError(
      'The API key contains spaces, line breaks or non-ASCII characters. Paste only the key itself.',
    );
  }
  if (apiKey.includes('-----BEGIN'))
    throw new CredentialError(
      'That looks like a PEM key, not an API key. Paste the API key Binance generated when you registered the public key.',
    );
}

function parsePrivateKey(keyType: 'ed25519' | 'rsa', pem: string): KeyObject {
  if (!pem.includes('-----BEGIN')) {
    throw new CredentialError(
      `The ${keyType} private key is not in PEM form. It starts with "-----BEGIN PRIVATE KEY-----".`,
    );
  }
  if (pem.includes('PUBLIC KEY-----')) {
    throw new CredentialError(
      'That is a public key. Binance keeps the public key; paste the private key here (-----BEGIN PRIVATE KEY-----).',
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The parser's message may quote key material; say what to do instead.
    throw new CredentialError(
      `The ${keyType} private key could not be read. Paste the whole PKCS#8 PEM file, including the BEGIN and END lines.`,
    );
  }
  if (key.asymmetricKeyType !== keyType) {
    throw new CredentialError(
      `The PEM holds an ${String(key.asymmetricKeyType)} key, but the key type chosen is ${keyType}.`,
    );
  }
  if (keyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048 || bits > 4096) {
      throw new CredentialError(
        `Binance accepts RSA keys of 2048 to 4096 bits; this one has ${bits}. Generate a 2048-bit key.`,
      );
    }
  }
  return key;
}
