import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { Credential } from '../../src/core/credentials';
import { encodeParams, percentEncode, wsSignaturePayload } from '../../src/core/encoding';
import { DEMO, LIVE, localSandbox, SPOT_TESTNET } from '../../src/core/environments';
import {
  assertCredentialFor,
  EnvironmentMismatchError,
  publicRequest,
  signPayload,
  Signer,
} from '../../src/core/signer';
import { CREDENTIAL_FORGERIES, ENVIRONMENT_FORGERIES } from '../support/forgeries';
import { DOC_ED25519_PEM, DOC_ED25519_WS_API_KEY, DOC_HMAC } from '../support/vectors';

const hmac = Credential.create({
  id: 'h',
  label: 'doc hmac',
  environment: SPOT_TESTNET,
  keyType: 'hmac',
  apiKey: DOC_HMAC.apiKey,
  secret: DOC_HMAC.secret,
});
const ed = Credential.create({
  id: 'e',
  label: 'doc ed25519',
  environment: SPOT_TESTNET,
  keyType: 'ed25519',
  apiKey: DOC_ED25519_WS_API_KEY,
  privateKeyPem: DOC_ED25519_PEM,
});

describe('signPayload: official vectors', () => {
  const cases: Array<[string, string, string]> = [
    [
      'H1 REST ASCII',
      'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559',
      'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71',
    ],
    [
      'H2 REST percent-encoded non-ASCII',
      'symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559',
      'e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3',
    ],
    [
      'H3 REST query+body',
      'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559',
      '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77',
    ],
  ];
  for (const [name, payload, expected] of cases) {
    it(`HMAC ${name}`, () => assert.equal(signPayload('hmac', hmac, payload), expected));
  }

  it('Ed25519 FIX Logon vector (SOH-joined fields)', () => {
    const payload = ['A', 'EXAMPLE', 'SPOT', '1', '20240627-11:17:25.223'].join('\x01');
    assert.equal(
      signPayload('ed25519', ed, payload),
      '4MHXelVVcpkdwuLbl6n73HQUXUf1dse2PCgT1DYqW9w8AVZ1RACFGM+5UdlGPrQHrgtS3CvsRURC1oj73j8gCA==',
    );
  });

  it('Ed25519 derived REST vector with the FIX key', () => {
    const payload =
      'symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=0.2&timestamp=1668481559918&recvWindow=5000';
    assert.equal(
      signPayload('ed25519', ed, payload),
      'inDT086KVIP8vgUfw5sV3VTkescWztiAGlf4x8FLKHM4NInsn0c1kYVLoGMO8cyjfR6vmTku2YQE0gtfVVlfCw==',
    );
  });
});

describe('REST payload encoding', () => {
  it('percent-encodes non-ASCII exactly as the H2 vector does', () => {
    assert.equal(
      encodeParams({ symbol: '１２３４５６', side: 'BUY' }),
      'symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY',
    );
  });
  it('encodes reserved characters that encodeURIComponent leaves alone', () => {
    assert.equal(percentEncode("a!'()*b ~-_."), 'a%21%27%28%29%2Ab%20~-_.');
  });
  it('refuses binary floats', () => {
    assert.throws(() => encodeParams({ price: 0.1 }), /not a safe integer/);
  });
});

describe('Signer.signRest', () => {
  const signer = new Signer(hmac);

  it('signs the H1 order exactly (query string for GET-like, body for POST)', () => {
    const params = { symbol: 'LTCBTC', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '0.1' };
    const post = signer.signRest(
      { environment: SPOT_TESTNET, method: 'POST', path: '/api/v3/order', params },
      { recvWindow: 5000, timestamp: 1499827319559 },
    );
    assert.equal(post.url, 'https://testnet.binance.vision/api/v3/order');
    assert.equal(
      post.body,
      'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71',
    );
    assert.equal(post.headers['X-MBX-APIKEY'], DOC_HMAC.apiKey);
    const del = signer.signRest(
      { environment: SPOT_TESTNET, method: 'DELETE', path: '/api/v3/order', params },
      { recvWindow: 5000, timestamp: 1499827319559 },
    );
    assert.equal(
      del.url,
      'https://testnet.binance.vision/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71',
    );
    assert.equal(del.body, undefined);
  });

  it('signs the percent-encoded non-ASCII payload (H2)', () => {
    const req = signer.signRest(
      {
        environment: SPOT_TESTNET,
        method: 'GET',
        path: '/api/v3/order',
        params: { symbol: '１２３４５６', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '0.1' },
      },
      { recvWindow: 5000, timestamp: 1499827319559 },
    );
    assert.match(req.url, /&signature=e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3$/);
  });

  it('percent-encodes base64 signatures and keeps signature last', () => {
    const req = new Signer(ed).signRest(
      { environment: SPOT_TESTNET, method: 'GET', path: '/api/v3/account', params: {} },
      { recvWindow: 5000, timestamp: 1 },
    );
    const sig = decodeURIComponent(req.url.split('&signature=')[1]);
    const payload = req.url.split('?')[1].split('&signature=')[0];
    assert.ok(verify(null, Buffer.from(payload), createPublicKey(DOC_ED25519_PEM), Buffer.from(sig, 'base64')));
    assert.doesNotMatch(req.url.split('&signature=')[1], /[+/=]/);
  });

  it('signs RSA with PKCS#1 v1.5 SHA-256', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsa = Credential.create({
      id: 'r',
      label: 'rsa',
      environment: DEMO,
      keyType: 'rsa',
      apiKey: 'rsaKey0123456789',
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const req = new Signer(rsa).signRest(
      { environment: DEMO, method: 'POST', path: '/api/v3/order/test', params: { symbol: 'BTCUSDT' } },
      { recvWindow: 5000, timestamp: 42 },
    );
    const [payload, sig] = req.body!.split('&signature=');
    assert.ok(verify('sha256', Buffer.from(payload), publicKey, Buffer.from(decodeURIComponent(sig), 'base64')));
    assert.equal(req.url, 'https://demo-api.binance.com/api/v3/order/test');
  });

  it('rejects recvWindow above 60000 and paths that could change the host', () => {
    assert.throws(
      () =>
        signer.signRest(
          { environment: SPOT_TESTNET, method: 'GET', path: '/api/v3/account' },
          { recvWindow: 60001, timestamp: 1 },
        ),
      /recvWindow/,
    );
    // A path with digits is still a Spot path (GET /api/v3/ticker/24hr)…
    assert.equal(
      new URL(publicRequest({ environment: SPOT_TESTNET, method: 'GET', path: '/api/v3/ticker/24hr' }).url).pathname,
      '/api/v3/ticker/24hr',
    );
    // …but nothing that could leave the path.
    for (const path of [
      '//evil.example/api/v3/account',
      '/api/v3/../../x',
      '@evil/api/v3/account',
      '/sapi/v1/testnet/api/key',
      '/api/v3/127.0.0.1',
      '/api/v3/x:80',
    ]) {
      assert.throws(
        () => signer.signRest({ environment: SPOT_TESTNET, method: 'GET', path }, { recvWindow: 5000, timestamp: 1 }),
        /not a Spot API path/,
      );
    }
  });

  it('refuses another environment with a message naming both and the fix, without the secret', () => {
    const err = assertThrows(() =>
      signer.signRest(
        { environment: LIVE, method: 'GET', path: '/api/v3/account' },
        { recvWindow: 5000, timestamp: 1 },
      ),
    );
    assert.ok(err instanceof EnvironmentMismatchError);
    assert.match(err.message, /belongs to Spot Testnet, but this request is for Live/);
    assert.match(err.message, /Nothing was sent/);
    assert.ok(!err.message.includes(DOC_HMAC.secret));
    assert.ok(!err.message.includes(DOC_HMAC.apiKey));
  });

  it('treats two local sandboxes on different ports as different environments', () => {
    const a = localSandbox('http://127.0.0.1:4001');
    const b = localSandbox('http://127.0.0.1:4002');
    const local = Credential.create({
      id: 'l',
      label: 'local',
      environment: a,
      keyType: 'hmac',
      apiKey: 'localkey1',
      secret: 's',
    });
    assert.throws(
      () =>
        new Signer(local).signRest(
          { environment: b, method: 'GET', path: '/api/v3/account' },
          { recvWindow: 5000, timestamp: 1 },
        ),
      EnvironmentMismatchError,
    );
    assert.equal(
      new Signer(local)
        .signRest({ environment: a, method: 'GET', path: '/api/v3/account' }, { recvWindow: 5000, timestamp: 1 })
        .url.startsWith('http://127.0.0.1:4001/api/v3/account?'),
      true,
    );
  });
});

describe('Signer.signWsParams: official WS vectors', () => {
  const order = {
    symbol: 'BTCUSDT',
    side: 'SELL',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '0.01000000',
    price: '52000.00',
    recvWindow: 100,
  };
  it('H4: sorted, includes apiKey', () => {
    const signed = new Signer(hmac).signWsParams(SPOT_TESTNET, order, { timestamp: 1645423376532 });
    assert.equal(signed.signature, 'aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24');
  });
  it('H5: raw UTF-8, not percent-encoded', () => {
    const params = {
      symbol: '１２３４５６',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '1.00000000',
      price: '0.10000000',
      recvWindow: 5000,
    };
    assert.equal(
      wsSignaturePayload({ ...params, apiKey: DOC_HMAC.apiKey, timestamp: 1645423376532 }).includes(
        'symbol=１２３４５６',
      ),
      true,
    );
    assert.equal(
      new Signer(hmac).signWsParams(SPOT_TESTNET, params, { timestamp: 1645423376532 }).signature,
      'b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd',
    );
  });
  it('derived Ed25519 WS vector E1 with the FIX key', () => {
    assert.equal(
      new Signer(ed).signWsParams(SPOT_TESTNET, order, { timestamp: 1645423376532 }).signature,
      '82wlF5RobwT7JZehRQgOaupNEm5GrAqJj5tqZeCCE6ZxkhlUbWBThOx00q3FVnCKn882P+9p85phztjk4bOMAQ==',
    );
  });
  it('refuses another environment', () => {
    assert.throws(() => new Signer(hmac).signWsParams(DEMO, order, { timestamp: 1 }), EnvironmentMismatchError);
  });
});

describe('publicRequest', () => {
  it('derives the URL from the environment and encodes params', () => {
    assert.equal(
      publicRequest({
        environment: LIVE,
        method: 'GET',
        path: '/api/v3/exchangeInfo',
        params: { symbols: '["BTCUSDT"]' },
      }).url,
      'https://api.binance.com/api/v3/exchangeInfo?symbols=%5B%22BTCUSDT%22%5D',
    );
  });
});

describe('forged environments and credentials at the Signer', () => {
  const forgeries = Object.entries(ENVIRONMENT_FORGERIES);

  it('a credential holds the canonical environment its id named, whatever object it was given', () => {
    for (const [name, forge] of forgeries) {
      const forged = forge(SPOT_TESTNET, LIVE);
      const credential = Credential.create({
        id: 'f',
        label: 'forged',
        environment: forged.environment,
        keyType: 'hmac',
        apiKey: 'forgedKey1',
        secret: 's',
      });
      forged.afterCreate();
      assert.equal(credential.environment, SPOT_TESTNET, name);
      assert.equal(new Signer(credential).environment, SPOT_TESTNET, name);
      assert.equal(credential.toStored().environmentId, 'testnet', name);
      const prepared = new Signer(credential).signRest(
        { environment: SPOT_TESTNET, method: 'GET', path: '/api/v3/account' },
        { recvWindow: 5000, timestamp: 1 },
      );
      assert.ok(prepared.url.startsWith('https://testnet.binance.vision/api/v3/account?'), `${name}: ${prepared.url}`);
    }
  });

  it("signRest and publicRequest take the host from the registry, never from the request's object", () => {
    for (const [name, forge] of forgeries) {
      const request = forge(SPOT_TESTNET, LIVE).environment;
      const signed = new Signer(hmac).signRest(
        { environment: request, method: 'GET', path: '/api/v3/account' },
        { recvWindow: 5000, timestamp: 1 },
      );
      assert.ok(signed.url.startsWith('https://testnet.binance.vision/api/v3/account?'), `${name}: ${signed.url}`);
      assert.equal(signed.environment, SPOT_TESTNET, name);
      const unsigned = publicRequest({
        environment: forge(SPOT_TESTNET, LIVE).environment,
        method: 'GET',
        path: '/api/v3/time',
      });
      assert.equal(unsigned.url, 'https://testnet.binance.vision/api/v3/time', name);
      assert.equal(unsigned.environment, SPOT_TESTNET, name);
    }
  });

  it('reads each request field once: a path that answers differently later cannot change the host', () => {
    let pathReads = 0;
    let windowReads = 0;
    const request = {
      environment: SPOT_TESTNET,
      method: 'GET' as const,
      get path(): string {
        return pathReads++ === 0 ? '/api/v3/account' : '.evil.example/api/v3/account';
      },
    };
    const time = {
      timestamp: 1,
      get recvWindow(): number {
        return windowReads++ === 0 ? 5000 : 999_999;
      },
    };
    const prepared = new Signer(hmac).signRest(request, time);
    assert.equal(new URL(prepared.url).host, 'testnet.binance.vision');
    assert.equal(prepared.path, '/api/v3/account');
    assert.match(prepared.url, /recvWindow=5000&/);
    pathReads = 0;
    assert.equal(new URL(publicRequest(request).url).host, 'testnet.binance.vision');
    const shifty = { toString: () => (pathReads++ === 0 ? '/api/v3/time' : '@evil.example/api/v3/time') };
    assert.throws(
      () => publicRequest({ environment: LIVE, method: 'GET', path: shifty as unknown as string }),
      /not a Spot API path/,
    );
  });

  it('refuses to hold anything but a genuine Credential', () => {
    for (const [name, forge] of Object.entries(CREDENTIAL_FORGERIES)) {
      const forged = forge(hmac, LIVE);
      assert.throws(() => new Signer(forged), /not a genuine Credential/, name);
      assert.throws(() => assertCredentialFor(forged, LIVE), /not a genuine Credential/, name);
      assert.equal(Credential.isCredential(forged), false, name);
    }
    assert.equal(Credential.isCredential(hmac), true);
    const Subclass = class extends (Credential as unknown as new (...args: unknown[]) => object) {};
    assert.throws(() => new Subclass({ id: 'x', environment: LIVE }, undefined), /cannot be subclassed/);
  });
});

function assertThrows(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected an error');
}

describe('Credential input checks', () => {
  it('explains missing or malformed fields instead of crashing', () => {
    const base = {
      id: 'x',
      label: 'k',
      environment: SPOT_TESTNET,
      keyType: 'hmac' as const,
      apiKey: 'key12345',
      secret: 's',
    };
    assert.throws(() => Credential.create({ ...base, label: undefined as unknown as string }), /label/);
    assert.throws(() => Credential.create({ ...base, apiKey: undefined as unknown as string }), /API key is empty/);
    assert.throws(
      () => Credential.create({ ...base, environment: undefined as unknown as typeof SPOT_TESTNET }),
      /exactly one environment/,
    );
    assert.throws(() => Credential.create({ ...base, secret: undefined }), /needs its secret/);
  });
});
