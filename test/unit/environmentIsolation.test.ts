import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SpotClient } from '../../src/core/client';
import { Credential } from '../../src/core/credentials';
import { DEMO, Environment, LIVE, localSandbox, SPOT_TESTNET } from '../../src/core/environments';
import { EnvironmentMismatchError } from '../../src/core/signer';
import { DOC_ED25519_PEM } from '../support/vectors';
import { RecordingTransport } from './helpers/recordingTransport';

/**
 * THE key property: a client for environment X given a credential of environment Y ≠ X refuses
 * every signed call with EnvironmentMismatchError, and not a single request (not even the clock
 * sync) reaches the transport.
 */
const ENVIRONMENTS: Environment[] = [
  SPOT_TESTNET,
  DEMO,
  LIVE,
  localSandbox('http://127.0.0.1:41001'),
  localSandbox('http://127.0.0.1:41002'),
];

type SignedCall = (client: SpotClient, symbol: string) => Promise<unknown>;
const SIGNED_METHODS: Record<string, SignedCall> = {
  account: (c) => c.account({ omitZeroBalances: true }),
  openOrders: (c, s) => c.openOrders(s),
  openOrdersAll: (c) => c.openOrders(),
  allOrders: (c, s) => c.allOrders(s, { limit: 10 }),
  myTrades: (c, s) => c.myTrades(s, { fromId: 1 }),
  getOrder: (c, s) => c.getOrder(s, { orderId: 1 }),
  placeOrder: (c, s) =>
    c.placeOrder({ symbol: s, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '100' }),
  placeMarket: (c, s) =>
    c.placeOrder({ symbol: s, side: 'SELL', type: 'MARKET', quoteOrderQty: '10', newClientOrderId: 'td-prop' }),
  testOrder: (c, s) =>
    c.testOrder({ symbol: s, side: 'BUY', type: 'MARKET', quantity: '1' }, { computeCommissionRates: true }),
  cancelOrder: (c, s) => c.cancelOrder(s, { origClientOrderId: 'td-x' }),
  cancelAllOpenOrders: (c, s) => c.cancelAllOpenOrders(s),
};

function credentialFor(env: Environment, keyType: 'hmac' | 'ed25519'): Credential {
  return keyType === 'hmac'
    ? Credential.create({
        id: `h-${env.id}`,
        label: `hmac ${env.kind}`,
        environment: env,
        keyType,
        apiKey: 'propApiKey0123456789',
        secret: 'propSecret0123456789',
      })
    : Credential.create({
        id: `e-${env.id}`,
        label: `ed ${env.kind}`,
        environment: env,
        keyType,
        apiKey: 'propEdKey0123456789',
        privateKeyPem: DOC_ED25519_PEM,
      });
}

async function expectRefusedWithoutIo(
  clientEnv: Environment,
  credEnv: Environment,
  method: string,
  symbol: string,
  keyType: 'hmac' | 'ed25519',
): Promise<void> {
  const transport = new RecordingTransport();
  const credential = credentialFor(credEnv, keyType);
  const client = new SpotClient({ environment: clientEnv, transport, credential: () => credential });
  await assert.rejects(SIGNED_METHODS[method](client, symbol), (e: Error) => {
    assert.ok(
      e instanceof EnvironmentMismatchError,
      `${method}: expected EnvironmentMismatchError, got ${e.name}: ${e.message}`,
    );
    assert.equal(e.credentialEnvironment.id, credEnv.id);
    assert.equal(e.requestEnvironment.id, clientEnv.id);
    return true;
  });
  assert.equal(transport.calls.length, 0, `${method} ${clientEnv.id} ← ${credEnv.id}: transport was called`);
}

describe('environment isolation (key property)', () => {
  it('exhaustively: every ordered pair of different environments × every signed method × key type', async () => {
    let checked = 0;
    for (const x of ENVIRONMENTS) {
      for (const y of ENVIRONMENTS) {
        if (x.id === y.id) continue;
        for (const method of Object.keys(SIGNED_METHODS)) {
          for (const keyType of ['hmac', 'ed25519'] as const) {
            await expectRefusedWithoutIo(x, y, method, 'BTCUSDT', keyType);
            checked++;
          }
        }
      }
    }
    assert.equal(checked, 5 * 4 * Object.keys(SIGNED_METHODS).length * 2);
  });

  it('property (fast-check): random pairs, methods, symbols, key types', async () => {
    const pair = fc
      .tuple(fc.integer({ min: 0, max: ENVIRONMENTS.length - 1 }), fc.integer({ min: 0, max: ENVIRONMENTS.length - 1 }))
      .filter(([a, b]) => a !== b);
    await fc.assert(
      fc.asyncProperty(
        pair,
        fc.constantFrom(...Object.keys(SIGNED_METHODS)),
        fc.stringMatching(/^[A-Z0-9]{1,12}$/),
        fc.constantFrom('hmac' as const, 'ed25519' as const),
        async ([a, b], method, symbol, keyType) => {
          await expectRefusedWithoutIo(ENVIRONMENTS[a], ENVIRONMENTS[b], method, symbol, keyType);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('control: the same environment does reach the transport', async () => {
    for (const env of ENVIRONMENTS) {
      const transport = new RecordingTransport();
      const credential = credentialFor(env, 'hmac');
      const client = new SpotClient({ environment: env, transport, credential: () => credential });
      await assert.rejects(client.account()); // the recording transport answers 404
      assert.ok(transport.calls.length > 0);
      assert.ok(transport.calls.every((c) => c.url.startsWith(env.restBaseUrl + '/api/v3/')));
    }
  });

  it('the credential is asked for at each call: switching to a foreign key is refused at once', async () => {
    const transport = new RecordingTransport();
    let current = credentialFor(SPOT_TESTNET, 'hmac');
    const client = new SpotClient({ environment: SPOT_TESTNET, transport, credential: () => current });
    await assert.rejects(client.account());
    const before = transport.calls.length;
    current = credentialFor(LIVE, 'hmac');
    await assert.rejects(
      client.placeOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '1' }),
      EnvironmentMismatchError,
    );
    assert.equal(transport.calls.length, before);
  });
});
