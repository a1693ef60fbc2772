// The environment a bot started with F5 gets: asked for in the launch configuration, the secret
// only with an explicit opt-in, never Live unless Live trading is enabled.
import * as assert from 'node:assert/strict';
import { debugEnvironment, DebugEnvRefused, readDebugEnvRequest } from '../../src/app/debugEnv';
import { LIVE, localSandbox } from '../../src/core/environments';

describe('bot environment for a debug session', () => {
  it('reads the launch configuration property', () => {
    assert.equal(readDebugEnvRequest(undefined), undefined);
    assert.equal(readDebugEnvRequest(false), undefined);
    assert.deepEqual(readDebugEnvRequest(true), { includeSecret: false });
    assert.deepEqual(readDebugEnvRequest({}), { includeSecret: false });
    assert.deepEqual(readDebugEnvRequest({ includeSecret: true }), { includeSecret: true });
    assert.match(String(readDebugEnvRequest({ includeSecret: 'yes' })), /must be true or false/);
    assert.match(String(readDebugEnvRequest({ secret: true })), /has no option "secret"/);
    assert.match(String(readDebugEnvRequest('on')), /must be true or \{ "includeSecret": true \}/);
  });

  it('gives the URLs (with the stream URL) and the key, and the PEM with its line breaks', () => {
    const env = debugEnvironment(
      {
        environment: localSandbox('http://127.0.0.1:27182'),
        keyType: 'ed25519',
        apiKey: 'K',
        privateKeyPem: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n',
      },
      false,
    );
    assert.deepEqual(env, {
      BINANCE_ENV: 'local',
      BINANCE_REST_BASE_URL: 'http://127.0.0.1:27182',
      BINANCE_WS_API_URL: 'ws://127.0.0.1:27182/ws-api/v3',
      BINANCE_STREAM_URL: 'ws://127.0.0.1:27182/ws',
      BINANCE_KEY_TYPE: 'ed25519',
      BINANCE_API_KEY: 'K',
      BINANCE_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
    });
  });

  it('refuses Live unless Live trading is enabled', () => {
    assert.throws(() => debugEnvironment({ environment: LIVE, apiKey: 'K' }, false), DebugEnvRefused);
    assert.equal(debugEnvironment({ environment: LIVE, apiKey: 'K' }, true).BINANCE_ENV, 'live');
  });
});
