/**
 * The signed order both participants of the load section receive (REST form body and WebSocket API
 * params), signed like any client: HMAC-SHA256 over the form body / over the sorted params.
 * LIMIT IOC BUY at half the last price: it expires at once on an empty book, so the sandbox's book
 * stays empty and every order still goes through validation, matching and the order history.
 */
import { createHmac } from 'node:crypto';

export const LOAD_ORDER = {
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'IOC',
  quantity: '0.0002',
  price: '30000.00',
  recvWindow: '5000',
} as const;

export interface LoadKey {
  apiKey: string;
  secret: string;
}

/** The form body of POST /api/v3/order, signature last. */
export function signedOrderBody(key: LoadKey, timestamp: number): string {
  const query = new URLSearchParams({ ...LOAD_ORDER, timestamp: String(timestamp) }).toString();
  return `${query}&signature=${createHmac('sha256', key.secret).update(query).digest('hex')}`;
}

/** The params of a WebSocket API order.place, with apiKey and signature over the sorted params. */
export function signedOrderParams(key: LoadKey, timestamp: number): Record<string, string> {
  const params: Record<string, string> = { ...LOAD_ORDER, apiKey: key.apiKey, timestamp: String(timestamp) };
  const payload = sortedPayload(params);
  return { ...params, signature: createHmac('sha256', key.secret).update(payload).digest('hex') };
}

/** `name=value` pairs sorted by name, joined by `&` (the WebSocket API's signed payload). */
export function sortedPayload(params: Record<string, unknown>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}
