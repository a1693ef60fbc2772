import { configuration } from '../../support/vscodeStub';
import assert from 'node:assert/strict';
import { readSettings } from '../../../src/vscode/shared/settings';

describe('settings (read from settings.json values of any JSON type)', () => {
  afterEach(() => configuration.clear());

  it('turns Live on and allows trading only for the boolean true, never for a truthy string', () => {
    configuration.set('testnetDesk.live.enabled', 'false');
    configuration.set('testnetDesk.live.allowTrading', 'false');
    let s = readSettings();
    assert.equal(s.liveEnabled, false);
    assert.equal(s.liveAllowTrading, false);
    configuration.set('testnetDesk.live.enabled', 1);
    configuration.set('testnetDesk.live.allowTrading', 'yes');
    s = readSettings();
    assert.equal(s.liveEnabled, false);
    assert.equal(s.liveAllowTrading, false);
    configuration.set('testnetDesk.live.enabled', true);
    configuration.set('testnetDesk.live.allowTrading', true);
    s = readSettings();
    assert.equal(s.liveEnabled, true);
    assert.equal(s.liveAllowTrading, true);
  });

  it('falls back to the defaults for unusable numbers and strings instead of NaN or a crash', () => {
    configuration.set('testnetDesk.recvWindow', 'soon');
    configuration.set('testnetDesk.refresh.pollSeconds', null);
    configuration.set('testnetDesk.balances.valuationAsset', 42);
    configuration.set('testnetDesk.liveUpdates.enabled', 'off');
    const s = readSettings();
    assert.equal(s.recvWindow, 5000);
    assert.equal(s.pollSeconds, 30);
    assert.equal(s.valuationAsset, 'USDT');
    assert.equal(s.liveUpdates, true);
  });

  it('clamps numbers into range', () => {
    configuration.set('testnetDesk.recvWindow', 90_000);
    configuration.set('testnetDesk.refresh.pollSeconds', -3);
    const s = readSettings();
    assert.equal(s.recvWindow, 60_000);
    assert.equal(s.pollSeconds, 0);
  });

  it('reads the sandbox port as a whole number 0..65535, else the fixed default', () => {
    assert.equal(readSettings().sandboxPort, 27182);
    configuration.set('testnetDesk.sandbox.port', 0);
    assert.equal(readSettings().sandboxPort, 0);
    configuration.set('testnetDesk.sandbox.port', 30123);
    assert.equal(readSettings().sandboxPort, 30123);
    for (const bad of [-1, 65536, 1.5, '8080', null]) {
      configuration.set('testnetDesk.sandbox.port', bad);
      assert.equal(readSettings().sandboxPort, 27182, String(bad));
    }
  });

  it('reads the history the sandbox keeps as a whole number from 1,000 to 10,000,000, else the default', () => {
    assert.equal(readSettings().sandboxKeepHistory, 100_000);
    configuration.set('testnetDesk.sandbox.keepHistory', 5000);
    assert.equal(readSettings().sandboxKeepHistory, 5000);
    configuration.set('testnetDesk.sandbox.keepHistory', 10);
    assert.equal(readSettings().sandboxKeepHistory, 1000);
    configuration.set('testnetDesk.sandbox.keepHistory', '5000');
    assert.equal(readSettings().sandboxKeepHistory, 100_000);
  });
});
