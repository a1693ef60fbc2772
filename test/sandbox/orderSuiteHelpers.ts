/** Helpers shared by the order-type suites: a fresh market per test, a user data stream client, balances. */
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { WebSocket } from 'ws';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { Creds, Reply, signed } from './httpHelpers';

export type Frame = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A user data stream over the WebSocket API (userDataStream.subscribe.signature), collecting events. */
export class UserStream {
  readonly events: Frame[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      if ('event' in frame) this.events.push(frame.event);
    });
  }

  static async open(url: string, apiKey: string, secret: string): Promise<UserStream> {
    if (!url.startsWith('ws://127.0.0.1:')) throw new Error('loopback only');
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const stream = new UserStream(ws);
    const timestamp = Date.now();
    const signature = createHmac('sha256', secret).update(`apiKey=${apiKey}&timestamp=${timestamp}`).digest('hex');
    const answer = await new Promise<Frame>((resolve) => {
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as Frame;
        if (frame.id === 'sub') resolve(frame);
      });
      ws.send(
        JSON.stringify({
          id: 'sub',
          method: 'userDataStream.subscribe.signature',
          params: { apiKey, timestamp, signature },
        }),
      );
    });
    assert.equal(answer.status, 200, JSON.stringify(answer));
    return stream;
  }

  async waitFor(predicate: (e: Frame) => boolean, count = 1): Promise<Frame[]> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const found = this.events.filter(predicate);
      if (found.length >= count) return found;
      if (Date.now() > deadline) throw new Error(`events so far: ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.ws.close();
  }
}

export function balance(
  account: { balances: { asset: string; free: string; locked: string }[] },
  asset: string,
): { free: string; locked: string } {
  const b = account.balances.find((x) => x.asset === asset);
  return { free: b?.free ?? '0.00000000', locked: b?.locked ?? '0.00000000' };
}

export interface FreshMarket {
  /** The sandbox of the running test. */
  readonly sb: SandboxHandle;
  /** A new HMAC account holding 1 BTC and 10000 USDT. */
  make(): Creds & { kind: 'hmac' };
  order(creds: Creds, params: Record<string, string>): Promise<Reply>;
  query(creds: Creds, orderId: number): Promise<Reply>;
  account(creds: Creds): Promise<{ balances: { asset: string; free: string; locked: string }[] }>;
}

/** A fresh sandbox per test (BTCUSDT last price 60000, empty book: no market maker), closed after it. */
export function useFreshMarket(): FreshMarket {
  let sb: SandboxHandle | undefined;
  const current = (): SandboxHandle => {
    if (!sb) throw new Error('no sandbox outside a test');
    return sb;
  };
  beforeEach(async () => {
    sb = await startSandbox({ port: 0, marketMaker: false });
  });
  afterEach(() => sb?.close());
  return {
    get sb() {
      return current();
    },
    make() {
      const a = current().createAccount({ BTC: '1', USDT: '10000' });
      return { kind: 'hmac', apiKey: a.apiKey, secret: a.secret };
    },
    order: (creds, params) => signed(current().baseUrl, creds, 'POST', '/api/v3/order', { body: params }),
    query: (creds, orderId) =>
      signed(current().baseUrl, creds, 'GET', '/api/v3/order', { params: { symbol: 'BTCUSDT', orderId } }),
    account: async (creds) => (await signed(current().baseUrl, creds, 'GET', '/api/v3/account')).json,
  };
}
