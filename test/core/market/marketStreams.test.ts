import assert from 'node:assert/strict';
import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { DEMO, Environment, LIVE, localSandbox, SPOT_TESTNET } from '../../../src/core/environments';
import { parseStreamPayload } from '../../../src/core/market/marketEvents';
import { combinedStreamUrl, MarketEvent, MarketStreams } from '../../../src/core/market/marketStreams';
import type { DepthSnapshot } from '../../../src/core/market/orderBook';
import { ENVIRONMENT_FORGERIES } from '../../support/forgeries';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('market streams: URLs come from the environment', () => {
  it('turns each environment’s streamUrl (…/ws) into its combined-stream URL', () => {
    const streams = ['btcusdt@kline_1m', 'btcusdt@depth@100ms', 'btcusdt@trade', 'btcusdt@ticker'];
    const tail = '/stream?streams=btcusdt@kline_1m/btcusdt@depth@100ms/btcusdt@trade/btcusdt@ticker';
    assert.equal(combinedStreamUrl(SPOT_TESTNET, streams), `wss://stream.testnet.binance.vision${tail}`);
    assert.equal(combinedStreamUrl(DEMO, streams), `wss://demo-stream.binance.com${tail}`);
    assert.equal(combinedStreamUrl(LIVE, streams), `wss://stream.binance.com:9443${tail}`);
    assert.equal(combinedStreamUrl(localSandbox('http://127.0.0.1:8123'), streams), `ws://127.0.0.1:8123${tail}`);
  });
  it('an environment object that names one environment and carries another’s hosts gets the named one’s', () => {
    for (const [name, forge] of Object.entries(ENVIRONMENT_FORGERIES)) {
      const forged = forge(SPOT_TESTNET, LIVE); // (afterCreate attacks are in the connection test below)
      assert.equal(
        combinedStreamUrl(forged.environment, ['btcusdt@trade']),
        'wss://stream.testnet.binance.vision/stream?streams=btcusdt@trade',
        name,
      );
    }
  });
  it('refuses a symbol that is not a symbol, so nothing from a caller reaches the URL', () => {
    const base = { environment: SPOT_TESTNET, interval: '1m' as const, fetchDepth: () => Promise.reject(new Error()) };
    for (const symbol of ['btcusdt', 'BTC/USDT', 'BTCUSDT@trade', '../x', ''])
      assert.throws(() => new MarketStreams({ ...base, symbol }), /is not a symbol; use the exchange's name/);
    assert.throws(
      () => new MarketStreams({ ...base, symbol: 'BTCUSDT', interval: '2m' as never }),
      /not a kline interval/,
    );
  });
});

describe('market streams: typed events', () => {
  it('reads kline, trade, 24 h ticker and diff depth payloads; ignores others; refuses a malformed known one', () => {
    const kline = parseStreamPayload({
      e: 'kline',
      E: 2,
      s: 'BTCUSDT',
      k: { t: 0, T: 59999, s: 'BTCUSDT', i: '1m', o: '1', c: '2', h: '3', l: '0.5', v: '10', n: 4, x: false, q: '20' },
    });
    assert.deepEqual(kline, {
      kind: 'kline',
      kline: {
        symbol: 'BTCUSDT',
        interval: '1m',
        openTime: 0,
        closeTime: 59999,
        open: '1',
        high: '3',
        low: '0.5',
        close: '2',
        volume: '10',
        quoteVolume: '20',
        trades: 4,
        closed: false,
      },
    });
    assert.deepEqual(parseStreamPayload({ e: 'trade', E: 1, s: 'X', t: 5, p: '1.5', q: '2', T: 9, m: true, M: true }), {
      kind: 'trade',
      trade: { symbol: 'X', id: 5, price: '1.5', quantity: '2', time: 9, buyerIsMaker: true },
    });
    assert.deepEqual(parseStreamPayload({ e: 'depthUpdate', E: 1, s: 'X', U: 3, u: 4, b: [['1', '0']], a: [] }), {
      kind: 'depth',
      symbol: 'X',
      diff: { U: 3, u: 4, b: [['1', '0']], a: [] },
    });
    assert.equal(parseStreamPayload({ e: 'aggTrade' }), undefined);
    assert.equal(parseStreamPayload('nope'), undefined);
    assert.throws(() => parseStreamPayload({ e: 'trade', s: 'X', t: 5, p: 1.5, q: '2', T: 9 }), /decimal string/);
    assert.throws(
      () => parseStreamPayload({ e: 'depthUpdate', s: 'X', U: 1, u: 2, b: [['1']], a: [] }),
      /price, quantity/,
    );
  });
});

describe('market streams: a gap in the diff stream forces a new snapshot', function () {
  this.timeout(10000);
  let server: WebSocketServer;
  let peer: WebSocket | undefined;
  let streams: MarketStreams | undefined;
  let requestedPath = '';

  beforeEach(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (ws, req) => {
      peer = ws;
      requestedPath = req.url ?? '';
    });
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterEach(async () => {
    streams?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('on U ≠ previous u + 1 it reports resync-needed, fetches a snapshot and applies what follows', async () => {
    const port = (server.address() as AddressInfo).port;
    const snapshots: DepthSnapshot[] = [
      { lastUpdateId: 10, bids: [['100', '1']], asks: [['101', '1']] },
      { lastUpdateId: 15, bids: [['100', '4']], asks: [['101', '1']] },
    ];
    let fetched = 0;
    streams = new MarketStreams({
      environment: localSandbox(`http://127.0.0.1:${port}`),
      symbol: 'BTCUSDT',
      interval: '1m',
      fetchDepth: async () => snapshots[Math.min(fetched++, snapshots.length - 1)],
      resnapshotDelayMs: 10,
    });
    const events: MarketEvent[] = [];
    streams.onEvent((e) => events.push(e));
    streams.start();
    const until = async (predicate: () => boolean, label: string): Promise<void> => {
      const deadline = Date.now() + 3000;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`${label}; events ${JSON.stringify(events)}`);
        await sleep(10);
      }
    };
    const depth = (U: number, u: number, b: [string, string][]): void =>
      peer!.send(
        JSON.stringify({
          stream: 'btcusdt@depth@100ms',
          data: { e: 'depthUpdate', E: 1, s: 'BTCUSDT', U, u, b, a: [] },
        }),
      );
    await until(() => streams!.book.state === 'synced', 'first sync');
    assert.equal(requestedPath, '/stream?streams=btcusdt@kline_1m/btcusdt@depth@100ms/btcusdt@trade/btcusdt@ticker');
    depth(11, 12, [['100', '2']]);
    await until(() => streams!.book.bids.quantity('100') === '2', 'first diff applied');
    depth(14, 15, [['99', '1']]); // 13 is missing
    await until(() => fetched === 2 && streams!.book.state === 'synced', 'resync');
    assert.ok(events.some((e) => e.type === 'book' && e.state === 'resync-needed'));
    assert.equal(streams.book.lastUpdateId, 15);
    assert.deepEqual(streams.book.bids.top(5), [['100', '4']], 'the snapshot, not the gapped event');
    depth(16, 16, [['98', '3']]);
    await until(() => streams!.book.bids.quantity('98') === '3', 'diff after resync');
    assert.equal(fetched, 2);
  });
});

describe('market streams: connects only to the named environment’s host', function () {
  this.timeout(10000);

  it('a forged environment (A’s id, B’s hosts) opens its stream at A and never at B', async () => {
    const servers = await Promise.all([0, 1].map(() => countingServer()));
    const [a, b] = servers;
    try {
      for (const [name, forge] of Object.entries(ENVIRONMENT_FORGERIES)) {
        const forged = forge(a.environment, b.environment);
        const before = a.connections();
        const streams = new MarketStreams({
          environment: forged.environment,
          symbol: 'BTCUSDT',
          interval: '1m',
          fetchDepth: () => new Promise<DepthSnapshot>(() => undefined),
        });
        forged.afterCreate();
        try {
          streams.start();
          const deadline = Date.now() + 2000;
          while (a.connections() === before && Date.now() < deadline) await sleep(10);
          assert.equal(a.connections(), before + 1, `${name}: A was not connected to`);
          await sleep(30);
          assert.equal(b.connections(), 0, `${name}: B was connected to`);
        } finally {
          streams.close();
        }
      }
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});

async function countingServer(): Promise<{
  environment: Environment;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  let connections = 0;
  server.on('connection', () => connections++);
  return {
    environment: localSandbox(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    connections: () => connections,
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
