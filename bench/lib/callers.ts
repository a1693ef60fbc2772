/**
 * The participants of the sandbox sections: the same signed request made by our SpotClient, by
 * plain Node (node:crypto HMAC + global fetch, and + node-fetch) and by @binance/spot pointed at the
 * sandbox. Every caller sends recvWindow=5000 and a fresh timestamp, reads and parses the JSON body.
 */
import { Spot, SpotRestAPI } from '@binance/spot';
import { createHmac } from 'node:crypto';
import nodeFetch from 'node-fetch';
import { SpotClient } from '../../src/core/client';
import { Credential } from '../../src/core/credentials';
import { localSandbox } from '../../src/core/environments';
import { FetchTransport } from '../../src/core/fetchTransport';
import { packageVersion } from './paths';

export interface Caller {
  name: string;
  account(): Promise<unknown>;
  /** LIMIT GTC BUY far below the market (rests on the book). */
  order(): Promise<unknown>;
}

export const ORDER = {
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'GTC',
  quantity: '0.0002',
  price: '30000.00',
} as const;
const RECV_WINDOW = 5000;

export interface SandboxKey {
  baseUrl: string;
  apiKey: string;
  secret: string;
}

export function ourClient(key: SandboxKey): SpotClient {
  const environment = localSandbox(key.baseUrl);
  const credential = Credential.create({
    id: 'bench',
    label: 'bench',
    environment,
    keyType: 'hmac',
    apiKey: key.apiKey,
    secret: key.secret,
  });
  return new SpotClient({
    environment,
    transport: new FetchTransport(),
    credential: () => credential,
    recvWindow: RECV_WINDOW,
  });
}

type FetchFn = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

function plain(name: string, key: SandboxKey, fetchFn: FetchFn): Caller {
  const sign = (query: string): string => createHmac('sha256', key.secret).update(query).digest('hex');
  const call = async (method: 'GET' | 'POST', path: string, params: Record<string, string>): Promise<unknown> => {
    const query = new URLSearchParams({
      ...params,
      recvWindow: String(RECV_WINDOW),
      timestamp: String(Date.now()),
    }).toString();
    const signed = `${query}&signature=${sign(query)}`;
    const headers: Record<string, string> = { 'X-MBX-APIKEY': key.apiKey };
    const response =
      method === 'GET'
        ? await fetchFn(`${key.baseUrl}${path}?${signed}`, { method, headers })
        : await fetchFn(`${key.baseUrl}${path}`, {
            method,
            headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
            body: signed,
          });
    const body = await response.json();
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    name,
    account: () => call('GET', '/api/v3/account', {}),
    order: () => call('POST', '/api/v3/order', { ...ORDER }),
  };
}

export function createCallers(key: SandboxKey): Caller[] {
  const ours = ourClient(key);
  const spot = new Spot({
    configurationRestAPI: {
      apiKey: key.apiKey,
      apiSecret: key.secret,
      basePath: key.baseUrl,
      timeout: 10_000,
      retries: 0,
    },
  });
  return [
    {
      name: 'our SpotClient (FetchTransport, node-fetch v2)',
      account: () => ours.account(),
      order: async () => {
        const result = await ours.placeOrder({ ...ORDER });
        if (result.outcome !== 'accepted') throw new Error(`order not accepted: ${result.outcome}`);
        return result;
      },
    },
    plain('plain Node: node:crypto HMAC + global fetch', key, fetch as unknown as FetchFn),
    plain('plain Node: node:crypto HMAC + node-fetch v2', key, nodeFetch as unknown as FetchFn),
    {
      name: `@binance/spot ${packageVersion('@binance/spot')} (basePath = sandbox)`,
      account: async () => (await spot.restAPI.getAccount({ recvWindow: RECV_WINDOW })).data(),
      // The connector types quantity and price as numbers; 0.0002 and 30000 print exactly.
      order: async () =>
        (
          await spot.restAPI.newOrder({
            symbol: ORDER.symbol,
            side: SpotRestAPI.NewOrderSideEnum.BUY,
            type: SpotRestAPI.NewOrderTypeEnum.LIMIT,
            timeInForce: SpotRestAPI.NewOrderTimeInForceEnum.GTC,
            quantity: 0.0002,
            price: 30000,
            recvWindow: RECV_WINDOW,
          })
        ).data(),
    },
  ];
}
