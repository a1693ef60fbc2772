/**
 * Section 5: request weight of keeping the Balances and Orders views current, by polling versus the
 * WebSocket API user data stream. Every weight is read from the sandbox's X-MBX-USED-WEIGHT-1M
 * header (a cumulative per-minute counter) as the difference between consecutive responses.
 */
import WebSocket from 'ws';
import { SpotClient } from '../../src/core/client';
import { Credential } from '../../src/core/credentials';
import { localSandbox } from '../../src/core/environments';
import { FetchTransport } from '../../src/core/fetchTransport';
import { Signer } from '../../src/core/signer';
import { startSandbox } from '../../src/sandbox';
import { ORDER } from '../lib/callers';
import { fixed, markdownTable, sleep } from '../lib/stats';

const POLL_SECONDS = 30;
const IDLE_MS = 3000;
const MINUTE = 60_000;

export async function runRefreshWeight(): Promise<string> {
  // Default rate limits (6000 weight/min), like the testnet.
  const sandbox = await startSandbox({ marketMaker: false });
  const environment = localSandbox(sandbox.baseUrl);
  const credential = Credential.create({
    id: 'bench',
    label: 'bench',
    environment,
    keyType: 'hmac',
    apiKey: sandbox.apiKey,
    secret: sandbox.secret,
  });
  let lastWeight = NaN;
  const client = new SpotClient({
    environment,
    transport: new FetchTransport(),
    credential: () => credential,
    onRequest: (log) => (lastWeight = log.usedWeight ?? NaN),
  });
  let ws: WebSocket | undefined;
  try {
    await client.syncClock();
    // The counter resets each minute; keep the whole measurement inside one window.
    const toBoundary = MINUTE - (Date.now() % MINUTE);
    if (toBoundary < 15_000) await sleep(toBoundary + 50);
    const minute = Math.floor(Date.now() / MINUTE);

    /** Weight charged by `action`, from the counter before (a ping) and after. */
    const step = async (action: () => Promise<unknown>): Promise<number> => {
      const before = lastWeight;
      await action();
      return lastWeight - before;
    };
    await client.ping();
    const ping = await step(() => client.ping());
    const account = await step(() => client.account({ omitZeroBalances: true }));
    const ticker = await step(() => client.tickerPrices());
    const openOrders = await step(() => client.openOrders());

    // The stream: connect, subscribe as UserDataStream does, then watch the counter while idle.
    await client.ping();
    const before = lastWeight;
    ws = new WebSocket(sandbox.wsApiUrl, { handshakeTimeout: 5000 });
    const socket = ws;
    const events: string[] = [];
    const replies = new Map<string, (m: { status?: number }) => void>();
    socket.on('message', (data) => {
      const m = JSON.parse(String(data)) as { id?: string; status?: number; event?: { e?: string } };
      if (m.id && replies.has(m.id)) replies.get(m.id)!(m);
      else if (m.event?.e) events.push(m.event.e);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    await client.ping();
    const connect = lastWeight - before - ping;
    const subscribed = new Promise<{ status?: number }>((resolve, reject) => {
      replies.set('sub', resolve);
      setTimeout(() => reject(new Error('no subscribe reply within 5 s')), 5000).unref();
    });
    const params = new Signer(credential).signWsParams(
      environment,
      {},
      { timestamp: Date.now() + client.clockOffsetMs },
    );
    const afterConnect = lastWeight;
    socket.send(JSON.stringify({ id: 'sub', method: 'userDataStream.subscribe.signature', params }));
    const reply = await subscribed;
    if (reply.status !== 200) throw new Error(`subscribe refused: ${JSON.stringify(reply)}`);
    await client.ping();
    const subscribe = lastWeight - afterConnect - ping;

    // One order and its cancel: the stream reports both without any extra request.
    const order = await step(() => client.placeOrder({ ...ORDER }));
    const cancel = await step(() => client.cancelAllOpenOrders(ORDER.symbol));
    const quietFrom = lastWeight;
    await sleep(IDLE_MS);
    await client.ping();
    const idle = lastWeight - quietFrom - ping;
    if (Math.floor(Date.now() / MINUTE) !== minute)
      throw new Error('the measurement crossed a minute boundary; run again');

    const cycle = account + ticker + openOrders;
    const cycleNoValuation = account + openOrders;
    const perMinute = (60 / POLL_SECONDS) * cycle;
    const perMinuteNoValuation = (60 / POLL_SECONDS) * cycleNoValuation;
    const connectDoc = 2; // reference §1.1: connecting to the WS API costs 2 weight (the sandbox charges none)
    const lifetimeMinutes = 24 * 60; // a WS API connection is valid for 24 h
    const amortized = (Math.max(connect, connectDoc) + subscribe + cycle) / lifetimeMinutes;
    const pct = (w: number): string => `${fixed((w / 6000) * 100, w > 0 && w < 6 ? 4 : 2)} %`;

    const perRequest = markdownTable(
      ['request (as the extension sends it)', 'measured weight'],
      [
        ['GET /api/v3/ping (used to read the counter)', String(ping)],
        ['GET /api/v3/account?omitZeroBalances=true (Balances view)', String(account)],
        ['GET /api/v3/ticker/price, all symbols (valuation in USDT, the default)', String(ticker)],
        ['GET /api/v3/openOrders, all symbols (Orders view)', String(openOrders)],
        ['WS API connect (sandbox; Binance documents 2)', String(connect)],
        ['WS API userDataStream.subscribe.signature', String(subscribe)],
        ['POST /api/v3/order + DELETE /api/v3/openOrders (accepted orders cost 0)', `${order} + ${cancel}`],
        [`stream open, ${IDLE_MS / 1000} s idle after the order events (${events.join(', ') || 'none'})`, String(idle)],
      ],
    );
    const modes = markdownTable(
      ['mode', 'derivation', 'weight/min', 'share of 6000/min'],
      [
        [
          `polling every ${POLL_SECONDS} s (default), valuation on`,
          `(${account} + ${ticker} + ${openOrders}) = ${cycle} per cycle × ${60 / POLL_SECONDS} cycles/min`,
          fixed(perMinute, 0),
          pct(perMinute),
        ],
        [
          `polling every ${POLL_SECONDS} s, valuation asset empty`,
          `(${account} + ${openOrders}) = ${cycleNoValuation} × ${60 / POLL_SECONDS}`,
          fixed(perMinuteNoValuation, 0),
          pct(perMinuteNoValuation),
        ],
        [
          'user data stream, steady state',
          `no polling while connected; ${idle} weight measured over ${IDLE_MS / 1000} s idle, × 20`,
          fixed((idle * MINUTE) / IDLE_MS, 0),
          pct((idle * MINUTE) / IDLE_MS),
        ],
        [
          'user data stream, one-off per (re)connection',
          `connect ${Math.max(connect, connectDoc)} (documented) + subscribe ${subscribe} + at most one catch-up refresh ${cycle}`,
          `${Math.max(connect, connectDoc) + subscribe + cycle} once`,
          '—',
        ],
        [
          'user data stream, amortized over a 24 h connection',
          `(${Math.max(connect, connectDoc)} + ${subscribe} + ${cycle}) ÷ 1440 min`,
          fixed(amortized, 3),
          pct(amortized),
        ],
      ],
    );
    return [
      '### 5. Request weight per balances + orders refresh: polling vs user data stream',
      '',
      "Per-request weights measured in this run as differences of the sandbox's X-MBX-USED-WEIGHT-1M counter (default limits, one minute window, nothing else talking to this sandbox). A refresh cycle is what RefreshCoordinator.refreshAll() sends: BalancesProvider (account + all-symbol ticker prices when a valuation asset is set) and OrdersProvider (openOrders for all symbols).",
      '',
      perRequest,
      '',
      `Derived rates (polling only runs while a view is visible and the stream is down; with the stream connected, order and balance changes arrive as events; only a balanceUpdate event triggers a balances refresh, ${account + ticker} weight each):`,
      '',
      modes,
      '',
      `Polling at ${POLL_SECONDS} s costs ${fixed(perMinute, 0)} weight/min; the stream costs ${idle === 0 ? 'nothing' : `${idle}`} per minute in steady state, and about ${fixed(amortized, 3)}/min amortized. A ratio is not finite here, so the table gives absolute weights. They are deterministic (the sandbox charges the documented endpoint weights: account 20, ticker/price without symbol 4, openOrders without symbol 80, subscribe 2, accepted orders 0), not timings; the steady-state 0 is a 3 s observation extrapolated to a minute, backed by the code path (no timer runs while the stream is connected).`,
    ].join('\n');
  } finally {
    ws?.terminate();
    await sandbox.close();
  }
}
