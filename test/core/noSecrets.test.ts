import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { RequestLog, SpotClient } from '../../src/core/client';
import { Credential, CredentialError } from '../../src/core/credentials';
import { LIVE, localSandbox, SPOT_TESTNET } from '../../src/core/environments';
import { describeError } from '../../src/core/errors';
import type { PreparedRequest } from '../../src/core/signer';
import { TransportError } from '../../src/core/transport';
import { hmacCredential, TEST_API_KEY, TEST_SECRET } from '../support/credentials';
import { json, paramsOf, RecordingTransport } from '../support/recordingTransport';

/**
 * Feeds known secret values through every error path and checks that none of the secret, the full
 * API key or a signature shows up anywhere a user or a log could see it.
 */
const ORDER = {
  symbol: 'BTCUSDT',
  side: 'BUY' as const,
  type: 'LIMIT' as const,
  timeInForce: 'GTC' as const,
  quantity: '1',
  price: '1',
};

function forbidden(calls: PreparedRequest[]): string[] {
  const signatures = calls.map((c) => paramsOf(c).signature).filter((s): s is string => !!s);
  const encoded = calls.map((c) => (c.body ?? c.url).split('signature=')[1]).filter((s): s is string => !!s);
  return [TEST_SECRET, TEST_API_KEY, ...signatures, ...encoded];
}

function assertClean(label: string, texts: string[], secrets: string[]): void {
  for (const text of texts) {
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `${label}: leaked ${secret.slice(0, 6)}… in: ${text}`);
    }
  }
}

function renderings(error: unknown): string[] {
  const d = describeError(error);
  const e = error as Error;
  return [
    e.message,
    String(e),
    inspect(e),
    JSON.stringify(e),
    e.stack ?? '',
    d.message,
    d.hint,
    JSON.stringify(error, Object.getOwnPropertyNames(error)),
  ];
}

describe('no secrets in output', () => {
  it('credential renderings show only the masked key', () => {
    const cred = hmacCredential(SPOT_TESTNET);
    assertClean(
      'credential',
      [
        JSON.stringify(cred),
        inspect(cred),
        inspect(cred, { showHidden: true, depth: 5 }),
        String(cred),
        `${cred}`,
        cred.describe(),
      ],
      [TEST_SECRET, TEST_API_KEY],
    );
    assert.match(JSON.stringify(cred), /tdAP…KLMN/);
  });

  it('bad credential input: messages never quote the secret, key or PEM', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pemBody = pem.split('\n')[1];
    const attempts: Array<() => unknown> = [
      () =>
        Credential.create({
          id: 'x',
          label: 'x',
          environment: SPOT_TESTNET,
          keyType: 'hmac',
          apiKey: TEST_API_KEY,
          secret: `${TEST_SECRET} ${TEST_SECRET}`,
        }),
      () =>
        Credential.create({
          id: 'x',
          label: 'x',
          environment: SPOT_TESTNET,
          keyType: 'hmac',
          apiKey: `${TEST_API_KEY} x`,
          secret: TEST_SECRET,
        }),
      () =>
        Credential.create({
          id: 'x',
          label: 'x',
          environment: SPOT_TESTNET,
          keyType: 'hmac',
          apiKey: TEST_API_KEY.repeat(5),
          secret: TEST_SECRET,
        }),
      () =>
        Credential.create({
          id: 'x',
          label: 'x',
          environment: SPOT_TESTNET,
          keyType: 'hmac',
          apiKey: TEST_API_KEY,
          privateKeyPem: pem,
          secret: TEST_SECRET,
        }),
      () =>
        Credential.create({
          id: 'x',
          label: 'x',
          environment: SPOT_TESTNET,
          keyType: 'rsa',
          apiKey: TEST_API_KEY,
          privateKeyPem: pem,
        }),
      () =>
        Credential.create({
          id: 'x',
          label: 'x',
          environment: SPOT_TESTNET,
          keyType: 'ed25519',
          apiKey: TEST_API_KEY,
          privateKeyPem: pem.replace(pemBody, pemBody.slice(0, 30)),
        }),
      () =>
        Credential.create({
          id: 'x',
          label: 'x',
          environment: SPOT_TESTNET,
          keyType: 'ed25519',
          apiKey: TEST_API_KEY,
          secret: TEST_SECRET,
        }),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      assert.ok(caught instanceof CredentialError, `expected CredentialError, got ${String(caught)}`);
      assertClean('credential error', renderings(caught), [TEST_SECRET, TEST_API_KEY, pemBody]);
    }
  });

  it('environment mismatch', async () => {
    const t = new RecordingTransport();
    const client = new SpotClient({ environment: LIVE, transport: t, credential: () => hmacCredential(SPOT_TESTNET) });
    const error = await client.account().catch((e: unknown) => e);
    assertClean('mismatch', renderings(error), [TEST_SECRET, TEST_API_KEY]);
    assertClean('client', [inspect(client, { showHidden: true, depth: 6 })], [TEST_SECRET, TEST_API_KEY]);
  });

  it('API errors whose msg echoes the parameters, key, signature and secret', async () => {
    const echo = (r: PreparedRequest) =>
      json(400, {
        code: -1022,
        msg: `Signature for this request is not valid. payload=${r.body ?? r.url.split('?')[1]} key ${r.headers['X-MBX-APIKEY']} sig ${paramsOf(r).signature} secret ${TEST_SECRET}`,
      });
    const logs: RequestLog[] = [];
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1 }))
      .on('GET /api/v3/account', echo)
      .on('POST /api/v3/order', echo)
      .on('DELETE /api/v3/order', (r) =>
        json(400, {
          code: -1100,
          msg: `Illegal characters found in parameter 'signature'; legal range is '${paramsOf(r).signature}'.`,
        }),
      )
      .on('GET /api/v3/openOrders', (r) =>
        json(401, { code: -2015, msg: `Invalid API-key ${r.headers['X-MBX-APIKEY']}, IP, or permissions for action.` }),
      );
    const client = new SpotClient({
      environment: SPOT_TESTNET,
      transport: t,
      credential: () => hmacCredential(SPOT_TESTNET),
      onRequest: (l) => logs.push(l),
    });
    const errors = await Promise.all([
      client.account().catch((e: unknown) => e),
      client.placeOrder(ORDER).catch((e: unknown) => e),
      client.cancelOrder('BTCUSDT', { orderId: 1 }).catch((e: unknown) => e),
      client.openOrders('BTCUSDT').catch((e: unknown) => e),
    ]);
    const secrets = forbidden(t.calls);
    assert.ok(secrets.length > 4);
    for (const error of errors) {
      assert.ok(error instanceof Error);
      assertClean('api error', renderings(error), secrets);
    }
    assertClean(
      'logs',
      logs.map((l) => JSON.stringify(l)),
      secrets,
    );
  });

  it('transport errors (including foreign ones quoting the signed URL) and unknown outcomes', async () => {
    const logs: RequestLog[] = [];
    const env = localSandbox('http://127.0.0.1:45999');
    const t = new RecordingTransport()
      .on('GET /api/v3/time', json(200, { serverTime: 1 }))
      .on('POST /api/v3/order', (r) => {
        throw new Error(
          `request to ${r.url} failed, reason: socket hang up; body ${r.body}; key ${r.headers['X-MBX-APIKEY']}`,
        );
      })
      .on('GET /api/v3/order', (r) => {
        throw new Error(`request to ${r.url} failed, reason: ECONNREFUSED`);
      })
      .on('GET /api/v3/account', () => {
        throw new TransportError('GET /api/v3/account timed out after 5 ms with no complete response.', 'timeout');
      });
    const client = new SpotClient({
      environment: env,
      transport: t,
      credential: () => hmacCredential(env),
      onRequest: (l) => logs.push(l),
      reconcileDelaysMs: [1, 1],
    });
    const result = await client.placeOrder(ORDER);
    assert.equal(result.outcome, 'unknown');
    const accountError = await client.account().catch((e: unknown) => e);
    const secrets = forbidden(t.calls);
    assertClean('unknown outcome', [JSON.stringify(result), inspect(result)], secrets);
    assertClean('transport error', renderings(accountError), secrets);
    assertClean(
      'logs',
      logs.map((l) => JSON.stringify(l)),
      secrets,
    );
    for (const log of logs) assert.ok(!/[?&=]/.test(log.path));
  });
});
