import '../../support/vscodeStub';
import assert from 'node:assert/strict';
import type { ClientFactory, ExchangeClient } from '../../../src/app/exchange';
import { ExchangeSession } from '../../../src/app/session';
import { LIVE, SPOT_TESTNET } from '../../../src/core/environments';
import { Emitter } from '../../../src/core/events';
import { EnvironmentService } from '../../../src/vscode/environment/environmentService';
import { MemoryMemento } from '../../support/memory';

describe('environment service: a switch reaches the session in the same turn', () => {
  function setUp(settings: { liveEnabled: boolean; liveAllowTrading: boolean }) {
    const environments = new EnvironmentService(new MemoryMemento(), { list: () => [] }, () => settings);
    const builds: string[] = [];
    const factory: ClientFactory = (environment) => {
      builds.push(environment.id);
      return { environment, clockOffsetMs: 0 } as ExchangeClient;
    };
    const session = new ExchangeSession(
      environments,
      { activeFor: () => undefined, onDidChange: new Emitter().event },
      factory,
    );
    return { environments, session, builds };
  }

  it('turning Live off while it is active: the very next request already goes to the Spot Testnet', async () => {
    const settings = { liveEnabled: true, liveAllowTrading: false };
    const { environments, session, builds } = setUp(settings);
    await environments.setActive(LIVE);
    settings.liveEnabled = false;
    environments.settingsChanged(); // not awaited, as the settings listener calls it
    assert.equal(session.client.environment, SPOT_TESTNET);
    assert.deepEqual(builds, ['testnet', 'live', 'testnet'], 'one client per change, none twice');
  });

  it('a settings change on the same environment rebuilds the client once (a new recvWindow)', () => {
    const { environments, builds } = setUp({ liveEnabled: false, liveAllowTrading: false });
    environments.settingsChanged();
    assert.deepEqual(builds, ['testnet', 'testnet']);
  });
});
