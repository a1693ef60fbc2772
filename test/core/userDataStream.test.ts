import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { localSandbox } from '../../src/core/environments';
import { UserDataEvent, UserDataStream } from '../../src/core/userDataStream';
import { hmacCredential } from '../support/credentials';

/** A WebSocket API stand-in on 127.0.0.1: accepts the subscription, then lets the test push events. */
async function exchange() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const requests: { method: string; params: Record<string, unknown> }[] = [];
  let socket: WebSocket | undefined;
  server.on('connection', (s) => {
    socket = s;
    s.on('message', (data) => {
      const request = JSON.parse(String(data)) as { id: string; method: string; params: Record<string, unknown> };
      requests.push(request);
      s.send(JSON.stringify({ id: request.id, status: 200, result: {} }));
    });
  });
  return {
    environment: localSandbox(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    requests,
    push: (event: object) => socket?.send(JSON.stringify({ subscriptionId: 0, event })),
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('user data stream client (core)', () => {
  it('subscribes with a timestamp from the clock it is given, then turns wire events into typed events', async () => {
    const server = await exchange();
    const serverNow = 1_767_225_600_000; // the REST client's clock: local time plus its measured offset
    const stream = new UserDataStream({
      environment: server.environment,
      credential: hmacCredential(server.environment),
      serverNow: () => serverNow,
    });
    const events: UserDataEvent[] = [];
    stream.onEvent((event) => events.push(event));
    try {
      stream.start();
      await until(() => events.some((e) => e.type === 'subscribed'));
      assert.equal(stream.state, 'connected');
      assert.equal(server.requests[0].method, 'userDataStream.subscribe.signature');
      assert.equal(server.requests[0].params.timestamp, serverNow);
      server.push({ e: 'outboundAccountPosition', E: 1, B: [{ a: 'BTC', f: '0.5', l: '0.1' }] });
      server.push({
        e: 'executionReport',
        E: 2,
        s: 'BTCUSDT',
        c: 'td-1',
        S: 'BUY',
        o: 'LIMIT',
        f: 'GTC',
        q: '0.01',
        p: '60000',
        x: 'NEW',
        X: 'NEW',
        i: 7,
        z: '0',
        Z: '0',
        O: 2,
      });
      server.push({ e: 'balanceUpdate', E: 3, a: 'USDT', d: '10' });
      await until(() => events.some((e) => e.type === 'balanceUpdate'));
      assert.deepEqual(
        events.filter((e) => e.type !== 'state'),
        [
          { type: 'subscribed' },
          { type: 'balances', balances: [{ asset: 'BTC', free: '0.5', locked: '0.1' }] },
          {
            type: 'order',
            order: {
              symbol: 'BTCUSDT',
              orderId: 7,
              orderListId: -1,
              clientOrderId: 'td-1',
              price: '60000',
              origQty: '0.01',
              executedQty: '0',
              cummulativeQuoteQty: '0',
              status: 'NEW',
              timeInForce: 'GTC',
              type: 'LIMIT',
              side: 'BUY',
              stopPrice: undefined,
              time: 2,
              updateTime: 2,
              isWorking: true,
              origQuoteOrderQty: '0',
            },
            execution: { execType: 'NEW', time: 2 },
          },
          { type: 'balanceUpdate' },
        ],
      );
      assert.deepEqual(
        events.filter((e) => e.type === 'state').map((e) => e.type === 'state' && e.state),
        ['connecting', 'connected'],
      );
      stream.stop();
      assert.equal(stream.state, 'off');
    } finally {
      stream.stop();
      await server.close();
    }
  });
});
