import * as assert from 'node:assert/strict';
import { createHmac, sign } from 'node:crypto';
import { WebSocket } from 'ws';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { Creds, signed } from './httpHelpers';

/** A minimal WS API client: request/response by id, plus a queue of pushed events. */
class WsClient {
  readonly events: { subscriptionId: number; event: Record<string, unknown> }[] = [];
  private readonly pending = new Map<string, (frame: Record<string, unknown>) => void>();
  private readonly waiters: (() => void)[] = [];
  private nextId = 1;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      if ('subscriptionId' in frame && 'event' in frame) {
        this.events.push(frame as { subscriptionId: number; event: Record<string, unknown> });
        for (const w of this.waiters.splice(0)) w();
        return;
      }
      this.pending.get(String(frame.id))?.(frame);
    });
  }

  static open(url: string): Promise<WsClient> {
    if (!url.startsWith('ws://127.0.0.1:')) throw new Error('loopback only');
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new WsClient(ws)));
      ws.once('error', reject);
    });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- frames are checked field by field
  call(method: string, params?: Record<string, unknown>): Promise<Record<string, any>> {
    const id = `r${this.nextId++}`;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
    });
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  async waitFor(
    predicate: (e: Record<string, unknown>) => boolean,
    timeoutMs = 3000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => predicate(e.event));
      if (found) return found.event;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`event not received; got ${JSON.stringify(this.events.map((e) => e.event.e))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** WS API signing: params sorted by name, raw UTF-8 values, no percent-encoding. */
function wsSign(
  params: Record<string, string | number>,
  signer: (payload: Buffer) => string,
): Record<string, string | number> {
  const payload = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return { ...params, signature: signer(Buffer.from(payload, 'utf8')) };
}

describe('sandbox WebSocket API and user data stream', function () {
  this.timeout(20000);
  let sb: SandboxHandle;
  let client: WsClient;
  const hmacSigner = (secret: string) => (payload: Buffer) =>
    createHmac('sha256', secret).update(payload).digest('hex');

  before(async () => {
    sb = await startSandbox({ port: 0 });
  });
  after(() => sb.close());
  beforeEach(async () => {
    client = await WsClient.open(sb.wsApiUrl);
  });
  afterEach(() => client.close());

  it('answers ping and time with id echo and rateLimits', async () => {
    const ping = await client.call('ping');
    assert.equal(ping.status, 200);
    assert.deepEqual(ping.result, {});
    assert.equal(ping.rateLimits[0].rateLimitType, 'REQUEST_WEIGHT');
    const time = await client.call('time');
    assert.ok(Math.abs(time.result.serverTime - Date.now()) < 2000);
    const unknown = await client.call('nope.method');
    assert.equal(unknown.status, 400);
    client.sendRaw('{not json');
    const again = await client.call('ping');
    assert.equal(again.status, 200, 'a malformed frame does not kill the session');
  });

  it('answers method names inherited by plain objects (__proto__, constructor, ...) as unknown methods', async () => {
    for (const method of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const reply = await client.call(method, {});
      assert.equal(reply.status, 400, method);
      assert.deepEqual(reply.error, { code: -1000, msg: `Unknown method '${method}'.` }, method);
      const ping = await client.call('ping');
      assert.equal(ping.status, 200, `the session still works after ${method}`);
    }
  });

  it('session.logon accepts Ed25519 only; then userDataStream.subscribe pushes order and balance events', async () => {
    const edSigner = (payload: Buffer) => sign(null, payload, sb.ed25519.privateKeyPem).toString('base64');
    const hmacLogon = await client.call(
      'session.logon',
      wsSign({ apiKey: sb.apiKey, timestamp: Date.now() }, hmacSigner(sb.secret)),
    );
    assert.equal(hmacLogon.status, 400);
    const notYet = await client.call('userDataStream.subscribe');
    assert.equal(notYet.status, 401);
    const badSig = await client.call('session.logon', {
      apiKey: sb.ed25519.apiKey,
      timestamp: Date.now(),
      signature: sign(null, Buffer.from('x'), sb.ed25519.privateKeyPem).toString('base64'),
    });
    assert.equal(badSig.error.code, -1022);
    const logon = await client.call(
      'session.logon',
      wsSign({ apiKey: sb.ed25519.apiKey, timestamp: Date.now() }, edSigner),
    );
    assert.equal(logon.status, 200, JSON.stringify(logon));
    assert.equal(logon.result.apiKey, sb.ed25519.apiKey);
    const sub = await client.call('userDataStream.subscribe');
    assert.equal(sub.status, 200);
    const subscriptionId = sub.result.subscriptionId;
    assert.equal(typeof subscriptionId, 'number');

    const hmac: Creds = { kind: 'hmac', apiKey: sb.apiKey, secret: sb.secret };
    const placed = await signed(sb.baseUrl, hmac, 'POST', '/api/v3/order', {
      body: { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', newClientOrderId: 'ws-test-1' },
    });
    assert.equal(placed.status, 200, placed.text);
    const trade = await client.waitFor((e) => e.e === 'executionReport' && e.x === 'TRADE' && e.c === 'ws-test-1');
    for (const key of [
      'E',
      's',
      'c',
      'S',
      'o',
      'f',
      'q',
      'p',
      'x',
      'X',
      'i',
      'l',
      'z',
      'L',
      'n',
      'N',
      'T',
      't',
      'w',
      'm',
      'O',
      'Z',
      'Y',
      'Q',
    ]) {
      assert.ok(key in trade, `executionReport has ${key}`);
    }
    assert.equal(trade.s, 'ETHUSDT');
    assert.equal(trade.S, 'BUY');
    assert.equal(trade.i, placed.json.orderId);
    assert.equal(trade.N, 'ETH');
    const position = await client.waitFor((e) => e.e === 'outboundAccountPosition');
    const assets = (position.B as { a: string; f: string; l: string }[]).map((b) => b.a).sort();
    assert.deepEqual(assets, ['ETH', 'USDT']);
    assert.ok(client.events.every((e) => e.subscriptionId === subscriptionId));
    const newIndex = client.events.findIndex((e) => e.event.x === 'NEW' && e.event.c === 'ws-test-1');
    const tradeIndex = client.events.findIndex((e) => e.event.x === 'TRADE' && e.event.c === 'ws-test-1');
    assert.ok(newIndex >= 0 && newIndex < tradeIndex, 'NEW comes before TRADE');

    sb.deposit(sb.apiKey, 'USDT', '25');
    const deposit = await client.waitFor((e) => e.e === 'balanceUpdate');
    assert.equal(deposit.a, 'USDT');
    assert.equal(deposit.d, '25.00000000');

    const unsub = await client.call('userDataStream.unsubscribe', { subscriptionId });
    assert.equal(unsub.status, 200);
    await client.waitFor((e) => e.e === 'eventStreamTerminated');
    const count = client.events.length;
    await signed(sb.baseUrl, hmac, 'POST', '/api/v3/order', {
      body: { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' },
    });
    await client.call('ping');
    assert.equal(client.events.length, count, 'no events after unsubscribing');
  });

  it('userDataStream.subscribe.signature works with an HMAC key and only sees that account', async () => {
    const other = sb.createAccount();
    const sub = await client.call(
      'userDataStream.subscribe.signature',
      wsSign({ apiKey: other.apiKey, timestamp: Date.now(), recvWindow: 5000 }, hmacSigner(other.secret)),
    );
    assert.equal(sub.status, 200, JSON.stringify(sub));
    // the default account trades: nothing for `other`
    await signed(sb.baseUrl, { kind: 'hmac', apiKey: sb.apiKey, secret: sb.secret }, 'POST', '/api/v3/order', {
      body: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '50000' },
    });
    const mine = await signed(
      sb.baseUrl,
      { kind: 'hmac', apiKey: other.apiKey, secret: other.secret },
      'POST',
      '/api/v3/order',
      {
        body: {
          symbol: 'BTCUSDT',
          side: 'SELL',
          type: 'LIMIT',
          timeInForce: 'GTC',
          quantity: '0.001',
          price: '70000',
          newClientOrderId: 'other-1',
        },
      },
    );
    const report = await client.waitFor((e) => e.e === 'executionReport');
    assert.equal(report.c, 'other-1');
    assert.equal(report.X, 'NEW');
    assert.equal(report.i, mine.json.orderId);
    await signed(sb.baseUrl, { kind: 'hmac', apiKey: other.apiKey, secret: other.secret }, 'DELETE', '/api/v3/order', {
      params: { symbol: 'BTCUSDT', orderId: mine.json.orderId },
    });
    const canceled = await client.waitFor((e) => e.e === 'executionReport' && e.x === 'CANCELED');
    assert.equal(canceled.X, 'CANCELED');
    assert.ok(client.events.every((e) => e.event.e !== 'executionReport' || String(e.event.c).startsWith('other')));
    // stale timestamp and a duplicate subscription are rejected
    const stale = await client.call(
      'userDataStream.subscribe.signature',
      wsSign({ apiKey: other.apiKey, timestamp: Date.now() - 60_000 }, hmacSigner(other.secret)),
    );
    assert.equal(stale.error.code, -1021);
  });

  it('signs WS payloads over raw UTF-8, not percent-encoded text', async () => {
    const other = sb.createAccount();
    const params = { apiKey: other.apiKey, timestamp: Date.now(), note: 'é１２３' };
    const ok = await client.call('userDataStream.subscribe.signature', wsSign(params, hmacSigner(other.secret)));
    assert.equal(ok.status, 200, JSON.stringify(ok));
    const client2 = await WsClient.open(sb.wsApiUrl);
    try {
      const encodedPayload = `apiKey=${other.apiKey}&note=${encodeURIComponent('é１２３')}&timestamp=${params.timestamp}`;
      const wrong = await client2.call('userDataStream.subscribe.signature', {
        ...params,
        signature: hmacSigner(other.secret)(Buffer.from(encodedPayload)),
      });
      assert.equal(wrong.error.code, -1022);
    } finally {
      client2.close();
    }
  });
});
