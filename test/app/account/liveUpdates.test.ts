import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { LiveUpdates } from '../../../src/app/account/liveUpdates';
import { Environment, localSandbox } from '../../../src/core/environments';
import { Emitter } from '../../../src/core/events';
import { hmacCredential, TEST_API_KEY } from '../../support/credentials';
import { ENVIRONMENT_FORGERIES } from '../../support/forgeries';
import { MemoryLog } from '../../support/memory';

/** A WebSocket API stand-in on 127.0.0.1 that counts connections and accepts every subscription. */
async function listener(): Promise<{
  server: WebSocketServer;
  environment: Environment;
  connections: () => number;
  subscribes: () => number;
  close: () => Promise<void>;
}> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  let connections = 0;
  let subscribes = 0;
  server.on('connection', (socket) => {
    connections++;
    socket.on('message', (data) => {
      const request = JSON.parse(String(data)) as { id: string };
      subscribes++;
      socket.send(JSON.stringify({ id: request.id, status: 200, result: {} }));
    });
  });
  return {
    server,
    environment: localSandbox(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    connections: () => connections,
    subscribes: () => subscribes,
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function streamFor(environment: Environment, credential: ReturnType<typeof hmacCredential>, log: MemoryLog) {
  const session = {
    environment,
    hasKey: true,
    credential,
    client: { clockOffsetMs: 0 },
    onDidChangeIdentity: new Emitter<unknown>().event,
  };
  const refresh = {
    onDidShowView: new Emitter<void>().event,
    everShown: true,
    setStreamConnected: () => undefined,
    refreshAllIfOlderThan: async () => undefined,
    refreshBalances: async () => undefined,
  };
  const model = { balances: { applyPositions: () => undefined }, orders: { applyUpdate: () => undefined } };
  return new LiveUpdates({ session, model, refresh, enabled: () => true, log });
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('live updates (the user data stream)', () => {
  it('logs a refused subscription without the signature or API key the server echoed, and does not retry a refused key', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    const environment = localSandbox(`http://127.0.0.1:${port}`);
    const credential = hmacCredential(environment);
    let signature = '';
    let connections = 0;
    const answered = new Promise<void>((resolve) => {
      server.on('connection', (socket) => {
        connections++;
        socket.on('message', (data) => {
          const request = JSON.parse(String(data)) as { id: string; params: { signature: string; apiKey: string } };
          signature = request.params.signature;
          socket.send(
            JSON.stringify({
              id: request.id,
              status: 400,
              error: {
                code: -1022,
                msg: `Signature for this request is not valid: ${request.params.signature} (apiKey ${request.params.apiKey})`,
              },
            }),
          );
          setTimeout(resolve, 50);
        });
      });
    });
    const log = new MemoryLog();
    const stream = streamFor(environment, credential, log);
    try {
      stream.restart();
      await answered;
      assert.ok(signature.length > 0);
      assert.ok(
        log.lines.some((l) => l.includes('Live updates refused') && l.includes('-1022')),
        log.lines.join('\n'),
      );
      // A refused key is not retried every few seconds: no second connection after the first backoff.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(connections, 1, 'reconnected with a key the server refused');
      assert.equal(stream.state, 'off');
      for (const line of log.lines) {
        assert.ok(!line.includes(signature), `signature leaked: ${line}`);
        assert.ok(!line.includes(TEST_API_KEY), `API key leaked: ${line}`);
      }
    } finally {
      stream.dispose();
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("never opens a connection to another environment's host, whatever the session's environment object says", async () => {
    const [a, b] = await Promise.all([listener(), listener()]);
    try {
      const credential = hmacCredential(a.environment);
      const cases: Array<[string, Environment, () => void]> = [
        ["genuine B with A's key", b.environment, () => undefined],
      ];
      for (const [name, forge] of Object.entries(ENVIRONMENT_FORGERIES)) {
        const forged = forge(a.environment, b.environment);
        cases.push([name, forged.environment, forged.afterCreate]);
      }
      for (const [name, environment, afterCreate] of cases) {
        const log = new MemoryLog();
        const before = a.subscribes();
        const stream = streamFor(environment, credential, log);
        afterCreate();
        try {
          stream.restart();
          const refused = (): boolean => log.lines.some((l) => /Refused to sign/.test(l));
          await until(() => a.subscribes() > before || refused(), 2000);
          assert.ok(
            a.subscribes() > before || refused(),
            `${name}: neither subscribed at A nor refused: ${log.lines.join('\n')}`,
          );
          await new Promise((resolve) => setTimeout(resolve, 50)); // let a stray connection to B land
          assert.equal(b.connections(), 0, `${name}: B was connected to`);
        } finally {
          stream.dispose();
        }
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
