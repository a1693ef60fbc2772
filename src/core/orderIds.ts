/**
 * Client order ids. The REST docs give no character rule; the FIX docs require
 * ^[a-zA-Z0-9-_]{1,36}$, and using the stricter rule everywhere keeps an id valid on every API.
 */
export const CLIENT_ORDER_ID_PATTERN = /^[a-zA-Z0-9_-]{1,36}$/;
export const CLIENT_ORDER_ID_MAX_LENGTH = 36;
export const DEFAULT_CLIENT_ORDER_ID_PREFIX = 'td-';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class ClientOrderIdError extends Error {
  override readonly name = 'ClientOrderIdError';
}

/**
 * A fresh id: prefix + random base62 characters (22 by default, ~131 bits), so a retried or
 * reconciled order can be found again by this id and two orders never share one.
 */
export function generateClientOrderId(prefix: string = DEFAULT_CLIENT_ORDER_ID_PREFIX, randomLength = 22): string {
  if (prefix !== '' && !/^[a-zA-Z0-9_-]+$/.test(prefix)) {
    throw new ClientOrderIdError(`Client order id prefix "${prefix}" may only contain letters, digits, "-" and "_".`);
  }
  const length = Math.min(randomLength, CLIENT_ORDER_ID_MAX_LENGTH - prefix.length);
  if (length < 8)
    throw new ClientOrderIdError(
      `Client order id prefix "${prefix}" is too long; keep it under ${CLIENT_ORDER_ID_MAX_LENGTH - 8} characters.`,
    );
  // Rejection sampling keeps every character equally likely. Web Crypto (global in Node 20 and in
  // browsers) so that the market panel's webview can name its orders with the same function.
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return prefix + out;
}

export function isValidClientOrderId(id: unknown): id is string {
  return typeof id === 'string' && CLIENT_ORDER_ID_PATTERN.test(id);
}

/** The problem with `id` in words, or undefined when it is valid. */
export function clientOrderIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string') return 'The client order id must be text.';
  if (id.length === 0) return 'The client order id is empty.';
  if (id.length > CLIENT_ORDER_ID_MAX_LENGTH)
    return `The client order id has ${id.length} characters; at most ${CLIENT_ORDER_ID_MAX_LENGTH} are allowed.`;
  if (!CLIENT_ORDER_ID_PATTERN.test(id)) return 'The client order id may only contain letters, digits, "-" and "_".';
  return undefined;
}

export function assertValidClientOrderId(id: unknown): asserts id is string {
  const problem = clientOrderIdProblem(id);
  if (problem) throw new ClientOrderIdError(problem);
}
