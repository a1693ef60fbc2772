/**
 * The sandbox accepts the official worked examples from the Spot API docs byte for byte (reference
 * §3.5), with its clock set to the examples' timestamp: a request that gets past authentication is
 * answered by the endpoint (e.g. -1121 for the example's LTCBTC), a tampered one gets -1022.
 */
import * as assert from 'node:assert/strict';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { raw } from './httpHelpers';

const DOC_API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const DOC_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
// Public half of the FIX-doc Ed25519 key (derived in the reference).
const FIX_ED25519_PUBLIC =
  '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGUIKv9dSpWXBViXp2m6vAIb8QMFJYBgyFEQsFJlqgA0=\n-----END PUBLIC KEY-----\n';

describe('sandbox accepts the official signature examples', function () {
  this.timeout(20000);
  let sb: SandboxHandle;
  before(async () => {
    sb = await startSandbox({
      port: 0,
      marketMaker: false,
      seed: { accounts: [{ apiKey: DOC_API_KEY, secret: DOC_SECRET }] },
    });
  });
  after(() => sb.close());
  afterEach(() => sb.faults.clear());

  const at = (timestamp: number) => sb.faults.setClockSkewMs(timestamp + 100 - Date.now());
  const headers = { 'X-MBX-APIKEY': DOC_API_KEY };

  it('H1: HMAC over the ASCII query string', async () => {
    at(1499827319559);
    const payload =
      'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
    const ok = await raw(sb.baseUrl, 'POST', '/api/v3/order', {
      body: `${payload}&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71`,
      headers,
    });
    assert.deepEqual(ok.json, { code: -1121, msg: 'Invalid symbol.' });
    const tampered = await raw(sb.baseUrl, 'POST', '/api/v3/order', {
      body: `${payload.replace('0.1', '0.2')}&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71`,
      headers,
    });
    assert.equal(tampered.json.code, -1022);
  });

  it('H2: HMAC over the percent-encoded non-ASCII symbol', async () => {
    at(1499827319559);
    const payload =
      'symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
    const ok = await raw(
      sb.baseUrl,
      'POST',
      `/api/v3/order?${payload}&signature=e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3`,
      { headers },
    );
    assert.deepEqual(ok.json, { code: -1121, msg: 'Invalid symbol.' });
  });

  it('H3: query string and body concatenated without a separator', async () => {
    at(1499827319559);
    const ok = await raw(sb.baseUrl, 'POST', '/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC', {
      body: 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77',
      headers,
    });
    assert.deepEqual(ok.json, { code: -1121, msg: 'Invalid symbol.' });
  });

  it('Ed25519 (FIX-doc key) over the R1 REST payload, base64 percent-encoded in the request', async () => {
    const { apiKey } = sb.registerPublicKey(FIX_ED25519_PUBLIC);
    at(1668481559918);
    const payload =
      'symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=0.2&timestamp=1668481559918&recvWindow=5000';
    const signature = encodeURIComponent(
      'inDT086KVIP8vgUfw5sV3VTkescWztiAGlf4x8FLKHM4NInsn0c1kYVLoGMO8cyjfR6vmTku2YQE0gtfVVlfCw==',
    );
    const ok = await raw(sb.baseUrl, 'POST', '/api/v3/order', {
      body: `${payload}&signature=${signature}`,
      headers: { 'X-MBX-APIKEY': apiKey },
    });
    // Past authentication: the order itself fails the price filter (0.2 is far from 60000).
    assert.equal(ok.json.code, -1013, ok.text);
    const tampered = await raw(sb.baseUrl, 'POST', '/api/v3/order', {
      body: `${payload.replace('price=0.2', 'price=0.3')}&signature=${signature}`,
      headers: { 'X-MBX-APIKEY': apiKey },
    });
    assert.equal(tampered.json.code, -1022);
  });
});
