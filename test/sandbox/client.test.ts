import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { RequestLog, SpotClient, SpotClientOptions } from '../../src/core/client';
import { Credential } from '../../src/core/credentials';
import { Environment, localSandbox } from '../../src/core/environments';
import { BinanceApiError, RateLimitBackoffError } from '../../src/core/errors';
import { FetchTransport } from '../../src/core/fetchTransport';
import { validateOrder } from '../../src/core/filters';
import { EnvironmentMismatchError, Signer } from '../../src/core/signer';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { CREDENTIAL_FORGERIES, ENVIRONMENT_FORGERIES } from '../support/forgeries';

/** SpotClient + FetchTransport against the local sandbox over real sockets on 127.0.0.1. */

/** Pass `id` for a forged environment: the core must be the first to read its id. */
function hmacFor(env: Environment, sandbox: SandboxHandle, label = 'sandbox hmac', id = `h-${env.id}`): Credential {
  return Credential.create({
    id,
    label,
    environment: env,
    keyType: 'hmac',
    apiKey: sandbox.apiKey,
    secret: sandbox.secret,
  });
}

function clientFor(
  sandbox: SandboxHandle,
  options: Partial<SpotClientOptions> = {},
): { client: SpotClient; env: Environment; logs: RequestLog[] } {
  const env = localSandbox(sandbox.baseUrl);
  const logs: RequestLog[] = [];
  const credential = hmacFor(env, sandbox);
  const client = new SpotClient({
    environment: env,
    transport: new FetchTransport(),
    credential: () => credential,
    timeoutMs: 3000,
    reconcileDelaysMs: [20, 50, 100],
    onRequest: (l) => logs.push(l),
    ...options,
  });
  return { client, env, logs };
}

const orderPosts = (sandbox: SandboxHandle): number => sandbox.stats.byPath['POST /api/v3/order'] ?? 0;

describe('SpotClient over the local sandbox', function () {
  this.timeout(20_000);
  let sandbox: SandboxHandle;

  before(async () => {
    sandbox = await startSandbox({ marketMaker: true });
  });
  after(async () => {
    await sandbox?.close();
  });
  afterEach(() => sandbox.faults.clear());

  it('reads public data, the account and balances', async () => {
    const { client, logs } = clientFor(sandbox);
    await client.ping();
    const serverTime = await client.serverTime();
    assert.ok(Math.abs(serverTime - Date.now()) < 5000);
    const info = await client.exchangeInfo({ symbol: 'BTCUSDT' });
    assert.equal(info.symbols[0].symbol, 'BTCUSDT');
    const [price] = await client.tickerPrices(['BTCUSDT']);
    assert.equal(price.symbol, 'BTCUSDT');
    const account = await client.account();
    const usdt = account.balances.find((b) => b.asset === 'USDT');
    assert.ok(usdt && /^\d+\.\d+$/.test(usdt.free));
    const nonZero = await client.account({ omitZeroBalances: true });
    assert.ok(nonZero.balances.every((b) => Number(b.free) + Number(b.locked) > 0));
    assert.ok(client.usage.usedWeight['1M'] > 0);
    assert.ok(logs.every((l) => !l.path.includes('?')));
  });

  it('places, queries, lists and cancels an order; the sandbox filters agree with filters.ts', async () => {
    const { client } = clientFor(sandbox);
    const info = await client.exchangeInfo({ symbol: 'BTCUSDT' });
    const symbol = info.symbols[0];
    const [{ price: ref }] = await client.tickerPrices(['BTCUSDT']);
    // An off-tick, off-step order: filters.ts proposes a corrected one, which the sandbox accepts.
    const draft = {
      symbol: 'BTCUSDT',
      side: 'BUY' as const,
      type: 'LIMIT' as const,
      timeInForce: 'GTC' as const,
      quantity: '0.0012345',
      price: '30000.005',
    };
    const check = validateOrder(draft, symbol, {
      referencePrice: ref,
      openOrderCount: (await client.openOrders('BTCUSDT')).length,
    });
    assert.equal(check.ok, false);
    assert.deepEqual(check.violations.map((v) => v.filter).sort(), ['LOT_SIZE', 'PRICE_FILTER']);
    await assert.rejects(
      client.testOrder(draft),
      (e: BinanceApiError) => e.code === -1013 && (e.filter === 'PRICE_FILTER' || e.filter === 'LOT_SIZE'),
    );
    const order = check.corrected!;
    assert.deepEqual(await client.testOrder(order), {});

    const placed = await client.placeOrder(order);
    assert.equal(placed.outcome, 'accepted');
    if (placed.outcome !== 'accepted') return;
    assert.equal(placed.response.clientOrderId, placed.clientOrderId);
    const byId = await client.getOrder('BTCUSDT', { orderId: placed.response.orderId });
    const byClientId = await client.getOrder('BTCUSDT', { origClientOrderId: placed.clientOrderId });
    assert.equal(byId.orderId, byClientId.orderId);
    assert.equal(byId.status, 'NEW');
    assert.ok((await client.openOrders('BTCUSDT')).some((o) => o.orderId === byId.orderId));
    const canceled = await client.cancelOrder('BTCUSDT', { orderId: byId.orderId });
    assert.equal(canceled.status, 'CANCELED');
    assert.ok(
      (await client.allOrders('BTCUSDT', { limit: 50 })).some(
        (o) => o.orderId === byId.orderId && o.status === 'CANCELED',
      ),
    );
    await assert.rejects(
      client.getOrder('BTCUSDT', { origClientOrderId: 'td-never-placed' }),
      (e: BinanceApiError) => e.code === -2013,
    );
  });

  it('a MARKET order fills and shows up in myTrades', async () => {
    const { client } = clientFor(sandbox);
    const placed = await client.placeOrder({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quoteOrderQty: '20',
      newOrderRespType: 'FULL',
    });
    assert.equal(placed.outcome, 'accepted');
    if (placed.outcome !== 'accepted') return;
    assert.equal(placed.response.status, 'FILLED');
    const trades = await client.myTrades('BTCUSDT', { orderId: placed.response.orderId });
    assert.ok(trades.length > 0);
    assert.ok(trades.every((t) => t.orderId === placed.response.orderId));
  });

  it('clock skew → -1021 → one re-sync fixes it and the read is retried once', async () => {
    const { client, logs } = clientFor(sandbox);
    await client.account(); // synced with offset ≈ 0
    sandbox.faults.setClockSkewMs(-30_000); // the server clock is now 30 s behind: our timestamps are "ahead"
    const account = await client.account();
    assert.ok(account.balances.length > 0);
    const paths = logs.map((l) => `${l.path}:${l.status}${l.errorCode ? `:${l.errorCode}` : ''}`);
    assert.deepEqual(paths.slice(-3), ['/api/v3/account:400:-1021', '/api/v3/time:200', '/api/v3/account:200']);
    assert.ok(Math.abs(client.clockOffsetMs + 30_000) < 2000, `offset ${client.clockOffsetMs}`);
  });

  it('clock skew on an order POST: re-synced, not re-sent, and the next order works', async () => {
    const { client } = clientFor(sandbox);
    await client.syncClock();
    sandbox.faults.setClockSkewMs(20_000); // server 20 s ahead: our timestamps are outside recvWindow
    sandbox.stats.reset();
    const order = {
      symbol: 'BTCUSDT',
      side: 'BUY' as const,
      type: 'LIMIT' as const,
      timeInForce: 'GTC' as const,
      quantity: '0.001',
      price: '30000',
    };
    await assert.rejects(
      client.placeOrder(order),
      (e: BinanceApiError) => e.code === -1021 && /nothing was placed/.test(e.hint) && /re-synced/.test(e.hint),
    );
    assert.equal(orderPosts(sandbox), 1);
    const again = await client.placeOrder(order);
    assert.equal(again.outcome, 'accepted');
    assert.equal(orderPosts(sandbox), 2);
    await client.cancelAllOpenOrders('BTCUSDT');
  });

  it('5xx after processing on the order POST → reconciled, with exactly ONE order POST', async () => {
    const { client } = clientFor(sandbox);
    await client.syncClock();
    sandbox.stats.reset();
    sandbox.faults.failNext(1, 503, { afterProcessing: true });
    const result = await client.placeOrder({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.001',
      price: '30000',
    });
    assert.equal(result.outcome, 'reconciled');
    if (result.outcome === 'reconciled') {
      assert.equal(result.order.clientOrderId, result.clientOrderId);
      assert.equal(result.order.status, 'NEW');
    }
    assert.equal(orderPosts(sandbox), 1);
    assert.equal(sandbox.stats.orderRequests, 1);
    assert.ok((sandbox.stats.byPath['GET /api/v3/order'] ?? 0) >= 1);
    await client.cancelAllOpenOrders('BTCUSDT');
  });

  it('dropped connection after the order was accepted → reconciled, one order POST', async () => {
    const { client } = clientFor(sandbox);
    await client.syncClock();
    sandbox.stats.reset();
    sandbox.faults.dropConnectionAfterNextOrder();
    const result = await client.placeOrder({
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.001',
      price: '90000',
    });
    assert.equal(result.outcome, 'reconciled');
    assert.equal(orderPosts(sandbox), 1);
    await client.cancelAllOpenOrders('BTCUSDT');
  });

  it('5xx before processing → not-placed (the look-up says -2013), one order POST', async () => {
    const { client } = clientFor(sandbox, { recvWindow: 1000 });
    await client.syncClock();
    sandbox.stats.reset();
    const before = (await client.openOrders('BTCUSDT')).length;
    sandbox.faults.failNext(1, 503);
    const result = await client.placeOrder({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.001',
      price: '30000',
    });
    assert.equal(result.outcome, 'not-placed');
    if (result.outcome === 'not-placed') assert.match(result.reason, /never reached the order book/);
    assert.equal(orderPosts(sandbox), 1);
    assert.equal((await client.openOrders('BTCUSDT')).length, before);
  });

  it('a timeout on the order POST → reconciled by look-up, never re-sent', async () => {
    const { client } = clientFor(sandbox, { timeoutMs: 300 });
    await client.syncClock();
    sandbox.stats.reset();
    sandbox.faults.setLatencyMs(600); // the POST is processed at ~600 ms, after the client gave up at 300 ms
    const pending = client.placeOrder({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.001',
      price: '30000',
    });
    setTimeout(() => sandbox.faults.setLatencyMs(0), 350);
    const result = await pending;
    assert.equal(result.outcome, 'reconciled');
    assert.equal(orderPosts(sandbox), 1);
    await client.cancelAllOpenOrders('BTCUSDT');
  });

  it('not-placed is only concluded after the recvWindow has passed (a slow POST can still land)', async () => {
    // recvWindow 1500: the POST lands at ~700 ms, after every quick look-up said -2013.
    const { client } = clientFor(sandbox, { timeoutMs: 150, recvWindow: 1500, reconcileDelaysMs: [1, 1] });
    await client.syncClock();
    sandbox.stats.reset();
    sandbox.faults.setLatencyMs(700);
    const pending = client.placeOrder({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.001',
      price: '30000',
    });
    setTimeout(() => sandbox.faults.setLatencyMs(0), 160);
    const result = await pending;
    assert.equal(result.outcome, 'reconciled');
    assert.equal(orderPosts(sandbox), 1);
    await client.cancelAllOpenOrders('BTCUSDT');
  });

  it('429 → BinanceApiError with Retry-After, then a backoff gate that sends nothing until it passes', async () => {
    const { client } = clientFor(sandbox);
    await client.syncClock();
    sandbox.faults.forceRateLimit(429, 1);
    await assert.rejects(
      client.account(),
      (e: BinanceApiError) => e.httpStatus === 429 && e.code === -1003 && e.retryAfterSeconds === 1,
    );
    const seen = sandbox.stats.requests;
    await assert.rejects(client.account(), RateLimitBackoffError);
    await assert.rejects(client.ping(), RateLimitBackoffError);
    assert.equal(sandbox.stats.requests, seen);
    await new Promise((r) => setTimeout(r, 1100));
    await client.ping();
    assert.equal(sandbox.stats.requests, seen + 1);
  });

  it('418 ban sets retryAfterSeconds too', async () => {
    const { client } = clientFor(sandbox);
    sandbox.faults.forceRateLimit(418, 1);
    await assert.rejects(
      client.ping(),
      (e: BinanceApiError) => e.httpStatus === 418 && e.retryAfterSeconds === 1 && /auto-banned/.test(e.hint),
    );
  });

  it('an Ed25519 key works (account and order test)', async () => {
    const env = localSandbox(sandbox.baseUrl);
    const ed = Credential.create({
      id: 'ed',
      label: 'sandbox ed25519',
      environment: env,
      keyType: 'ed25519',
      apiKey: sandbox.ed25519.apiKey,
      privateKeyPem: sandbox.ed25519.privateKeyPem,
    });
    const client = new SpotClient({ environment: env, transport: new FetchTransport(), credential: () => ed });
    assert.ok((await client.account()).balances.length > 0);
    assert.deepEqual(
      await client.testOrder({
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        price: '30000',
      }),
      {},
    );
  });

  it('an RSA key registered with the sandbox works', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { apiKey } = sandbox.registerPublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const env = localSandbox(sandbox.baseUrl);
    const rsa = Credential.create({
      id: 'rsa',
      label: 'sandbox rsa',
      environment: env,
      keyType: 'rsa',
      apiKey,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const client = new SpotClient({ environment: env, transport: new FetchTransport(), credential: () => rsa });
    assert.ok((await client.account()).balances.length > 0);
  });

  it('a wrong secret → -1022 with the signature hint; an unknown key → -2015 with the environment hint', async () => {
    const env = localSandbox(sandbox.baseUrl);
    const wrongSecret = Credential.create({
      id: 'w',
      label: 'wrong',
      environment: env,
      keyType: 'hmac',
      apiKey: sandbox.apiKey,
      secret: 'not-the-secret',
    });
    const a = new SpotClient({ environment: env, transport: new FetchTransport(), credential: () => wrongSecret });
    await assert.rejects(a.account(), (e: BinanceApiError) => e.code === -1022 && /percent-encoded/.test(e.hint));
    const unknownKey = Credential.create({
      id: 'u',
      label: 'unknown',
      environment: env,
      keyType: 'hmac',
      apiKey: 'unknownKey123456',
      secret: 'x',
    });
    const b = new SpotClient({ environment: env, transport: new FetchTransport(), credential: () => unknownKey });
    await assert.rejects(
      b.account(),
      (e: BinanceApiError) => (e.code === -2015 || e.code === -2014) && /environment/.test(e.hint),
    );
  });
});

describe('two sandboxes: keys never cross', function () {
  this.timeout(20_000);
  let a: SandboxHandle;
  let b: SandboxHandle;
  before(async () => {
    [a, b] = await Promise.all([startSandbox({ marketMaker: false }), startSandbox({ marketMaker: false })]);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it("a client for sandbox A given sandbox B's credential sends zero requests to either", async () => {
    const envA = localSandbox(a.baseUrl);
    const envB = localSandbox(b.baseUrl);
    assert.notEqual(envA.id, envB.id);
    const credB = hmacFor(envB, b, 'sandbox B key');
    const client = new SpotClient({ environment: envA, transport: new FetchTransport(), credential: () => credB });
    a.stats.reset();
    b.stats.reset();
    const calls: Array<() => Promise<unknown>> = [
      () => client.account(),
      () => client.openOrders('BTCUSDT'),
      () => client.allOrders('BTCUSDT'),
      () => client.myTrades('BTCUSDT'),
      () => client.getOrder('BTCUSDT', { orderId: 1 }),
      () => client.placeOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' }),
      () => client.testOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' }),
      () => client.cancelOrder('BTCUSDT', { orderId: 1 }),
      () => client.cancelAllOpenOrders('BTCUSDT'),
    ];
    for (const call of calls) {
      await assert.rejects(
        call(),
        (e: Error) => e instanceof EnvironmentMismatchError && /Nothing was sent/.test(e.message),
      );
    }
    assert.equal(a.stats.requests, 0);
    assert.equal(b.stats.requests, 0);
    // Control: B's own client does reach B.
    const own = new SpotClient({ environment: envB, transport: new FetchTransport(), credential: () => credB });
    await own.account();
    assert.ok(b.stats.requests > 0);
    assert.equal(a.stats.requests, 0);
  });

  // Each forgery claims A's id and carries (or turns into) B's hosts; see test/support/forgeries.ts.
  // It is handed to the credential, the client or both; A's real key must reach A or nothing, and B
  // must count zero requests (not even the unsigned clock sync).
  type Scenario = { role: string; credential: 'A' | 'forged'; client: 'A' | 'B' | 'forged'; reachesA: boolean };
  const SCENARIOS: readonly Scenario[] = [
    { role: 'credential, client of A', credential: 'forged', client: 'A', reachesA: true },
    { role: 'credential, client of B', credential: 'forged', client: 'B', reachesA: false },
    { role: 'client', credential: 'A', client: 'forged', reachesA: true },
    // A getter that answers B's id from its second read on leaves the client, built second, for B.
    { role: 'credential and client', credential: 'forged', client: 'forged', reachesA: false },
  ];
  for (const [forgery, forge] of Object.entries(ENVIRONMENT_FORGERIES)) {
    it(`a forged environment (${forgery}) never takes A's key to B`, async () => {
      const envA = localSandbox(a.baseUrl);
      const envB = localSandbox(b.baseUrl);
      const problems: string[] = [];
      for (const scenario of SCENARIOS) {
        const forged = forge(envA, envB);
        const pick = (which: 'A' | 'B' | 'forged'): Environment =>
          which === 'A' ? envA : which === 'B' ? envB : forged.environment;
        a.stats.reset();
        b.stats.reset();
        const credential = hmacFor(pick(scenario.credential), a, 'sandbox A key', 'forged');
        const client = new SpotClient({
          environment: pick(scenario.client),
          transport: new FetchTransport(),
          credential: () => credential,
          timeoutMs: 3000,
        });
        forged.afterCreate();
        const outcome = await client.account().then(
          () => 'answered',
          (e: Error) => `${e.name}: ${e.message}`,
        );
        const refused = /^EnvironmentMismatchError: .*Nothing was sent/.test(outcome) && a.stats.requests === 0;
        const answeredByA = outcome === 'answered' && a.stats.byPath['GET /api/v3/account'] === 1;
        if (b.stats.requests !== 0) problems.push(`${scenario.role}: B received ${JSON.stringify(b.stats.byPath)}`);
        else if (scenario.reachesA ? !answeredByA : !(answeredByA || refused))
          problems.push(`${scenario.role}: ${outcome}, A saw ${JSON.stringify(a.stats.byPath)}`);
      }
      assert.deepEqual(problems, []);
    });
  }

  it("a request whose path answers differently on its second read is still built for A's host", async () => {
    const envA = localSandbox(a.baseUrl);
    let reads = 0;
    // Appended to A's origin, "@127.0.0.1:PORT_B/..." would make A's host:port the userinfo and B the host.
    const request = {
      environment: envA,
      method: 'GET' as const,
      get path(): string {
        return reads++ === 0 ? '/api/v3/account' : `@${new URL(b.baseUrl).host}/api/v3/account`;
      },
    };
    const prepared = new Signer(hmacFor(envA, a, 'sandbox A key')).signRest(request, {
      timestamp: Date.now(),
      recvWindow: 5000,
    });
    a.stats.reset();
    b.stats.reset();
    await new FetchTransport().send(prepared, { timeoutMs: 3000 });
    assert.equal(b.stats.requests, 0, `B received ${JSON.stringify(b.stats.byPath)}`);
    assert.equal(a.stats.byPath['GET /api/v3/account'], 1);
  });

  for (const [forgery, forge] of Object.entries(CREDENTIAL_FORGERIES)) {
    it(`a forged credential (${forgery}) carrying A's key is refused for B with zero requests`, async () => {
      const envA = localSandbox(a.baseUrl);
      const envB = localSandbox(b.baseUrl);
      const forged = forge(hmacFor(envA, a, 'sandbox A key'), envB);
      const client = new SpotClient({ environment: envB, transport: new FetchTransport(), credential: () => forged });
      a.stats.reset();
      b.stats.reset();
      await assert.rejects(
        client.account(),
        (e: Error) => e.name === 'SignerError' && /not a genuine Credential/.test(e.message),
      );
      assert.equal(b.stats.requests, 0, `B received ${JSON.stringify(b.stats.byPath)}`);
      assert.equal(a.stats.requests, 0);
    });
  }
});
