import assert from 'node:assert/strict';
import {
  BINANCE_ENVIRONMENTS,
  canonicalEnvironment,
  DEMO,
  Environment,
  EnvironmentError,
  environmentFromId,
  LIVE,
  localSandbox,
  sameEnvironment,
  SPOT_TESTNET,
} from '../../src/core/environments';
import { ENVIRONMENT_FORGERIES } from '../support/forgeries';

/** The registry: every environment the core uses is one of its frozen objects, resolved from an id. */
describe('environment registry', () => {
  it('hands out frozen objects, one per environment', () => {
    for (const env of [...BINANCE_ENVIRONMENTS, localSandbox('http://127.0.0.1:4101')]) {
      assert.ok(Object.isFrozen(env), env.id);
      assert.equal(environmentFromId(env.id), env);
      assert.equal(canonicalEnvironment(env), env);
      assert.equal(canonicalEnvironment(env.id), env);
    }
    assert.equal(localSandbox('http://127.0.0.1:4101'), localSandbox('http://127.0.0.1:4101/'));
    assert.notEqual(localSandbox('http://127.0.0.1:4101'), localSandbox('http://127.0.0.1:4102'));
  });

  it('canonicalises a local sandbox from its loopback origin', () => {
    const v4 = localSandbox('http://127.0.0.1:4103');
    assert.deepEqual(
      { id: v4.id, rest: v4.restBaseUrl, ws: v4.wsApiUrl, stream: v4.streamUrl },
      {
        id: 'local@http://127.0.0.1:4103',
        rest: 'http://127.0.0.1:4103',
        ws: 'ws://127.0.0.1:4103/ws-api/v3',
        stream: 'ws://127.0.0.1:4103/ws',
      },
    );
    // 'localhost' is resolved by name and may reach ::1: it becomes 127.0.0.1, so the id names the socket.
    for (const same of [
      'http://localhost:4103',
      'http://LOCALHOST:4103',
      'http://127.1:4103',
      'http://0x7f000001:4103',
    ])
      assert.equal(localSandbox(same), v4, same);
    assert.equal(environmentFromId('local@http://localhost:4103'), v4);
    // [::1] is another socket, so another environment.
    const v6 = localSandbox('http://[::1]:4103');
    assert.notEqual(v6, v4);
    assert.equal(v6.id, 'local@http://[::1]:4103');
    assert.equal(v6.wsApiUrl, 'ws://[::1]:4103/ws-api/v3');
    assert.equal(localSandbox('http://[0:0:0:0:0:0:0:1]:4103'), v6);
    assert.equal(sameEnvironment(v4, v6), false);
  });

  it('refuses anything but http on a loopback host with a port, saying what to use', () => {
    for (const bad of [
      'https://127.0.0.1:4104',
      'http://10.0.0.1:4104',
      'http://127.0.0.2:4104',
      'http://localhost.:4104',
      'http://example.com:4104',
      'http://[::ffff:127.0.0.1]:4104',
      'http://127.0.0.1',
      'http://127.0.0.1:80',
      'http://user:pass@127.0.0.1:4104',
      'http://127.0.0.1:4104/api',
      'http://127.0.0.1:4104/?x=1',
      'http://127.0.0.1:4104/#x',
    ]) {
      assert.throws(
        () => localSandbox(bad),
        (e: Error) => e instanceof EnvironmentError && /http:\/\/127\.0\.0\.1:PORT/.test(e.message),
        bad,
      );
      assert.throws(() => environmentFromId(`local@${bad}`), EnvironmentError, bad);
    }
    assert.throws(() => localSandbox('not a url'), /is not a URL/);
    assert.throws(() => environmentFromId('mainnet'), /Unknown environment "mainnet"/);
  });

  it("resolves any object to the registry's environment for its id, whatever else it carries", () => {
    for (const [name, forge] of Object.entries(ENVIRONMENT_FORGERIES)) {
      const forged = forge(SPOT_TESTNET, localSandbox('http://127.0.0.1:4105'));
      assert.equal(canonicalEnvironment(forged.environment), SPOT_TESTNET, name);
    }
    assert.equal(sameEnvironment({ ...LIVE, restBaseUrl: SPOT_TESTNET.restBaseUrl }, LIVE), true);
    assert.equal(sameEnvironment({ ...LIVE, id: DEMO.id }, LIVE), false);
  });

  it('reads only the id of a foreign object, exactly once', () => {
    const reads: PropertyKey[] = [];
    const spy = new Proxy({ ...DEMO }, { get: (target, name) => (reads.push(name), Reflect.get(target, name)) });
    assert.equal(canonicalEnvironment(spy), DEMO);
    assert.deepEqual(reads, ['id']);
  });

  it('refuses an object without a readable string id, with a clear message', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['undefined', undefined, /No environment was given/],
      ['null', null, /No environment was given/],
      ['a number', 5, /No environment was given/],
      ['a numeric id', { id: 5 }, /named by its id .* this one has a number/],
      [
        'a throwing getter',
        Object.defineProperty({}, 'id', {
          get() {
            throw new Error('boom');
          },
        }),
        /id could not be read/,
      ],
      ['an unknown id', { id: 'mainnet' }, /Unknown environment "mainnet"/],
    ];
    for (const [name, value, message] of cases) {
      assert.throws(
        () => canonicalEnvironment(value as Environment),
        (e: Error) => e instanceof EnvironmentError && message.test(e.message),
        name,
      );
    }
  });
});
