import assert from 'node:assert/strict';
import { DEMO, SPOT_TESTNET } from '../../src/core/environments';
import { RateLimitBackoffError } from '../../src/core/errors';
import { createClientFactory } from '../../src/app/clientFactory';
import { json, RecordingTransport } from '../support/recordingTransport';

describe('createClientFactory', () => {
  it('a client rebuilt for the same environment keeps honouring a running 429 Retry-After; other environments are not affected', async () => {
    const transport = new RecordingTransport().on(
      'GET /api/v3/ping',
      json(429, { code: -1003, msg: 'Too much request weight used' }, { 'Retry-After': '30' }),
      json(200, {}),
    );
    const lines: string[] = [];
    const factory = createClientFactory(
      { info: (l: string) => lines.push(l) },
      () => ({ recvWindow: 5000 }),
      transport,
    );
    await assert.rejects(factory(SPOT_TESTNET, () => undefined).ping(), { httpStatus: 429 });
    // e.g. a setting changed: the session builds a new client for the same environment
    await assert.rejects(factory(SPOT_TESTNET, () => undefined).ping(), RateLimitBackoffError);
    assert.equal(transport.callsTo('GET /api/v3/ping').length, 1, 'nothing may be sent while Retry-After runs');
    await factory(DEMO, () => undefined).ping();
    assert.equal(transport.callsTo('GET /api/v3/ping').length, 2);
  });
});
