/**
 * The official connector (@binance/spot) must work against the sandbox unchanged, given only the
 * sandbox base URL. Every TCP connection is checked: nothing may leave 127.0.0.1.
 */
import * as assert from 'node:assert/strict';
import { Spot, SpotRestAPI, SpotWebsocketAPI, SpotWebsocketStreams } from '@binance/spot';
import { useGuardedSandbox } from './guardedSandbox';
import { assertOnlySandboxContacted } from './loopbackGuard';

describe('compatibility: @binance/spot connector against the sandbox', function () {
  this.timeout(30000);
  const ctx = useGuardedSandbox();

  function clients(): { label: string; client: Spot }[] {
    return [
      {
        label: 'HMAC',
        client: new Spot({
          configurationRestAPI: {
            apiKey: ctx.sb.apiKey,
            apiSecret: ctx.sb.secret,
            basePath: ctx.sb.baseUrl,
            retries: 0,
            keepAlive: false,
          },
        }),
      },
      {
        label: 'Ed25519',
        client: new Spot({
          configurationRestAPI: {
            apiKey: ctx.sb.ed25519.apiKey,
            privateKey: ctx.sb.ed25519.privateKeyPem,
            basePath: ctx.sb.baseUrl,
            retries: 0,
            keepAlive: false,
          },
        }),
      },
    ];
  }

  it('reads exchange info and prices', async () => {
    const { client } = clients()[0];
    const info = await (await client.restAPI.exchangeInfo({ symbol: 'BTCUSDT' })).data();
    assert.equal(info.symbols?.[0]?.symbol, 'BTCUSDT');
    const price = await (await client.restAPI.tickerPrice({ symbol: 'ETHUSDT' })).data();
    assert.equal((price as { symbol: string }).symbol, 'ETHUSDT');
  });

  for (const index of [0, 1]) {
    it(`fetches balances, places, queries and cancels an order (${index === 0 ? 'HMAC' : 'Ed25519'} key)`, async () => {
      const { client } = clients()[index];
      const account = await (await client.restAPI.getAccount()).data();
      const usdt = account.balances?.find((b) => b.asset === 'USDT');
      assert.ok(usdt && Number(usdt.free) > 0, JSON.stringify(account.balances));

      const placedResponse = await client.restAPI.newOrder({
        symbol: 'BTCUSDT',
        side: SpotRestAPI.NewOrderSideEnum.BUY,
        type: SpotRestAPI.NewOrderTypeEnum.LIMIT,
        timeInForce: SpotRestAPI.NewOrderTimeInForceEnum.GTC,
        quantity: 0.001,
        price: 50000,
      });
      assert.ok(
        placedResponse.rateLimits?.some((r) => r.rateLimitType === 'ORDERS'),
        'order-count headers are understood',
      );
      const placed = await placedResponse.data();
      assert.equal(placed.status, 'NEW');
      assert.equal(placed.price, '50000.00000000');

      const queried = await (await client.restAPI.getOrder({ symbol: 'BTCUSDT', orderId: placed.orderId })).data();
      assert.equal(queried.clientOrderId, placed.clientOrderId);
      assert.equal(queried.status, 'NEW');

      const canceled = await (await client.restAPI.deleteOrder({ symbol: 'BTCUSDT', orderId: placed.orderId })).data();
      assert.equal(canceled.status, 'CANCELED');

      const market = await (
        await client.restAPI.newOrder({
          symbol: 'ETHUSDT',
          side: SpotRestAPI.NewOrderSideEnum.BUY,
          type: SpotRestAPI.NewOrderTypeEnum.MARKET,
          quoteOrderQty: 20,
        })
      ).data();
      assert.equal(market.status, 'FILLED');
      assert.ok((market.fills?.length ?? 0) > 0);
    });
  }

  it('surfaces sandbox errors as the connector error types', async () => {
    const { client } = clients()[0];
    await assert.rejects(client.restAPI.getOrder({ symbol: 'BTCUSDT', orderId: 424242 }), (error: Error) =>
      /Order does not exist/.test(error.message),
    );
  });

  it('never contacted anything but 127.0.0.1', () => {
    assertOnlySandboxContacted(ctx.guard, ctx.sb.baseUrl);
  });
});

describe('compatibility: @binance/spot WebSocket API user data stream against the sandbox', function () {
  this.timeout(30000);
  const ctx = useGuardedSandbox(quietConnectorLogs);

  async function nextExecutionReport(
    stream: { on(event: 'message', cb: (data: unknown) => void): void },
    clientOrderId: string,
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no executionReport')), 5000);
      stream.on('message', (data) => {
        const event = data as Record<string, unknown>;
        if (event.e === 'executionReport' && event.c === clientOrderId && event.x === 'TRADE') {
          clearTimeout(timer);
          resolve(event);
        }
      });
    });
  }

  it('subscribes with an HMAC signature and with an Ed25519 session logon, and receives executionReports', async () => {
    const hmacWs = new Spot({
      configurationWebsocketAPI: { apiKey: ctx.sb.apiKey, apiSecret: ctx.sb.secret, wsURL: ctx.sb.wsApiUrl },
    });
    const edWs = new Spot({
      configurationWebsocketAPI: {
        apiKey: ctx.sb.ed25519.apiKey,
        privateKey: ctx.sb.ed25519.privateKeyPem,
        wsURL: ctx.sb.wsApiUrl,
      },
    });
    const rest = new Spot({
      configurationRestAPI: {
        apiKey: ctx.sb.apiKey,
        apiSecret: ctx.sb.secret,
        basePath: ctx.sb.baseUrl,
        retries: 0,
        keepAlive: false,
      },
    });
    const hmacConn = await hmacWs.websocketAPI.connect();
    const edConn = await edWs.websocketAPI.connect();
    try {
      const time = await hmacConn.time();
      assert.ok(Math.abs(Number(time.data.serverTime) - Date.now()) < 2000);
      const bySignature = await hmacConn.userDataStreamSubscribeSignature();
      assert.equal(typeof bySignature.response.data.subscriptionId, 'number');
      const logon = await edConn.sessionLogon();
      assert.equal(logon[0].data.apiKey, ctx.sb.ed25519.apiKey);
      const bySession = await edConn.userDataStreamSubscribe();
      const fromSignature = nextExecutionReport(bySignature.stream, 'conn-ws-1');
      const fromSession = nextExecutionReport(bySession.stream, 'conn-ws-1');
      await (
        await rest.restAPI.newOrder({
          symbol: 'ETHUSDT',
          side: SpotRestAPI.NewOrderSideEnum.BUY,
          type: SpotRestAPI.NewOrderTypeEnum.MARKET,
          quantity: 0.01,
          newClientOrderId: 'conn-ws-1',
        })
      ).data();
      const [a, b] = await Promise.all([fromSignature, fromSession]);
      assert.equal(a.s, 'ETHUSDT');
      assert.equal(b.X, 'FILLED');
    } finally {
      await hmacConn.disconnect();
      await edConn.disconnect();
    }
    assertOnlySandboxContacted(ctx.guard, ctx.sb.baseUrl);
  });
});

describe('compatibility: @binance/spot WebSocket API trading methods against the sandbox', function () {
  this.timeout(30000);
  const ctx = useGuardedSandbox(quietConnectorLogs);

  it('places, queries and cancels orders signed per request (HMAC) and after session.logon (Ed25519)', async () => {
    const hmacWs = new Spot({
      configurationWebsocketAPI: { apiKey: ctx.sb.apiKey, apiSecret: ctx.sb.secret, wsURL: ctx.sb.wsApiUrl },
    });
    const edWs = new Spot({
      configurationWebsocketAPI: {
        apiKey: ctx.sb.ed25519.apiKey,
        privateKey: ctx.sb.ed25519.privateKeyPem,
        wsURL: ctx.sb.wsApiUrl,
      },
    });
    const h = await hmacWs.websocketAPI.connect();
    const e = await edWs.websocketAPI.connect();
    try {
      const placed = await h.orderPlace({
        symbol: 'BTCUSDT',
        side: SpotWebsocketAPI.OrderPlaceSideEnum.BUY,
        type: SpotWebsocketAPI.OrderPlaceTypeEnum.LIMIT,
        timeInForce: SpotWebsocketAPI.OrderPlaceTimeInForceEnum.GTC,
        quantity: 0.001,
        price: 50000,
      });
      assert.equal(placed.data.status, 'NEW');
      assert.ok(placed.rateLimits?.some((r) => r.rateLimitType === 'ORDERS'));
      const status = await h.orderStatus({ symbol: 'BTCUSDT', orderId: Number(placed.data.orderId) });
      assert.equal(status.data.clientOrderId, placed.data.clientOrderId);
      const canceled = await h.orderCancel({ symbol: 'BTCUSDT', orderId: Number(placed.data.orderId) });
      assert.equal((canceled.data as { status?: string }).status, 'CANCELED');

      await e.sessionLogon();
      const market = await e.orderPlace({
        symbol: 'ETHUSDT',
        side: SpotWebsocketAPI.OrderPlaceSideEnum.BUY,
        type: SpotWebsocketAPI.OrderPlaceTypeEnum.MARKET,
        quoteOrderQty: 20,
      });
      assert.equal(market.data.status, 'FILLED');
      const resting = await e.orderPlace({
        symbol: 'ETHUSDT',
        side: SpotWebsocketAPI.OrderPlaceSideEnum.BUY,
        type: SpotWebsocketAPI.OrderPlaceTypeEnum.LIMIT,
        timeInForce: SpotWebsocketAPI.OrderPlaceTimeInForceEnum.GTC,
        quantity: 0.01,
        price: 2500,
      });
      const open = await e.openOrdersStatus({ symbol: 'ETHUSDT' });
      assert.ok(open.data.some((o) => o.orderId === resting.data.orderId));
      const account = await e.accountStatus({ omitZeroBalances: true });
      assert.ok(account.data.balances?.some((b) => b.asset === 'ETH' && Number(b.free) > 1));
      const all = await e.openOrdersCancelAll({ symbol: 'ETHUSDT' });
      assert.ok(Array.isArray(all.data) && all.data.length >= 1);
      await assert.rejects(
        h.orderStatus({ symbol: 'BTCUSDT', orderId: 424242 }),
        (error: { code?: number; message?: string }) =>
          error.code === -2013 || /Order does not exist/.test(String(error.message)),
      );
    } finally {
      await h.disconnect();
      await e.disconnect();
    }
    assertOnlySandboxContacted(ctx.guard, ctx.sb.baseUrl);
  });
});

describe('compatibility: @binance/spot WebSocket market streams against the sandbox', function () {
  this.timeout(30000);
  const ctx = useGuardedSandbox(quietConnectorLogs);

  it('receives trade and kline events from the sandbox through the connector (stream URL pointed at it)', async () => {
    // The connector appends /stream?streams=... to wsURL, like on wss://stream.testnet.binance.vision.
    const streams = new Spot({ configurationWebsocketStreams: { wsURL: ctx.sb.baseUrl.replace('http:', 'ws:') } });
    const rest = new Spot({
      configurationRestAPI: {
        apiKey: ctx.sb.apiKey,
        apiSecret: ctx.sb.secret,
        basePath: ctx.sb.baseUrl,
        retries: 0,
        keepAlive: false,
      },
    });
    const connection = await streams.websocketStreams.connect();
    try {
      const trades = connection.trade({ symbol: 'btcusdt' });
      const klines = connection.kline({
        symbol: 'btcusdt',
        interval: SpotWebsocketStreams.KlineIntervalEnum.INTERVAL_1m,
      });
      const gotTrade = new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no trade event')), 5000);
        trades.on('message', (data) => {
          clearTimeout(timer);
          resolve(data as unknown as Record<string, unknown>);
        });
      });
      const gotKline = new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no kline event')), 5000);
        klines.on('message', (data) => {
          clearTimeout(timer);
          resolve(data as unknown as Record<string, unknown>);
        });
      });
      // The connector subscribes asynchronously once connected: trade until the first events arrive.
      const tradeIds: number[] = [];
      let done = false;
      const both = Promise.all([gotTrade, gotKline]).finally(() => (done = true));
      for (let i = 0; i < 10 && !done; i++) {
        const placed = await (
          await rest.restAPI.newOrder({
            symbol: 'BTCUSDT',
            side: SpotRestAPI.NewOrderSideEnum.BUY,
            type: SpotRestAPI.NewOrderTypeEnum.MARKET,
            quantity: 0.001,
            newOrderRespType: SpotRestAPI.NewOrderNewOrderRespTypeEnum.FULL,
          })
        ).data();
        for (const fill of placed.fills ?? []) tradeIds.push(Number(fill.tradeId));
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const [trade, kline] = await both;
      assert.equal(trade.e, 'trade');
      assert.equal(trade.s, 'BTCUSDT');
      assert.ok(tradeIds.includes(Number(trade.t)), `${String(trade.t)} in ${tradeIds.join(',')}`);
      assert.equal(kline.e, 'kline');
      assert.equal((kline.k as Record<string, unknown>).i, '1m');
    } finally {
      await connection.disconnect();
    }
    assertOnlySandboxContacted(ctx.guard, ctx.sb.baseUrl);
  });
});

/** The connector logs every WebSocket connect at info level; keep test output readable. */
function quietConnectorLogs(): void {
  try {
    type CommonModule = { Logger: { getInstance(): { setMinLogLevel(level: string): void } } };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a transitive module, loaded only if present
    const common = require('@binance/common') as CommonModule;
    common.Logger.getInstance().setMinLogLevel('error');
  } catch {
    // only cosmetic
  }
}
