import assert from 'node:assert/strict';
import type { ClientFactory, ExchangeClient } from '../../src/app/exchange';
import { ExchangeSession } from '../../src/app/session';
import type { Credential } from '../../src/core/credentials';
import { DEMO, Environment, SPOT_TESTNET } from '../../src/core/environments';
import { Emitter } from '../../src/core/events';
import { hmacCredential } from '../support/credentials';

/** A session over an environment service and a key store reduced to what it reads, counting client builds. */
function setUp() {
  const environments = { active: SPOT_TESTNET as Environment, changed: new Emitter<unknown>() };
  const keys = { active: new Map<string, Credential>(), changed: new Emitter<unknown>() };
  const builds: string[] = [];
  const factory: ClientFactory = (environment) => {
    builds.push(environment.id);
    return { environment, clockOffsetMs: 0 } as ExchangeClient;
  };
  const session = new ExchangeSession(
    {
      get active() {
        return environments.active;
      },
      onDidChange: environments.changed.event,
    },
    { activeFor: (id) => keys.active.get(id), onDidChange: keys.changed.event },
    factory,
  );
  const identities: string[] = [];
  let changes = 0;
  session.onDidChangeIdentity((environment) => identities.push(`${environment.id}|${session.credential?.id ?? ''}`));
  session.onDidChange(() => changes++);
  return { session, environments, keys, builds, identities, changes: () => changes };
}

describe('session: one identity event (environment or active key), one client per change', () => {
  it('a settings change rebuilds the client once and changes no identity', () => {
    const { environments, builds, identities, changes } = setUp();
    assert.deepEqual(builds, ['testnet']);
    environments.changed.fire(undefined); // what EnvironmentService.settingsChanged() fires for the same environment
    assert.deepEqual(builds, ['testnet', 'testnet']);
    assert.deepEqual(identities, []);
    assert.equal(changes(), 1);
  });

  it('a switch of environment fires the identity event once, with the new client already built', () => {
    const { session, environments, builds, identities } = setUp();
    environments.active = DEMO;
    environments.changed.fire(undefined);
    assert.deepEqual(identities, ['demo|']);
    assert.deepEqual(builds, ['testnet', 'demo']);
    assert.equal(session.client.environment, DEMO);
  });

  it('the active key: added or switched fires it once; a rename or another environment’s key does not', () => {
    const { session, keys, identities, builds, changes } = setUp();
    const first = hmacCredential(SPOT_TESTNET);
    keys.active.set('testnet', first);
    keys.changed.fire(undefined);
    assert.deepEqual(identities, ['testnet|k-testnet']);
    assert.equal(session.hasKey, true);
    keys.active.set('testnet', first.withLabel('renamed'));
    keys.changed.fire(undefined);
    keys.active.set('demo', hmacCredential(DEMO));
    keys.changed.fire(undefined);
    assert.deepEqual(identities, ['testnet|k-testnet'], 'a rename or a key elsewhere is no new identity');
    assert.equal(changes(), 3, 'but every key change is reported (context keys, status bar)');
    keys.active.delete('testnet');
    keys.changed.fire(undefined);
    assert.deepEqual(identities, ['testnet|k-testnet', 'testnet|']);
    assert.deepEqual(builds, ['testnet'], 'the credential is read per call: no client is rebuilt for a key');
  });
});
