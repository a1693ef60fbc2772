import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { EventEmitter } from 'node:events';
import { IncomingMessage } from 'node:http';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { MarketStreams } from '../../src/sandbox/marketStreams';
import { Creds, get, signed } from './httpHelpers';

/** A stream client that keeps every frame it receives and can wait for one. */
class StreamClient {
  readonly frames: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  pings = 0;
  closed: { code: number; reason: string } | undefined;
  private readonly waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      this.wake();
    });
    ws.on('ping', () => this.pings++);
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static open(url: string, options: { autoPong?: boolean } = {}): Promise<StreamClient> {
    if (!url.startsWith('ws://127.0.0.1:')) throw new Error('loopback only');
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { autoPong: options.autoPong ?? true });
      ws.once('open', () => resolve(new StreamClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
      );
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async waitFor(predicate: (f: any) => boolean, timeoutMs = 3000, label = 'frame'): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(predicate);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${label} not received; got ${JSON.stringify(this.frames).slice(0, 600)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 3000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('not closed');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('sandbox market streams (/ws, /stream)', function () {
  this.timeout(20000);
  let sb: SandboxHandle;
  let me: Creds;
  const clients: StreamClient[] = [];
  const open = async (path: string, options?: { autoPong?: boolean }): Promise<StreamClient> => {
    const c = await StreamClient.open(`${sb.baseUrl.replace('http:', 'ws:')}${path}`, options);
    clients.push(c);
    return c;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const market = async (symbol: string, side: string, quantity: string): Promise<any> => {
    const reply = await signed(sb.baseUrl, me, 'POST', '/api/v3/order', {
      body: { symbol, side, type: 'MARKET', quantity, newOrderRespType: 'FULL' },
    });
    assert.equal(reply.status, 200, reply.text);
    return reply.json;
  };

  before(async () => {
    sb = await startSandbox({ port: 0 });
    const fresh = sb.createAccount({ BTC: '1', ETH: '10', BNB: '10', USDT: '100000' });
    me = { kind: 'hmac', apiKey: fresh.apiKey, secret: fresh.secret };
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  after(() => sb.close());

  it('serves the environment streamUrl ws://127.0.0.1:PORT/ws', () => {
    assert.equal(sb.streamUrl, `${sb.baseUrl.replace('http:', 'ws:')}/ws`);
  });

  it('pushes trade events on a raw stream with the documented fields', async () => {
    const c = await open('/ws/btcusdt@trade');
    const order = await market('BTCUSDT', 'BUY', '0.001');
    const event = await c.waitFor((f) => f.e === 'trade', 3000, 'trade event');
    assert.deepEqual(Object.keys(event), ['e', 'E', 's', 't', 'p', 'q', 'T', 'm', 'M']);
    assert.equal(event.s, 'BTCUSDT');
    assert.equal(event.t, order.fills[0].tradeId);
    assert.equal(event.p, order.fills[0].price);
    assert.equal(event.q, order.fills[0].qty);
    assert.equal(event.m, false, 'the buyer was the taker');
    assert.equal(typeof event.E, 'number');
    assert.equal(typeof event.T, 'number');
  });

  it('wraps events as {stream, data} on /stream?streams=a/b, with kline fields as documented', async () => {
    const c = await open('/stream?streams=ethusdt@trade/ethusdt@kline_1m');
    const order = await market('ETHUSDT', 'SELL', '0.01');
    const trade = await c.waitFor((f) => f.stream === 'ethusdt@trade');
    assert.deepEqual(Object.keys(trade), ['stream', 'data']);
    assert.equal(trade.data.m, true, 'the buyer (market maker) was the maker');
    const kline = await c.waitFor((f) => f.stream === 'ethusdt@kline_1m');
    assert.deepEqual(Object.keys(kline.data), ['e', 'E', 's', 'k']);
    assert.equal(kline.data.e, 'kline');
    assert.deepEqual(Object.keys(kline.data.k), [
      't',
      'T',
      's',
      'i',
      'f',
      'L',
      'o',
      'c',
      'h',
      'l',
      'v',
      'n',
      'x',
      'q',
      'V',
      'Q',
      'B',
    ]);
    const k = kline.data.k;
    assert.equal(k.i, '1m');
    assert.equal(k.t % 60_000, 0);
    assert.equal(k.T, k.t + 59_999);
    assert.equal(k.x, k.T < kline.data.E, 'x: closed once its interval is over (a trade at :59.9 may arrive closed)');
    assert.equal(k.L, order.fills[order.fills.length - 1].tradeId);
    assert.equal(k.c, order.fills[order.fills.length - 1].price);
    assert.match(k.v, /^\d+\.\d{8}$/);
  });

  it('updates klines every second (1s) and sends a closed kline (x: true) once its interval is over', async () => {
    const c = await open('/ws/bnbusdt@kline_1s');
    const order = await market('BNBUSDT', 'BUY', '0.01');
    const closed = await c.waitFor((f) => f.e === 'kline' && f.k.x === true, 3000, 'closed kline');
    assert.equal(closed.k.t, Math.floor(order.transactTime / 1000) * 1000);
    assert.equal(closed.k.T, closed.k.t + 999);
    assert.equal(closed.k.n, order.fills.length);
    // Sent open (at most once a second) before, never after it closed; then nothing for empty seconds.
    for (const f of c.frames) if (f.k.t === closed.k.t && f.k.x === false) assert.ok(f.E < closed.E);
    await sleep(1200);
    assert.equal(c.frames.filter((f) => f.k.x === true).length, 1);
  });

  it('pushes one aggTrade per taker order and price, and 24hr tickers', async () => {
    const c = await open('/stream?streams=ethusdt@aggTrade/ethusdt@ticker/ethusdt@avgPrice');
    const order = await market('ETHUSDT', 'BUY', '0.02');
    const agg = await c.waitFor((f) => f.stream === 'ethusdt@aggTrade', 3000, 'aggTrade');
    assert.deepEqual(Object.keys(agg.data), ['e', 'E', 's', 'a', 'p', 'q', 'f', 'l', 'T', 'm', 'M']);
    assert.equal(agg.data.e, 'aggTrade');
    assert.equal(agg.data.f, order.fills[0].tradeId);
    assert.equal(agg.data.p, order.fills[0].price);
    assert.equal(agg.data.m, false);
    const rest = await get(sb.baseUrl, '/api/v3/aggTrades', { symbol: 'ETHUSDT', limit: 1 });
    assert.equal(rest.json[0].a, agg.data.a, 'the same aggregate id as REST');
    assert.equal(rest.json[0].q, agg.data.q);
    const ticker = await c.waitFor((f) => f.stream === 'ethusdt@ticker', 2500, '24hrTicker');
    assert.deepEqual(Object.keys(ticker.data), [
      'e',
      'E',
      's',
      'p',
      'P',
      'w',
      'x',
      'c',
      'Q',
      'b',
      'B',
      'a',
      'A',
      'o',
      'h',
      'l',
      'v',
      'q',
      'O',
      'C',
      'F',
      'L',
      'n',
    ]);
    assert.equal(ticker.data.e, '24hrTicker');
    assert.equal(ticker.data.c, order.fills[order.fills.length - 1].price);
    const avg = await c.waitFor(
      (f) => f.stream === 'ethusdt@avgPrice' && f.data.T === order.transactTime,
      2500,
      'avgPrice',
    );
    assert.deepEqual(Object.keys(avg.data), ['e', 'E', 's', 'i', 'w', 'T']);
    const rest24 = await get(sb.baseUrl, '/api/v3/avgPrice', { symbol: 'ETHUSDT' });
    assert.equal(avg.data.w, rest24.json.price);
    assert.equal(avg.data.i, '5m');
  });

  it('keeps a local order book in sync from a REST snapshot and diff depth events (the documented procedure)', async () => {
    const c = await open('/ws/btcusdt@depth@100ms');
    const placed = await signed(sb.baseUrl, me, 'POST', '/api/v3/order', {
      body: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '59990.01' },
    });
    assert.equal(placed.status, 200, placed.text);
    const snapshot = (await get(sb.baseUrl, '/api/v3/depth', { symbol: 'BTCUSDT', limit: 1000 })).json;
    const bids = new Map<string, string>(snapshot.bids);
    const asks = new Map<string, string>(snapshot.asks);
    await signed(sb.baseUrl, me, 'DELETE', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', orderId: placed.json.orderId },
    });
    await market('BTCUSDT', 'SELL', '0.002');
    const expected = (await get(sb.baseUrl, '/api/v3/depth', { symbol: 'BTCUSDT', limit: 1000 })).json;
    const sorted = (m: Map<string, string>, desc: boolean): [string, string][] =>
      [...m].sort((x, y) => (desc ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
    let lastU: number | undefined;
    let applied = 0;
    const deadline = Date.now() + 3000;
    // Apply events as they come until the local book matches the fresh snapshot.
    for (;;) {
      const events = c.frames.filter((f) => f.e === 'depthUpdate');
      for (const event of events.slice(applied)) {
        assert.deepEqual(Object.keys(event), ['e', 'E', 's', 'U', 'u', 'b', 'a']);
        if (event.u <= snapshot.lastUpdateId) continue;
        if (lastU === undefined)
          assert.ok(
            event.U <= snapshot.lastUpdateId + 1 && snapshot.lastUpdateId + 1 <= event.u,
            'first event straddles the snapshot',
          );
        else assert.equal(event.U, lastU + 1, 'contiguous update ids');
        lastU = event.u;
        for (const [side, book] of [
          ['b', bids],
          ['a', asks],
        ] as const) {
          for (const [price, qty] of event[side] as [string, string][]) {
            if (Number(qty) === 0) book.delete(price);
            else book.set(price, qty);
          }
        }
      }
      applied = events.length;
      const same =
        JSON.stringify([sorted(bids, true), sorted(asks, false)]) === JSON.stringify([expected.bids, expected.asks]);
      if (same) break;
      if (Date.now() > deadline)
        assert.deepEqual([sorted(bids, true), sorted(asks, false)], [expected.bids, expected.asks]);
      await sleep(50);
    }
    assert.ok(!bids.has('59990.01000000'), 'the canceled level was removed');
  });

  it('subscribes, lists, unsubscribes and switches to combined on /ws', async () => {
    const c = await open('/ws');
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@trade', 'btcusdt@bookTicker'], id: 1 });
    assert.deepEqual(await c.waitFor((f) => f.id === 1), { result: null, id: 1 });
    c.send({ method: 'LIST_SUBSCRIPTIONS', id: 'two' });
    assert.deepEqual(await c.waitFor((f) => f.id === 'two'), {
      result: ['btcusdt@trade', 'btcusdt@bookTicker'],
      id: 'two',
    });
    c.send({ method: 'GET_PROPERTY', params: ['combined'], id: 3 });
    assert.deepEqual(await c.waitFor((f) => f.id === 3), { result: false, id: 3 });
    await sleep(1100); // five messages a second at most
    c.send({ method: 'UNSUBSCRIBE', params: ['btcusdt@bookTicker'], id: 4 });
    assert.deepEqual(await c.waitFor((f) => f.id === 4), { result: null, id: 4 });
    c.send({ method: 'SET_PROPERTY', params: ['combined', true], id: 5 });
    assert.deepEqual(await c.waitFor((f) => f.id === 5), { result: null, id: 5 });
    c.send({ method: 'LIST_SUBSCRIPTIONS', id: 6 });
    assert.deepEqual(await c.waitFor((f) => f.id === 6), { result: ['btcusdt@trade'], id: 6 });
    await market('BTCUSDT', 'SELL', '0.001');
    const wrapped = await c.waitFor((f) => f.stream === 'btcusdt@trade');
    assert.equal(wrapped.data.e, 'trade');
    await sleep(200);
    assert.ok(!c.frames.some((f) => f.u !== undefined || f.data?.u !== undefined), 'no bookTicker after UNSUBSCRIBE');
  });

  it('answers bad requests with an error and keeps the connection', async () => {
    const c = await open('/ws');
    c.send('{not json');
    const bad = await c.waitFor((f) => f.error?.code === 3);
    assert.equal(bad.id, null);
    assert.equal(bad.error.msg, 'Invalid JSON: expected value at line 1 column 2');
    c.send({ method: 'SUBSCRIBE', params: ['nope@trade'], id: 7 });
    assert.deepEqual(await c.waitFor((f) => f.id === 7), {
      error: { code: 2, msg: "Invalid request: unknown stream 'nope@trade'" },
      id: 7,
    });
    c.send({ method: 'PUBLISH', params: [], id: 8 });
    assert.equal(
      (await c.waitFor((f) => f.id === 8)).error.msg,
      'Invalid request: unknown variant `PUBLISH`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`',
    );
    c.send({ method: 'SET_PROPERTY', params: ['combined', 'yes'], id: 9 });
    assert.deepEqual(await c.waitFor((f) => f.id === 9), {
      error: { code: 1, msg: 'Invalid value type: expected Boolean' },
      id: 9,
    });
    c.send({ method: 'GET_PROPERTY', params: ['colour'], id: 10 });
    assert.deepEqual(await c.waitFor((f) => f.id === 10), { error: { code: 0, msg: 'Unknown property' }, id: 10 });
    await sleep(1100);
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 'not alphanumeric!' });
    assert.equal(
      (await c.waitFor((f) => f.error?.msg === 'Invalid request: request ID must be an unsigned integer')).id,
      null,
    );
    c.send({ method: 'LIST_SUBSCRIPTIONS', id: -7 }); // docs: a 64-bit signed integer is fine
    assert.deepEqual(await c.waitFor((f) => f.id === -7), { result: [], id: -7 });
    c.send({ params: [], id: 11 });
    assert.equal((await c.waitFor((f) => f.id === 11)).error.code, 2);
    c.send({ method: 'SUBSCRIBE', params: 'btcusdt@trade', id: 12 });
    assert.equal((await c.waitFor((f) => f.id === 12)).error.code, 2);
    await sleep(1100);
    c.send([1, 2, 3]);
    await c.waitFor((f) => f.error?.code === 3 && f.error.msg.includes('object'));
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await c.waitFor((f) => f.error?.msg?.includes('64 KiB'));
    assert.equal(c.closed, undefined);
    await sleep(1100);
    c.send({ method: 'LIST_SUBSCRIPTIONS', id: 13 });
    assert.deepEqual(await c.waitFor((f) => f.id === 13), { result: [], id: 13 });
  });

  it('answers random frames with a result or a coded error and stays up (fuzz)', async () => {
    const frames = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({
          method: fc.oneof(
            fc.constantFrom('SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS', 'SET_PROPERTY', 'GET_PROPERTY'),
            fc.string(),
          ),
          params: fc.oneof(
            fc.array(
              fc.oneof(fc.string(), fc.constantFrom('btcusdt@trade', 'combined', 'ethusdt@kline_1s', 'x@depth5')),
              { maxLength: 4 },
            ),
            fc.jsonValue(),
          ),
          id: fc.oneof(fc.nat(), fc.string(), fc.constant(null), fc.integer({ min: -5, max: -1 })),
        })
        .map((v) => JSON.stringify(v)),
    );
    const batch = await fc.sample(frames, 40);
    for (let i = 0; i < batch.length; i += 4) {
      const c = await open('/ws');
      for (const frame of batch.slice(i, i + 4)) c.send(frame);
      await c.waitFor(() => c.frames.length >= 4, 3000, 'four answers');
      for (const f of c.frames)
        assert.ok(
          'result' in f || (typeof f.error?.code === 'number' && typeof f.error?.msg === 'string'),
          JSON.stringify(f),
        );
      assert.equal(c.closed, undefined);
      c.close();
    }
    const alive = await open('/ws/btcusdt@trade');
    assert.equal(alive.closed, undefined);
  });

  it('closes a connection that sends more than 5 messages a second', async () => {
    const c = await open('/ws');
    for (let i = 0; i < 7; i++) c.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
    const closed = await c.waitClosed();
    assert.equal(closed.code, 1008);
  });

  it('refuses unknown streams in the URL (400) and unknown paths (404)', async () => {
    for (const [path, status] of [
      ['/ws/nope@trade', 400],
      ['/ws/BTCUSDT@trade', 400],
      ['/ws/btcusdt@kline_2m', 400],
      ['/ws/btcusdt@depth7', 400],
      ['/ws/btcusdt@depth@250ms', 400],
      ['/stream?streams=btcusdt@trade/bad@trade', 400],
      ['/wss', 404],
    ] as const) {
      await assert.rejects(open(path), (error: { status?: number }) => error.status === status, path);
    }
    // Segments that are no stream name are ignored, as live (ccxt connects to /ws/0 and subscribes later).
    const c = await open('/ws/0');
    c.send({ method: 'LIST_SUBSCRIPTIONS', id: 1 });
    assert.deepEqual(await c.waitFor((f) => f.id === 1), { result: [], id: 1 });
  });

  it('pushes bookTicker on a change of the best bid or ask', async () => {
    const c = await open('/ws/ethbtc@bookTicker');
    const placed = await signed(sb.baseUrl, me, 'POST', '/api/v3/order', {
      body: { symbol: 'ETHBTC', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.5', price: '0.04998' },
    });
    assert.equal(placed.status, 200, placed.text);
    const event = await c.waitFor((f) => f.b === '0.04998000');
    assert.deepEqual(Object.keys(event), ['u', 's', 'b', 'B', 'a', 'A']);
    assert.equal(event.s, 'ETHBTC');
    assert.equal(event.B, '0.50000000');
    await signed(sb.baseUrl, me, 'DELETE', '/api/v3/order', {
      params: { symbol: 'ETHBTC', orderId: placed.json.orderId },
    });
    await c.waitFor((f) => f.b !== '0.04998000' && f.u > event.u, 3000, 'bookTicker after cancel');
  });

  it('pushes partial depth snapshots (1000 ms and 100 ms) and miniTickers', async () => {
    const c = await open('/stream?streams=btcusdt@depth5/ethusdt@depth10@100ms/bnbusdt@miniTicker/!miniTicker@arr');
    const fast = await c.waitFor((f) => f.stream === 'ethusdt@depth10@100ms', 1000, '100 ms depth');
    assert.deepEqual(Object.keys(fast.data), ['lastUpdateId', 'bids', 'asks']);
    assert.equal(fast.data.bids.length, 5, 'the market maker quotes 5 levels');
    const slow = await c.waitFor((f) => f.stream === 'btcusdt@depth5', 2000, '1000 ms depth');
    assert.equal(slow.data.bids.length, 5);
    assert.ok(Number(slow.data.bids[0][0]) > Number(slow.data.bids[1][0]));
    assert.ok(Number(slow.data.asks[0][0]) < Number(slow.data.asks[1][0]));
    await market('BNBUSDT', 'BUY', '0.02');
    const mini = await c.waitFor((f) => f.stream === 'bnbusdt@miniTicker', 2500, 'miniTicker');
    assert.deepEqual(Object.keys(mini.data), ['e', 'E', 's', 'c', 'o', 'h', 'l', 'v', 'q']);
    assert.equal(mini.data.e, '24hrMiniTicker');
    const arr = await c.waitFor((f) => f.stream === '!miniTicker@arr', 2500, 'all miniTickers');
    assert.ok(Array.isArray(arr.data) && arr.data.some((t: { s: string }) => t.s === 'BNBUSDT'));
  });
});

describe('sandbox market streams: pings and shutdown', function () {
  this.timeout(20000);

  it('pings every interval, drops a client that never answers, and closes clients with 1001 on close()', async () => {
    const sb = await startSandbox({ port: 0, marketMaker: false, streamPingIntervalMs: 250 });
    const base = sb.baseUrl.replace('http:', 'ws:');
    const polite = await StreamClient.open(`${base}/ws/btcusdt@trade`);
    const silent = await StreamClient.open(`${base}/ws`, { autoPong: false });
    try {
      const closed = await silent.waitClosed(3000);
      assert.equal(closed.code, 1006, 'terminated without a close frame');
      assert.ok(silent.pings >= 2);
      assert.ok(polite.pings >= 3);
      assert.equal(polite.closed, undefined, 'a client answering pings stays');
    } finally {
      await sb.close();
    }
    const shut = await polite.waitClosed(2000);
    assert.equal(shut.code, 1001);
  });

  it('refuses stream connection attempts past the per-IP limit with 429', async () => {
    const sb = await startSandbox({ port: 0, marketMaker: false, rateLimits: { streamConnectionsPer5Min: 2 } });
    const base = sb.baseUrl.replace('http:', 'ws:');
    try {
      const a = await StreamClient.open(`${base}/ws`);
      const b = await StreamClient.open(`${base}/stream?streams=btcusdt@trade`);
      await assert.rejects(StreamClient.open(`${base}/ws`), (error: { status?: number }) => error.status === 429);
      a.close();
      b.close();
    } finally {
      await sb.close();
    }
  });

  it('drops a client that does not read once 1 MiB is queued for it, without affecting the others', async () => {
    const sb = await startSandbox({ port: 0 });
    const streams = new MarketStreams({ engine: sb.engine, now: Date.now, log: () => undefined });
    const fake = (
      queued: number,
    ): EventEmitter & { readyState: number; bufferedAmount: number; sent: string[]; terminated: boolean } => {
      const ws = Object.assign(new EventEmitter(), {
        readyState: WebSocket.OPEN as number,
        bufferedAmount: queued,
        sent: [] as string[],
        terminated: false,
      });
      Object.assign(ws, {
        send: (text: string) => ws.sent.push(text),
        ping: () => undefined,
        terminate: () => {
          ws.terminated = true;
          ws.readyState = WebSocket.CLOSED;
          ws.emit('close');
        },
        close: () => (ws as unknown as { terminate(): void }).terminate(),
      });
      return ws;
    };
    const slow = fake(2 * 1024 * 1024);
    const fine = fake(0);
    try {
      for (const ws of [slow, fine])
        streams.accept(ws as unknown as WebSocket, {} as IncomingMessage, {
          combined: false,
          streams: ['btcusdt@trade'],
        });
      assert.equal(streams.connectionCount, 2);
      const fresh = sb.createAccount({ USDT: '1000' });
      const reply = await signed(sb.baseUrl, { kind: 'hmac', ...fresh }, 'POST', '/api/v3/order', {
        body: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' },
      });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(slow.terminated, true);
      assert.equal(slow.sent.length, 0);
      assert.equal(fine.terminated, false);
      assert.equal(JSON.parse(fine.sent[0]).e, 'trade');
      assert.equal(streams.connectionCount, 1);
    } finally {
      await streams.close();
      await sb.close();
    }
  });
});
