import { EventEmitter } from '../../support/vscodeStub';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { DEMO, Environment, LIVE, localSandbox, SPOT_TESTNET } from '../../../src/core/environments';
import type { ViewState } from '../../../src/vscode/shared/contextKeys';
import { EnvironmentStatusBar, STATUS_BAR_COMMAND } from '../../../src/vscode/environment/statusBar';

function setUp(
  initial: Environment,
  options: { canTrade?: boolean; key?: boolean; runningSandbox?: Environment } = {},
) {
  const envChanged = new EventEmitter<unknown>();
  const keysChanged = new EventEmitter<unknown>();
  const viewState = new EventEmitter<ViewState>();
  const environments = {
    active: initial,
    runningSandbox: options.runningSandbox,
    canTrade: (env?: Environment) => (env ?? environments.active).kind !== 'live' || options.canTrade === true,
    onDidChange: envChanged.event,
  };
  const keys = {
    activeFor: () =>
      options.key === false ? undefined : { label: 'My key', keyType: 'ed25519', maskedApiKey: 'abcd…wxyz' },
    onDidChange: keysChanged.event,
  };
  const reach = { state: 'ready' as ViewState, onDidChange: viewState.event };
  const bar = new EnvironmentStatusBar(environments, keys, reach);
  const item = bar.item as vscode.StatusBarItem & { visible: boolean; disposed: boolean };
  const switchTo = (env: Environment) => {
    environments.active = env;
    envChanged.fire(env);
  };
  const setViewState = (state: ViewState) => {
    reach.state = state;
    viewState.fire(state);
  };
  const tooltip = () => (item.tooltip as vscode.MarkdownString).value;
  return { bar, item, switchTo, setViewState, tooltip, envChanged, viewState };
}

describe('environment status bar', () => {
  it('always shows the environment and the key; clicking switches environment, and the tooltip and screen reader say so', () => {
    const { item, tooltip } = setUp(SPOT_TESTNET);
    assert.equal(item.visible, true);
    assert.equal(item.text, `$(beaker) ${SPOT_TESTNET.label} · My key`);
    assert.equal(item.command, STATUS_BAR_COMMAND);
    assert.equal(item.backgroundColor, undefined);
    assert.match(tooltip(), /Click to switch environment\.$/);
    assert.match(tooltip(), /\*\*Key:\*\* My key \(ed25519, `abcd…wxyz`\)/);
    assert.equal(
      item.accessibilityInformation?.label,
      `Binance environment ${SPOT_TESTNET.label}, key My key. Click to switch environment.`,
    );
    assert.equal(item.name, 'Testnet Desk Environment');
  });

  it('says "no key" when the environment has none', () => {
    const { item, tooltip } = setUp(DEMO, { key: false });
    assert.equal(item.text, `$(beaker) ${DEMO.label} · no key`);
    assert.match(tooltip(), /none, add one with \*Binance: Add API Key\*/);
  });

  it('Live: error background, and read-only unless trading is allowed', () => {
    const readOnly = setUp(LIVE);
    assert.equal((readOnly.item.backgroundColor as vscode.ThemeColor).id, 'statusBarItem.errorBackground');
    assert.equal(readOnly.item.text, '$(warning) LIVE · My key (read-only)');
    assert.match(readOnly.item.accessibilityInformation?.label ?? '', /read-only\. Click to switch environment\.$/);
    const trading = setUp(LIVE, { canTrade: true });
    assert.equal((trading.item.backgroundColor as vscode.ThemeColor).id, 'statusBarItem.errorBackground');
    assert.match(trading.tooltip(), /real money/);
  });

  it('follows environment switches', () => {
    const { item, switchTo } = setUp(SPOT_TESTNET);
    switchTo(LIVE);
    assert.equal((item.backgroundColor as vscode.ThemeColor).id, 'statusBarItem.errorBackground');
    switchTo(SPOT_TESTNET);
    assert.equal(item.backgroundColor, undefined);
  });

  it('a local sandbox that stopped answering says so (warning background, text, tooltip, screen reader) until it answers again', () => {
    const local = localSandbox('http://127.0.0.1:4999');
    const { item, setViewState, tooltip } = setUp(local);
    assert.equal(item.text, `$(server-process) ${local.label} · My key`);
    setViewState('sandboxStopped');
    assert.equal(item.text, `$(debug-disconnect) ${local.label} · My key (stopped)`);
    assert.equal((item.backgroundColor as vscode.ThemeColor).id, 'statusBarItem.warningBackground');
    assert.match(tooltip(), /not answering: it has stopped/);
    assert.match(item.accessibilityInformation?.label ?? '', /local sandbox stopped\. Click to switch environment\.$/);
    setViewState('ready');
    assert.equal(item.backgroundColor, undefined);
    assert.equal(item.text, `$(server-process) ${local.label} · My key`);
  });

  it('a stopped state seen on one local environment does not carry over to another', () => {
    const a = localSandbox('http://127.0.0.1:4998');
    const b = localSandbox('http://127.0.0.1:4997');
    const { item, setViewState, switchTo } = setUp(a);
    setViewState('sandboxStopped');
    switchTo(b);
    assert.doesNotMatch(item.text, /stopped/);
  });

  it('disposes its listeners and the item', () => {
    const { bar, item, viewState } = setUp(SPOT_TESTNET);
    bar.dispose();
    assert.equal(item.disposed, true);
    const before = item.text;
    viewState.fire('sandboxStopped');
    assert.equal(item.text, before);
  });
});
