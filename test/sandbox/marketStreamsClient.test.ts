import assert from 'node:assert/strict';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { SpotClient } from '../../src/core/client';
import * as D from '../../src/core/decimal';
import { Environment, localSandbox } from '../../src/core/environments';
import { FetchTransport } from '../../src/core/fetchTransport';
import type { BookLevel } from '../../src/core/market/bookSide';
import { MarketEvent, MarketStreams } from '../../src/core/market/marketStreams';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { Creds, get, signed } from './httpHelpers';

/** Records a MarketStreams' events and waits for one. */
class EventLog {
  readonly events: MarketEvent[] = [];
  constructor(streams: MarketStreams) {
    streams.onEvent((e) => this.events.push(e));
  }
  count(predicate: (e: MarketEvent) => boolean): number {
    return this.events.filter(predicate).length;
  }
  async waitFor(predicate: (e: MarketEvent) => boolean, label: string, timeoutMs = 4000): Promise<MarketEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`${label} not seen; got ${JSON.stringify(this.events.slice(-8)).slice(0, 800)}`);
      await sleep(20);
    }
  }
}

/** A TCP relay on 127.0.0.1 in front of the sandbox, which can cut every connection as a network failure would. */
class CuttableRelay {
  readonly #sockets = new Set<Socket>();
  readonly #server: Server = createServer((inbound) => this.#relay(inbound));
  baseUrl = '';

  constructor(private readonly targetPort: number) {}

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  cutAll(): void {
    for (const s of this.#sockets) s.destroy();
  }

  close(): Promise<void> {
    this.cutAll();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #relay(inbound: Socket): void {
    const outbound = new Socket();
    outbound.connect(this.targetPort, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
      s.on('error', () => undefined);
    }
    inbound.pipe(outbound).pipe(inbound);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const canonical = (levels: readonly BookLevel[]): string[] =>
  levels.map(([p, q]) => `${D.normalize(p)}@${D.normalize(q)}`);

describe('market streams client against the sandbox (/stream, REST depth)', function () {
  this.timeout(30000);
  let sb: SandboxHandle;
  let trader: Creds;
  const opened: MarketStreams[] = [];

  const order = async (body: Record<string, string>): Promise<{ orderId: number; fills?: { tradeId: number }[] }> => {
    const reply = await signed(sb.baseUrl, trader, 'POST', '/api/v3/order', {
      body: { symbol: 'BTCUSDT', newOrderRespType: 'FULL', ...body },
    });
    assert.equal(reply.status, 200, reply.text);
    return reply.json;
  };
  const cancel = async (orderId: number): Promise<void> => {
    const reply = await signed(sb.baseUrl, trader, 'DELETE', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', orderId },
    });
    assert.equal(reply.status, 200, reply.text);
  };
  /** LIMIT orders around the market maker's quotes, some canceled, and MARKET orders that take levels. */
  const burst = async (round: number): Promise<number[]> => {
    const tradeIds: number[] = [];
    const resting: number[] = [];
    for (let i = 0; i < 12; i++) {
      const bid = (59900 - i * 7.31 - round).toFixed(2);
      const ask = (60100 + i * 6.07 + round).toFixed(2);
      resting.push(
        (await order({ side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: bid, quantity: '0.002' })).orderId,
      );
      resting.push(
        (await order({ side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: ask, quantity: '0.003' })).orderId,
      );
    }
    for (const id of resting.filter((_, i) => i % 3 === 0)) await cancel(id);
    for (const side of ['BUY', 'SELL', 'BUY']) {
      const placed = await order({ side, type: 'MARKET', quantity: '0.05' });
      tradeIds.push(...(placed.fills ?? []).map((f) => f.tradeId));
    }
    return tradeIds;
  };

  const streamsFor = (env: Environment, backoffMs = 50): { streams: MarketStreams; log: EventLog } => {
    const client = new SpotClient({ environment: env, transport: new FetchTransport() });
    const streams = new MarketStreams({
      environment: env,
      symbol: 'BTCUSDT',
      interval: '1m',
      fetchDepth: (symbol) => client.depth(symbol, 5000),
      backoffMs: () => backoffMs,
    });
    opened.push(streams);
    const log = new EventLog(streams);
    streams.start();
    return { streams, log };
  };

  /** Waits until the local book equals a REST depth snapshot taken at the same moment (stream lag ≤ 100 ms). */
  const expectBookMatchesRest = async (streams: MarketStreams, baseUrl: string): Promise<void> => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const rest = (await get(baseUrl, '/api/v3/depth', { symbol: 'BTCUSDT', limit: 5000 })).json;
      const local = streams.book.top(5000);
      const same =
        streams.book.state === 'synced' &&
        JSON.stringify(canonical(local.bids)) === JSON.stringify(canonical(rest.bids)) &&
        JSON.stringify(canonical(local.asks)) === JSON.stringify(canonical(rest.asks));
      if (same) {
        assert.ok(rest.bids.length > 10 && rest.asks.length > 10, 'the burst left a real book');
        return;
      }
      if (Date.now() > deadline) {
        assert.equal(streams.book.state, 'synced');
        assert.deepEqual(
          { bids: canonical(local.bids), asks: canonical(local.asks) },
          { bids: canonical(rest.bids), asks: canonical(rest.asks) },
        );
      }
      await sleep(120);
    }
  };

  before(async () => {
    sb = await startSandbox({ port: 0 });
    trader = { kind: 'hmac', ...sb.createAccount({ BTC: '5', USDT: '1000000' }) };
  });
  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
  });
  after(() => sb.close());

  it('keeps a book from the diff stream and a REST snapshot that equals REST depth after a burst of orders', async () => {
    const { streams, log } = streamsFor(localSandbox(sb.baseUrl));
    await log.waitFor((e) => e.type === 'book' && e.state === 'synced' && !e.change, 'initial sync');
    const tradeIds = await burst(0);
    await expectBookMatchesRest(streams, sb.baseUrl);
    assert.equal(
      log.count((e) => e.type === 'book' && e.state === 'resync-needed'),
      0,
      'no gap on a healthy stream',
    );
    assert.ok(log.count((e) => e.type === 'book' && e.change !== undefined) > 0, 'diffs were applied');
    // The other streams of the same connection, typed.
    for (const id of tradeIds) await log.waitFor((e) => e.type === 'trade' && e.trade.id === id, `trade ${id}`);
    const kline = await log.waitFor((e) => e.type === 'kline', 'kline', 4000);
    assert.ok(kline.type === 'kline' && kline.kline.interval === '1m' && kline.kline.symbol === 'BTCUSDT');
    const ticker = await log.waitFor((e) => e.type === 'ticker', 'ticker', 4000);
    assert.ok(ticker.type === 'ticker' && /^\d+\.\d+$/.test(ticker.ticker.lastPrice));
  });

  it('reconnects after the connection is cut, re-fetches the snapshot and catches up with what it missed', async () => {
    const relay = await new CuttableRelay(Number(new URL(sb.baseUrl).port)).listen();
    try {
      const { streams, log } = streamsFor(localSandbox(relay.baseUrl), 300);
      const snapshotSyncs = (): number => log.count((e) => e.type === 'book' && e.state === 'synced' && !e.change);
      await log.waitFor((e) => e.type === 'book' && e.state === 'synced', 'initial sync');
      relay.cutAll();
      await log.waitFor((e) => e.type === 'connection' && e.state === 'backoff', 'backoff after the cut');
      await burst(1); // while the client is disconnected: only a new snapshot can bring these in
      const deadline = Date.now() + 5000;
      while (snapshotSyncs() < 2 && Date.now() < deadline) await sleep(20);
      assert.equal(snapshotSyncs(), 2, 'synced from a second snapshot');
      assert.equal(
        log.count((e) => e.type === 'connection' && e.state === 'open'),
        2,
      );
      await expectBookMatchesRest(streams, sb.baseUrl);
      await burst(2); // and it keeps up on the new connection
      await expectBookMatchesRest(streams, sb.baseUrl);
    } finally {
      await relay.close();
    }
  });

  it('switches the candle interval on the open connection (UNSUBSCRIBE + SUBSCRIBE)', async () => {
    const { streams, log } = streamsFor(localSandbox(sb.baseUrl));
    await log.waitFor((e) => e.type === 'connection' && e.state === 'open', 'open');
    streams.setInterval('1s');
    await sleep(700); // both control messages sent (spaced to stay under 5 a second)
    await order({ side: 'BUY', type: 'MARKET', quantity: '0.001' });
    const kline = await log.waitFor((e) => e.type === 'kline' && e.kline.interval === '1s', '1s kline', 4000);
    assert.ok(kline.type === 'kline' && kline.kline.closeTime - kline.kline.openTime === 999);
    assert.equal(
      log.count((e) => e.type === 'connection' && e.state === 'open'),
      1,
      'no reconnect needed',
    );
    const after = log.events.length;
    await sleep(2100); // 1m candles come every 2 s while subscribed
    assert.ok(log.events.slice(after).every((e) => e.type !== 'kline' || e.kline.interval === '1s'));
  });

  it('stops for good on close(): no reconnect, no more events', async () => {
    const { streams, log } = streamsFor(localSandbox(sb.baseUrl));
    await log.waitFor((e) => e.type === 'book' && e.state === 'synced', 'sync');
    streams.close();
    const count = log.events.length;
    await order({ side: 'SELL', type: 'MARKET', quantity: '0.001' });
    await sleep(400);
    assert.equal(streams.state, 'closed');
    assert.equal(log.events.length, count);
  });
});
