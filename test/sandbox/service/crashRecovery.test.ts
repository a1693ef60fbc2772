// Durability of the sandbox with a data folder: kill -9 in the middle of a burst of signed orders
// from several REST and WebSocket API clients, restart, and every order a client saw acknowledged
// is there with its state; every asset is conserved exactly and no lock is half-applied.
// Real processes of dist/sandbox.js, on 127.0.0.1.
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { runService } from '../../../src/sandbox/service/runService';
import { buildBundle, exitCode, start, stopAll } from '../cliProcess';
import { Creds, raw, signed } from '../httpHelpers';

interface Acked {
  creds: Creds;
  orderId: number;
  status: string;
  executedQty: string;
}

/** Prices on both sides of the book's middle, so the burst's orders rest, trade and fill each other. */
const PRICES = ['59940', '59970', '60000', '60030', '60060'];

function orderParams(client: number, n: number): Record<string, string> {
  const side = (client + n) % 2 === 0 ? 'BUY' : 'SELL';
  return {
    symbol: 'BTCUSDT',
    side,
    type: 'LIMIT',
    timeInForce: n % 7 === 0 ? 'IOC' : 'GTC',
    price: PRICES[(client * 3 + n) % PRICES.length],
    quantity: '0.00' + String(1 + (n % 9)).padStart(2, '0'),
    newClientOrderId: `burst-${client}-${n}`,
  };
}

/** A WebSocket API client placing HMAC-signed order.place requests (params signed sorted, as the docs say). */
type WsAnswer = { status: number; result?: Record<string, unknown> };

class WsTrader {
  private next = 1;
  private readonly waiting = new Map<number, (frame: WsAnswer | undefined) => void>();
  private constructor(
    private readonly ws: WebSocket,
    private readonly creds: Creds & { kind: 'hmac' },
  ) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as WsAnswer & { id: number };
      this.waiting.get(frame.id)?.(frame);
      this.waiting.delete(frame.id);
    });
    // Requests the connection's end left unanswered were never acknowledged.
    ws.on('close', () => {
      for (const resolve of this.waiting.values()) resolve(undefined);
      this.waiting.clear();
    });
  }

  static open(url: string, creds: Creds & { kind: 'hmac' }): Promise<WsTrader> {
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new WsTrader(ws, creds)));
      ws.once('error', reject);
    });
  }

  /** Resolves with the answer, or undefined if the connection died first (not acknowledged). */
  place(params: Record<string, string>): Promise<WsAnswer | undefined> {
    const all: Record<string, string> = { ...params, apiKey: this.creds.apiKey, timestamp: String(Date.now()) };
    const payload = Object.keys(all)
      .sort()
      .map((k) => `${k}=${all[k]}`)
      .join('&');
    const signature = createHmac('sha256', this.creds.secret).update(payload).digest('hex');
    const id = this.next++;
    return new Promise((resolve) => {
      if (this.ws.readyState !== WebSocket.OPEN) return resolve(undefined);
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method: 'order.place', params: { ...all, signature } }), (error) => {
        if (error) resolve(undefined);
      });
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

describe('sandbox durability (kill -9 during a burst)', function () {
  this.timeout(120_000);
  before(buildBundle);
  afterEach(stopAll);

  it('keeps every acknowledged order and conserves every asset after kill -9 during 1,200 concurrent orders', async () => {
    const data = join(mkdtempSync(join(tmpdir(), 'sandbox-crash-')), 'data');
    const limits = ['--orders-per-10s', '100000', '--orders-per-day', '10000000', '--weight-per-minute', '10000000'];
    const first = await start(['--port', '0', '--data', data, ...limits]);
    const { baseUrl, wsApiUrl } = first.info;

    // Several clients: the default account over REST, two extra accounts over REST, two over the WS API.
    const restClients: Creds[] = [{ kind: 'hmac', apiKey: first.info.apiKey, secret: first.info.secret }];
    const wsCreds: (Creds & { kind: 'hmac' })[] = [];
    for (let i = 0; i < 4; i++) {
      const made = await raw(baseUrl, 'POST', '/sandbox/v1/accounts', {
        body: JSON.stringify({ balances: { BTC: '5', USDT: '300000' } }),
        headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(made.status, 200, made.text);
      const creds = { kind: 'hmac' as const, apiKey: made.json.apiKey as string, secret: made.json.secret as string };
      (i < 2 ? restClients : wsCreds).push(creds);
    }
    const totalsBefore = await totals(baseUrl);

    const perClient = 240;
    const clients = restClients.length + wsCreds.length;
    const acked: Acked[] = [];
    let sent = 0;
    const killAt = Math.floor((perClient * clients) / 2);
    let killed = false;
    const kill = (): void => {
      if (killed) return;
      killed = true;
      first.child.kill('SIGKILL');
    };
    const record = (creds: Creds, answer: { status: number; json?: Record<string, unknown> } | undefined): void => {
      if (!answer || answer.status !== 200 || !answer.json) return;
      const o = answer.json;
      acked.push({ creds, orderId: Number(o.orderId), status: String(o.status), executedQty: String(o.executedQty) });
      if (acked.length >= killAt) kill();
    };

    const restRuns = restClients.map(async (creds, c) => {
      // Sixteen requests in flight per client.
      const lanes = Array.from({ length: 16 }, async (_, lane) => {
        for (let n = lane; n < perClient && !killed; n += 16) {
          sent++;
          const reply = await signed(baseUrl, creds, 'POST', '/api/v3/order', { body: orderParams(c, n) }).catch(
            () => undefined,
          );
          record(creds, reply);
        }
      });
      await Promise.all(lanes);
    });
    const traders = await Promise.all(wsCreds.map((creds) => WsTrader.open(wsApiUrl, creds)));
    const wsRuns = traders.map(async (trader, t) => {
      const c = restClients.length + t;
      const lanes = Array.from({ length: 16 }, async (_, lane) => {
        for (let n = lane; n < perClient && !killed; n += 16) {
          sent++;
          const answer = await trader.place(orderParams(c, n));
          record(wsCreds[t], answer && { status: answer.status, json: answer.result });
        }
      });
      await Promise.all(lanes);
    });
    await Promise.all([...restRuns, ...wsRuns]);
    for (const trader of traders) trader.close();
    assert.ok(killed, `the burst was killed midway (acknowledged ${acked.length} of ${sent} sent)`);
    await exitCode(first.child);
    assert.ok(acked.length >= killAt, `${acked.length} orders were acknowledged before the kill`);
    assert.ok(sent >= 1000 || acked.length >= 600, `a burst of ${sent} orders was under way`);

    // The same program restarts on the folder (a kill -9 leaves its lock behind; a dead pid's lock is taken over).
    const service = await runService({ port: 0, dataDir: data, log: () => undefined, marketMaker: true });
    try {
      const { engine, baseUrl: again } = service.sandbox;
      engine.checkInvariants(); // no negative balance; every lock equals its open orders' locks
      assert.deepEqual(await totals(again), totalsBefore, 'every asset is conserved exactly');
      const terminal = new Set(['FILLED', 'CANCELED', 'EXPIRED', 'EXPIRED_IN_MATCH']);
      for (const order of acked) {
        const found = await signed(again, order.creds, 'GET', '/api/v3/order', {
          params: { symbol: 'BTCUSDT', orderId: order.orderId },
        });
        assert.equal(found.status, 200, `acknowledged order ${order.orderId} is there: ${found.text}`);
        if (terminal.has(order.status)) {
          assert.equal(found.json.status, order.status, `order ${order.orderId} kept its final status`);
          assert.equal(found.json.executedQty, order.executedQty);
        } else {
          assert.ok(Number(found.json.executedQty) >= Number(order.executedQty), `order ${order.orderId} lost fills`);
        }
      }
    } finally {
      await service.stop('test done');
    }
  });
});

/** Every asset's total over all accounts (fees included), read from an export of the state. */
async function totals(baseUrl: string): Promise<Record<string, string>> {
  const { decodeState } = await import('../../../src/sandbox/persistence/stateFile');
  const reply = await rawBytes(baseUrl, '/sandbox/v1/state');
  const { state } = decodeState(reply, 'export');
  const sums = new Map<string, bigint>();
  for (const account of state.engine.ledger.accounts)
    for (const [asset, b] of account.balances) sums.set(asset, (sums.get(asset) ?? 0n) + b.free + b.locked);
  return Object.fromEntries([...sums].sort().map(([asset, sum]) => [asset, sum.toString()]));
}

async function rawBytes(baseUrl: string, path: string): Promise<Buffer> {
  const response = await fetch(`${baseUrl}${path}`);
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}
