import assert from 'node:assert/strict';
import { CredentialError } from '../../src/core/credentials';
import { DecimalError } from '../../src/core/decimal';
import { LIVE, SPOT_TESTNET } from '../../src/core/environments';
import {
  apiErrorFromResponse,
  BinanceApiError,
  describeError,
  filterFromMessage,
  hintFor,
  NoCredentialError,
  OrderOutcomeUnknownError,
  RateLimitBackoffError,
  scrubSensitive,
} from '../../src/core/errors';
import { EnvironmentMismatchError } from '../../src/core/signer';
import { TransportError } from '../../src/core/transport';

const err = (
  httpStatus: number,
  code: number,
  msg: string,
  extra: { retryAfterSeconds?: number; context?: Parameters<typeof apiErrorFromResponse>[0]['context'] } = {},
): BinanceApiError => apiErrorFromResponse({ httpStatus, bodyText: JSON.stringify({ code, msg }), ...extra });

describe('errors: mapping {code,msg} to BinanceApiError', () => {
  it('keeps code, status and message; message names both', () => {
    const e = err(400, -1121, 'Invalid symbol.', { context: { environmentLabel: 'Spot Testnet' } });
    assert.ok(e instanceof BinanceApiError && e instanceof Error);
    assert.equal(e.code, -1121);
    assert.equal(e.httpStatus, 400);
    assert.equal(e.binanceMessage, 'Invalid symbol.');
    assert.equal(e.message, 'Binance error -1121 (HTTP 400): Invalid symbol.');
    assert.match(e.hint, /does not exist on Spot Testnet/);
    assert.equal(e.definitelyRejected, true);
  });

  it('a non-JSON body still becomes an error with code 0', () => {
    const e = apiErrorFromResponse({
      httpStatus: 502,
      bodyText: '<html>bad gateway</html>',
      context: { isOrder: true },
    });
    assert.equal(e.code, 0);
    assert.match(e.binanceMessage, /HTTP 502 with a non-JSON body/);
    assert.match(e.hint, /outcome is unknown/);
    assert.equal(e.definitelyRejected, false);
  });

  it('-1013 names the filter from "Filter failure: X"', () => {
    for (const filter of [
      'PRICE_FILTER',
      'LOT_SIZE',
      'MIN_NOTIONAL',
      'NOTIONAL',
      'PERCENT_PRICE_BY_SIDE',
      'MAX_NUM_ORDERS',
      'MARKET_LOT_SIZE',
    ]) {
      const e = err(400, -1013, `Filter failure: ${filter}`);
      assert.equal(e.filter, filter);
      assert.match(e.hint, new RegExp(`broke the ${filter} filter: .+\\. Nothing was placed`));
    }
    assert.match(err(400, -1013, 'Filter failure: LOT_SIZE').hint, /stepSize/);
    assert.equal(filterFromMessage('Invalid quantity.'), undefined);
    assert.match(err(400, -1013, 'Filter failure: SOMETHING_NEW').hint, /broke the SOMETHING_NEW filter/);
  });

  it('-1021 says whether a re-sync happened and whether it fixed it', () => {
    const msg = 'Timestamp for this request is outside of the recvWindow.';
    assert.match(err(400, -1021, msg).hint, /No clock re-sync was done/);
    assert.match(
      err(400, -1021, msg, { context: { clockResync: { happened: true, offsetMs: -1234 } } }).hint,
      /re-synced \(measured offset -1234 ms\); try again/,
    );
    assert.match(
      err(400, -1021, msg, { context: { isOrder: true, clockResync: { happened: true, offsetMs: 5 } } }).hint,
      /nothing was placed.*re-synced.*never re-sent/,
    );
    assert.match(
      err(400, -1021, msg, { context: { clockResync: { happened: true, retried: true } } }).hint,
      /did not fix it/,
    );
  });

  it('-1022 mentions the percent-encoding rule and a key/secret mismatch', () => {
    const h = err(400, -1022, 'Signature for this request is not valid.').hint;
    assert.match(h, /secret or private key does not belong to this API key/);
    assert.match(h, /percent-encoded before signing/);
  });

  it('-2015 says keys never cross environments', () => {
    const h = err(401, -2015, 'Invalid API-key, IP, or permissions for action.', {
      context: { environmentLabel: 'Spot Testnet' },
    }).hint;
    assert.ok(
      h.includes(
        'this key may belong to another environment (e.g. a live key used on the testnet, or a testnet key on live); keys never cross environments',
      ),
    );
    assert.match(h, /refused on Spot Testnet/);
  });

  it('-2010 sub-cases, -2011, -2013, -2014, -1102, -1111, -1121', () => {
    assert.match(err(400, -2010, 'Account has insufficient balance for requested action.').hint, /balance is too low/);
    assert.match(err(400, -2010, 'Duplicate order sent.').hint, /client order id/);
    assert.match(err(400, -2010, 'Order would immediately match and take.').hint, /LIMIT_MAKER/);
    assert.match(err(400, -2010, 'Something else.').hint, /rejected the new order/);
    assert.match(err(400, -2011, 'Unknown order sent.').hint, /cancel was rejected/);
    assert.match(err(400, -2013, 'Order does not exist.').hint, /does not exist/);
    assert.match(err(400, -2014, 'API-key format invalid.').hint, /Paste the API key again/);
    assert.match(
      err(400, -1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.").hint,
      /LIMIT needs timeInForce, quantity and price/,
    );
    assert.match(err(400, -1111, "Parameter 'quantity' has too much precision.").hint, /tickSize.*stepSize/);
    assert.match(err(400, -1121, 'Invalid symbol.').hint, /symbol does not exist/);
  });

  it('-1003 / 429 / 418 say to wait Retry-After', () => {
    assert.match(err(429, -1003, 'Too many requests.', { retryAfterSeconds: 7 }).hint, /Wait 7 s \(Retry-After\)/);
    const ban = err(418, -1003, 'Way too much request weight used; IP banned until 1659146400000.', {
      retryAfterSeconds: 120,
    });
    assert.equal(ban.retryAfterSeconds, 120);
    assert.match(ban.hint, /auto-banned.*Wait 120 s/);
    assert.match(hintFor({ code: -1003, httpStatus: 400, message: '' }), /Rate limit reached/);
  });

  it('-1006 / -1007 / 5xx on an order say the outcome is unknown', () => {
    assert.match(
      err(408, -1007, 'Timeout waiting for response from backend server.', { context: { isOrder: true } }).hint,
      /may or may not have been placed/,
    );
    assert.match(err(500, -1000, 'x', { context: { isOrder: true } }).hint, /unknown|Try again/);
  });
});

describe('errors: scrubbing and describeError', () => {
  const apiKey = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
  const sig = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';
  it('removes known values, key=value assignments and long tokens', () => {
    const text = `bad request apiKey=${apiKey}&signature=${sig} key ${apiKey} sig ${sig} b64 ${'A'.repeat(40)}==`;
    const out = scrubSensitive(text, [apiKey, sig]);
    assert.ok(!out.includes(apiKey) && !out.includes(sig) && !out.includes('A'.repeat(40)));
    assert.match(out, /apiKey=<redacted>/);
    assert.equal(
      scrubSensitive('Filter failure: EXCHANGE_MAX_NUM_ICEBERG_ORDERS'),
      'Filter failure: EXCHANGE_MAX_NUM_ICEBERG_ORDERS',
    );
  });

  it('shows an echoed API key masked and strips URL queries', () => {
    const out = scrubSensitive(
      `key ${apiKey} at https://testnet.binance.vision/api/v3/account?timestamp=1&signature=abc123`,
      [],
      [apiKey],
    );
    assert.equal(
      out,
      'key vmPU…Eh8A at https://testnet.binance.vision/api/v3/account?timestamp=1&signature=<redacted>',
    );
  });

  it('gives message + hint for every error kind', () => {
    const cases: Array<[unknown, RegExp, RegExp]> = [
      [err(400, -2015, 'Invalid API-key, IP, or permissions for action.'), /-2015/, /keys never cross environments/],
      [
        new EnvironmentMismatchError('k', LIVE, SPOT_TESTNET, 'vmPU…Eh8A'),
        /Refused to sign/,
        /Keys never cross environments/,
      ],
      [
        new NoCredentialError('Spot Testnet', 'https://testnet.binance.vision/'),
        /No API key for Spot Testnet/,
        /Add a key created for Spot Testnet/,
      ],
      [new RateLimitBackoffError('Spot Testnet', 12, 0), /paused for 12 more s/, /resumes automatically/],
      [
        new OrderOutcomeUnknownError('place', 'BTCUSDT', 'timed out', { clientOrderId: 'td-1' }),
        /placement of BTCUSDT order td-1 has an unknown outcome/,
        /do not place the order again/,
      ],
      [
        new TransportError('GET /api/v3/account timed out after 10 ms with no complete response.', 'timeout'),
        /timed out/,
        /did not answer in time/,
      ],
      [new CredentialError('The API key is empty.'), /API key is empty/, /Fix the key/],
      [new DecimalError('price "1e-3" uses exponent notation'), /exponent/, /plain decimal digits/],
      [new Error(`boom ${apiKey}`), /boom <redacted>/, /^$/],
      ['just a string', /just a string/, /^$/],
    ];
    for (const [error, message, hint] of cases) {
      const d = describeError(error);
      assert.match(d.message, message);
      assert.match(d.hint, hint);
    }
  });
});
