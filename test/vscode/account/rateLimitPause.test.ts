import { EventEmitter, executedCommands } from '../../support/vscodeStub';
import { MemoryLog } from '../../support/memory';
import assert from 'node:assert/strict';
import type { Order } from '../../../src/core/api';
import { SPOT_TESTNET } from '../../../src/core/environments';
import { apiErrorFromResponse, RateLimitBackoffError } from '../../../src/core/errors';
import { Countdown } from '../../../src/app/countdown';
import { PrompterHolder } from '../../../src/vscode/shared/prompter';
import { RefreshCoordinator } from '../../../src/vscode/account/refreshCoordinator';
import { ViewStatus } from '../../../src/vscode/shared/viewStatus';
import { accountViews } from '../../support/accountViews';
import { hmacCredential } from '../../support/credentials';
import { FakeTimers } from '../../support/fakeTimers';

/** What the client throws for a 429 with `Retry-After: seconds` (the same builder the client uses). */
const tooManyRequests = (seconds: number) =>
  apiErrorFromResponse({
    httpStatus: 429,
    bodyText: JSON.stringify({ code: -1003, msg: 'Too many requests; current limit is 6000 request weight per 1 M.' }),
    retryAfterSeconds: seconds,
    context: { environmentLabel: SPOT_TESTNET.label },
  });

const fakeView = () => ({ message: undefined as string | undefined, description: undefined as string | undefined });

describe('rate-limit pause: countdown', () => {
  it('ticks the whole seconds left, once per second, then ends once', async () => {
    const timers = new FakeTimers();
    const ticks: number[] = [];
    let done = 0;
    new Countdown(
      timers.now() + 2500,
      timers,
      (s) => ticks.push(s),
      () => done++,
    );
    assert.deepEqual(ticks, [3]);
    await timers.advance(499);
    assert.deepEqual(ticks, [3]);
    await timers.advance(1);
    assert.deepEqual(ticks, [3, 2]);
    await timers.advance(1000);
    assert.deepEqual(ticks, [3, 2, 1]);
    assert.equal(done, 0);
    await timers.advance(1000);
    assert.equal(done, 1);
    await timers.advance(5000);
    assert.equal(done, 1, 'ends once');
    assert.equal(timers.pendingCount, 0);
  });

  it('a wait that is already over ends on the next turn, never inside the constructor; stop() cancels it', async () => {
    const timers = new FakeTimers();
    let done = 0;
    new Countdown(
      timers.now(),
      timers,
      () => undefined,
      () => done++,
    );
    assert.equal(done, 0);
    await timers.advance(0);
    assert.equal(done, 1);
    const stopped = new Countdown(
      timers.now() + 1000,
      timers,
      () => undefined,
      () => done++,
    );
    stopped.stop();
    await timers.advance(2000);
    assert.equal(done, 1);
  });
});

describe('rate-limit pause: the view', () => {
  it('shows a countdown that changes every second, then says the pause is over', async () => {
    const timers = new FakeTimers();
    const status = new ViewStatus('test.state', 'test.error', timers);
    const view = fakeView();
    status.attach(view);
    let ended = 0;
    status.onDidPauseEnd(() => ended++);
    status.fail(SPOT_TESTNET, tooManyRequests(3));
    assert.equal(status.state, 'rateLimited');
    const seen = [view.message];
    for (let i = 0; i < 3; i++) {
      await timers.advance(1000);
      seen.push(view.message);
    }
    assert.deepEqual(seen.slice(0, 3), [
      'Spot Testnet limits the request rate, so requests are paused. Resuming in 3 s.',
      'Spot Testnet limits the request rate, so requests are paused. Resuming in 2 s.',
      'Spot Testnet limits the request rate, so requests are paused. Resuming in 1 s.',
    ]);
    assert.equal(ended, 1);
    const lastState = executedCommands.filter((c) => c.args[0] === 'test.state').at(-1);
    assert.deepEqual(lastState?.args, ['test.state', 'rateLimited']);
    status.dispose();
  });

  it('a request refused by the closed gate counts down to the gate, not to a fresh Retry-After', async () => {
    const timers = new FakeTimers();
    const status = new ViewStatus('test.state', 'test.error', timers);
    const view = fakeView();
    status.attach(view);
    status.fail(SPOT_TESTNET, new RateLimitBackoffError(SPOT_TESTNET.label, 60, timers.now() + 1500));
    assert.match(view.message ?? '', /Resuming in 2 s\.$/);
    let ended = false;
    status.onDidPauseEnd(() => (ended = true));
    await timers.advance(1500);
    assert.equal(ended, true);
    status.dispose();
  });

  it('a new state (a refresh starting) stops the countdown', async () => {
    const timers = new FakeTimers();
    const status = new ViewStatus('test.state', 'test.error', timers);
    let ended = false;
    status.onDidPauseEnd(() => (ended = true));
    status.fail(SPOT_TESTNET, tooManyRequests(1));
    status.set('loading');
    await timers.advance(5000);
    assert.equal(ended, false);
    assert.equal(status.message, undefined);
    status.dispose();
  });
});

describe('rate-limit pause: the views load again by themselves', () => {
  function setUp(options: { visible: boolean }) {
    const timers = new FakeTimers();
    const calls = { account: 0, openOrders: 0 };
    let rateLimited = true;
    const client = {
      environment: SPOT_TESTNET,
      account: async () => {
        calls.account++;
        if (rateLimited) {
          rateLimited = false;
          throw tooManyRequests(2);
        }
        return { balances: [{ asset: 'BTC', free: '1', locked: '0' }] };
      },
      tickerPrices: async () => [],
      openOrders: async (): Promise<Order[]> => {
        calls.openOrders++;
        return [];
      },
    };
    const onDidChange = new EventEmitter<unknown>();
    const session = {
      client,
      environment: SPOT_TESTNET,
      hasKey: true,
      credential: hmacCredential(SPOT_TESTNET),
      onDidChange: onDidChange.event,
      onDidChangeIdentity: onDidChange.event,
    };
    const { model, balances } = accountViews(session, { valuationAsset: '', timers });
    const view = fakeView();
    balances.status.attach(view);
    const coordinator = new RefreshCoordinator({
      session,
      environments: { canTrade: () => true },
      keys: { list: () => [] },
      model,
      resets: { check: () => false },
      settings: () => ({ pollSeconds: 0 }), // no polling: only the pause's own resume may send again
      prompter: new PrompterHolder(),
      log: new MemoryLog(),
    });
    const visibility = new EventEmitter<{ visible: boolean }>();
    const treeView = { visible: options.visible, onDidChangeVisibility: visibility.event };
    coordinator.watch(treeView, { view: balances.status, section: 'balances' });
    const showView = () => {
      treeView.visible = true;
      visibility.fire({ visible: true });
    };
    return { timers, calls, balances, view, coordinator, showView };
  }

  it('sends the request again once Retry-After has elapsed, not before, and the rows come back', async () => {
    const { timers, calls, balances, view, coordinator } = setUp({ visible: true });
    await coordinator.refreshAll();
    assert.equal(balances.status.state, 'rateLimited');
    assert.equal(calls.account, 1);
    assert.match(view.message ?? '', /Resuming in 2 s/);
    await timers.advance(1999);
    assert.equal(calls.account, 1, 'nothing is sent while the wait runs');
    assert.match(view.message ?? '', /Resuming in 1 s/);
    await timers.advance(1);
    assert.equal(calls.account, 2, 'the balances were requested again when the wait was over');
    assert.equal(balances.status.state, 'ready');
    assert.equal(view.message, undefined);
    assert.deepEqual(
      balances.getChildren().map((n) => n.row.asset),
      ['BTC'],
    );
    assert.equal(calls.openOrders, 1, 'only the view that waited reloads');
    coordinator.dispose();
  });

  it('a hidden view does not reload when the wait ends, but as soon as it is shown', async () => {
    const { timers, calls, balances, coordinator, showView } = setUp({ visible: false });
    await coordinator.refreshAll();
    await timers.advance(5000);
    assert.equal(calls.account, 1);
    showView();
    await timers.advance(0);
    assert.equal(calls.account, 2);
    assert.equal(balances.status.state, 'ready');
    coordinator.dispose();
  });
});
