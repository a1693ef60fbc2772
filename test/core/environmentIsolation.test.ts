import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SpotClient } from '../../src/core/client';
import { Credential } from '../../src/core/credentials';
import { DEMO, Environment, LIVE, localSandbox, SPOT_TESTNET } from '../../src/core/environments';
import { EnvironmentMismatchError } from '../../src/core/signer';
import { CREDENTIAL_FORGERIES, ENVIRONMENT_FORGERIES } from '../support/forgeries';
import { DOC_ED25519_PEM } from '../support/vectors';
import { json, RecordingTransport } from '../support/recordingTransport';

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

/** `tag` names the key; pass one for a forged environment, whose id the core must be first to read. */
function credentialFor(env: Environment, keyType: 'hmac' | 'ed25519', tag: string = env.id): Credential {
  return keyType === 'hmac'
    ? Credential.create({
        id: `h-${tag}`,
        label: `hmac ${tag}`,
        environment: env,
        keyType,
        apiKey: 'propApiKey0123456789',
        secret: 'propSecret0123456789',
      })
    : Credential.create({
        id: `e-${tag}`,
        label: `ed ${tag}`,
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

/**
 * The same property when the environment object itself lies: spread, prototype-chained, proxied,
 * getter-based or changed after the credential was made (test/support/forgeries.ts). Whatever
 * object claimed environment C, a key tagged with C reaches C's host or nothing.
 */
type Role =
  'credential, client of the claimed' | 'credential, client of the other' | 'client' | 'credential and client';
const ROLES: readonly Role[] = [
  'credential, client of the claimed',
  'credential, client of the other',
  'client',
  'credential and client',
];

/** Answers the clock sync, so that the signed request is really built and handed to the transport. */
function clockedTransport(): RecordingTransport {
  return new RecordingTransport().on('GET /api/v3/time', json(200, { serverTime: Date.now() }));
}

const carriesKey = (call: { headers: Readonly<Record<string, string>>; url: string; body?: string }): boolean =>
  call.headers['X-MBX-APIKEY'] !== undefined || `${call.url}&${call.body ?? ''}`.includes('signature=');

async function expectForgedEnvironmentContained(
  forgery: string,
  claimed: Environment,
  other: Environment,
  role: Role,
  method: string,
  keyType: 'hmac' | 'ed25519',
): Promise<void> {
  const what = `${forgery} (claims ${claimed.id}, carries ${other.id}) as ${role}, ${method}, ${keyType}`;
  const forged = ENVIRONMENT_FORGERIES[forgery](claimed, other);
  const credential = credentialFor(role === 'client' ? claimed : forged.environment, keyType, 'forged');
  const clientEnvironment =
    role === 'credential, client of the claimed'
      ? claimed
      : role === 'credential, client of the other'
        ? other
        : forged.environment;
  const transport = clockedTransport();
  const client = new SpotClient({ environment: clientEnvironment, transport, credential: () => credential });
  forged.afterCreate();
  const error = await SIGNED_METHODS[method](client, 'BTCUSDT').then(
    () => assert.fail(`${what}: the recording transport answers 404, so the call must fail`),
    (e: unknown) => e,
  );
  const strayed = transport.calls.filter((c) => !c.url.startsWith(`${claimed.restBaseUrl}/api/v3/`));
  assert.deepEqual(
    strayed.map((c) => `${c.method} ${c.url.split('?')[0]}`),
    [],
    `${what}: requests left for a host other than ${claimed.restBaseUrl}`,
  );
  const refused = error instanceof EnvironmentMismatchError && transport.calls.length === 0;
  const deliveredToClaimed = transport.calls.some(carriesKey);
  if (role === 'credential, client of the other') assert.ok(refused, `${what}: expected a refusal before any I/O`);
  else if (role === 'credential and client')
    assert.ok(refused || deliveredToClaimed, `${what}: neither refused nor sent`);
  else assert.ok(deliveredToClaimed, `${what}: the signed request never reached ${claimed.id}: ${String(error)}`);
}

describe('environment isolation with forged environments and credentials', () => {
  it('exhaustively: every forgery × every role × every ordered pair of environments', async () => {
    let checked = 0;
    for (const forgery of Object.keys(ENVIRONMENT_FORGERIES)) {
      for (const role of ROLES) {
        for (const claimed of ENVIRONMENTS) {
          for (const other of ENVIRONMENTS) {
            if (claimed.id === other.id) continue;
            await expectForgedEnvironmentContained(forgery, claimed, other, role, 'account', 'hmac');
            checked++;
          }
        }
      }
    }
    assert.equal(checked, Object.keys(ENVIRONMENT_FORGERIES).length * ROLES.length * 5 * 4);
  });

  it('property (fast-check): random forgeries, roles, pairs, signed methods and key types', async () => {
    const pair = fc
      .tuple(fc.integer({ min: 0, max: ENVIRONMENTS.length - 1 }), fc.integer({ min: 0, max: ENVIRONMENTS.length - 1 }))
      .filter(([a, b]) => a !== b);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(ENVIRONMENT_FORGERIES)),
        pair,
        fc.constantFrom(...ROLES),
        fc.constantFrom(...Object.keys(SIGNED_METHODS)),
        fc.constantFrom('hmac' as const, 'ed25519' as const),
        async (forgery, [a, b], role, method, keyType) => {
          await expectForgedEnvironmentContained(forgery, ENVIRONMENTS[a], ENVIRONMENTS[b], role, method, keyType);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a look-alike, proxied or chained credential never signs: refused before any I/O', async () => {
    let checked = 0;
    for (const [name, forge] of Object.entries(CREDENTIAL_FORGERIES)) {
      for (const owner of ENVIRONMENTS) {
        for (const other of ENVIRONMENTS) {
          if (owner.id === other.id) continue;
          for (const keyType of ['hmac', 'ed25519'] as const) {
            const forged = forge(credentialFor(owner, keyType), other);
            const transport = clockedTransport();
            const client = new SpotClient({ environment: other, transport, credential: () => forged });
            await assert.rejects(client.account(), (e: Error) => {
              assert.equal(e.name, 'SignerError', `${name} ${owner.id} → ${other.id}: ${e.name}: ${e.message}`);
              assert.match(e.message, /not a genuine Credential/);
              return true;
            });
            assert.equal(transport.calls.length, 0, `${name} ${owner.id} → ${other.id}: the transport was called`);
            checked++;
          }
        }
      }
    }
    assert.equal(checked, Object.keys(CREDENTIAL_FORGERIES).length * 5 * 4 * 2);
  });
});
