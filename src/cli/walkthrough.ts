/**
 * `npm run demo`: the extension's main job, end to end, on the local sandbox, through the same core
 * the extension uses (environments, credentials, signer, SpotClient, filters). No keys from anyone,
 * no network beyond 127.0.0.1. Exits non-zero if any step does not behave as described.
 */
import type { SymbolInfo } from '../core/api';
import { SpotClient } from '../core/client';
import { Credential } from '../core/credentials';
import { localSandbox, SPOT_TESTNET } from '../core/environments';
import { describeError } from '../core/errors';
import { FetchTransport } from '../core/fetchTransport';
import { findFilter, validateOrder } from '../core/filters';
import * as D from '../core/decimal';
import { EnvironmentMismatchError } from '../core/signer';
import { startSandbox } from '../sandbox';

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const step = (n: number, title: string): void => out(`\n${n}. ${title}`);

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`walkthrough check failed: ${what}`);
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: 0 });
  try {
    const environment = localSandbox(sandbox.baseUrl);
    out(`Local sandbox listening at ${sandbox.baseUrl} (WebSocket API ${sandbox.wsApiUrl})`);

    // Ed25519 is Binance's recommended key type; the sandbox generated one like the testnet key page would.
    const key = Credential.create({
      id: 'walkthrough',
      label: 'walkthrough key',
      environment,
      keyType: 'ed25519',
      apiKey: sandbox.ed25519.apiKey,
      privateKeyPem: sandbox.ed25519.privateKeyPem,
    });
    const client = new SpotClient({
      environment,
      transport: new FetchTransport(),
      credential: () => key,
      onRequest: (log) =>
        out(`     ${log.method} ${log.path} → ${log.status}  weight ${log.usedWeight ?? '-'}  ${log.latencyMs} ms`),
    });

    step(1, `Key ${key.describe()} is bound to ${environment.label}; clock sync`);
    const sync = await client.syncClock();
    out(`   server clock offset ${sync.offsetMs} ms (round trip ${sync.rttMs} ms)`);

    step(2, 'Balances (non-zero)');
    const account = await client.account({ omitZeroBalances: true });
    for (const b of account.balances) out(`   ${b.asset.padEnd(6)} free ${b.free.padStart(20)}  locked ${b.locked}`);
    expect(account.balances.length > 0, 'the sandbox account has balances');

    step(3, 'Validate a LIMIT BUY on BTCUSDT against exchangeInfo filters before sending anything');
    const info = await client.exchangeInfo({ symbol: 'BTCUSDT' });
    const symbol: SymbolInfo = info.symbols[0];
    const [ticker] = await client.tickerPrices(['BTCUSDT']);
    const farBelow = D.mul(ticker.price, '0.9');
    const draft = {
      symbol: 'BTCUSDT',
      side: 'BUY' as const,
      type: 'LIMIT' as const,
      timeInForce: 'GTC' as const,
      price: farBelow,
      quantity: '0.0012345678',
    };
    const ordersBefore = sandbox.stats.orderRequests;
    const check = validateOrder(draft, symbol, { referencePrice: ticker.price });
    for (const v of check.violations)
      out(`   refused locally: ${v.filter}: ${v.message}${v.suggestion ? ` → suggested ${v.suggestion}` : ''}`);
    expect(!check.ok && check.corrected !== undefined, 'the draft needs correcting');
    expect(sandbox.stats.orderRequests === ordersBefore, 'nothing was sent for the invalid draft');
    const order = check.corrected!;
    expect(
      validateOrder(order, symbol, { referencePrice: ticker.price }).ok,
      'the corrected order passes every filter',
    );
    out(`   corrected order: ${order.side} ${order.quantity} @ ${order.price} (0 order requests sent so far)`);

    step(4, 'Dry run with order/test (computeCommissionRates)');
    const rates = await client.testOrder(order, { computeCommissionRates: true });
    out(`   commission rates: ${JSON.stringify(rates)}`);

    step(5, 'Place it');
    const placed = await client.placeOrder(order);
    expect(placed.outcome === 'accepted', 'the order is accepted');
    out(`   ${placed.outcome}: client order id ${placed.clientOrderId}`);
    const open = await client.openOrders('BTCUSDT');
    expect(
      open.some((o) => o.clientOrderId === placed.clientOrderId),
      'the order is open',
    );
    out(`   open orders on BTCUSDT: ${open.length}`);

    step(6, 'The same signer refuses a Spot Testnet key here, before any I/O');
    const testnetKey = Credential.create({
      id: 'tn',
      label: 'my testnet key',
      environment: SPOT_TESTNET,
      keyType: 'hmac',
      apiKey: 'TESTNETKEY0000000000000000000000',
      secret: 'not-a-real-secret',
    });
    const strayClient = new SpotClient({ environment, transport: new FetchTransport(), credential: () => testnetKey });
    const requestsBefore = sandbox.stats.requests;
    try {
      await strayClient.account();
      expect(false, 'the mismatched key must be refused');
    } catch (error) {
      expect(error instanceof EnvironmentMismatchError, 'refused with EnvironmentMismatchError');
      out(`   ${describeError(error).message}`);
    }
    expect(sandbox.stats.requests === requestsBefore, 'zero requests reached the sandbox');
    out(`   requests that reached the sandbox: ${sandbox.stats.requests - requestsBefore}`);

    step(7, 'An order whose answer is lost (HTTP 503 after the exchange accepted it) is reconciled, not re-sent');
    sandbox.faults.failNext(1, 503, { afterProcessing: true });
    const postsBefore = sandbox.stats.byPath['POST /api/v3/order'] ?? 0;
    const tickSize = String(findFilter(symbol, 'PRICE_FILTER')?.tickSize ?? '0.01');
    const lost = await client.placeOrder({ ...order, price: D.floorToStep(D.mul(order.price!, '0.99'), tickSize) });
    const posts = (sandbox.stats.byPath['POST /api/v3/order'] ?? 0) - postsBefore;
    out(`   outcome: ${lost.outcome}; order POSTs sent: ${posts}`);
    expect(lost.outcome === 'reconciled' && posts === 1, 'reconciled by client order id with exactly one POST');

    step(8, 'Cancel everything on BTCUSDT');
    const cancelled = await client.cancelAllOpenOrders('BTCUSDT');
    out(`   cancelled ${cancelled.length} order(s); open now: ${(await client.openOrders('BTCUSDT')).length}`);

    out('\nDone. Run `npm run -s sandbox -- --data .sandbox` to keep a sandbox running for your own bot (its keys');
    out('stay in .sandbox/keys.json), or open the extension in VS Code and run "Binance: Start Local Sandbox".');
  } finally {
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${describeError(error).message}\n`);
  process.exit(1);
});
