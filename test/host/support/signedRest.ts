// A minimal, independent Binance-style HMAC client (not the extension's code), used to set up and
// check sandbox state from outside the extension: "another program placed an order".
import { createHmac } from 'crypto';

export async function signedRequest<T>(
  baseUrl: string,
  credentials: { apiKey: string; secret: string },
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Record<string, string> = {},
): Promise<T> {
  const query = new URLSearchParams({ ...params, timestamp: String(Date.now()), recvWindow: '5000' }).toString();
  const signature = createHmac('sha256', credentials.secret).update(query).digest('hex');
  const response = await fetch(`${baseUrl}${path}?${query}&signature=${signature}`, {
    method,
    headers: { 'X-MBX-APIKEY': credentials.apiKey },
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${body}`);
  return JSON.parse(body) as T;
}
