import { accountViews } from '../support/accountViews';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { localSandbox, SPOT_TESTNET } from '../../src/core/environments';
import { apiErrorFromResponse, describeError, NoCredentialError, RateLimitBackoffError } from '../../src/core/errors';
import { TransportError } from '../../src/core/transport';
import { classifyFailure } from '../../src/app/viewError';
import { contextFromSetContext, welcomeFor } from '../support/manifest';

const LOCAL = localSandbox('http://127.0.0.1:4999');
const apiError = (httpStatus: number, code: number, msg: string) =>
  apiErrorFromResponse({
    httpStatus,
    bodyText: JSON.stringify({ code, msg }),
    context: { environmentLabel: SPOT_TESTNET.label },
  });
const refusedKey = apiError(401, -2015, 'Invalid API-key, IP, or permissions for action.');

describe('a failed view refresh: which state and welcome', () => {
  it('classifies each failure: no key, stopped sandbox, rate-limit wait, and the error kinds', () => {
    const now = 1_000_000;
    assert.deepEqual(classifyFailure(SPOT_TESTNET, new NoCredentialError('Spot Testnet'), now), { state: 'noKey' });
    assert.deepEqual(classifyFailure(LOCAL, new TransportError('ECONNREFUSED', 'network'), now), {
      state: 'sandboxStopped',
    });
    assert.deepEqual(classifyFailure(SPOT_TESTNET, new TransportError('ECONNREFUSED', 'network'), now), {
      state: 'error',
      kind: 'connection',
    });
    assert.deepEqual(classifyFailure(SPOT_TESTNET, new TransportError('timed out', 'timeout'), now), {
      state: 'error',
      kind: 'connection',
    });
    assert.deepEqual(classifyFailure(SPOT_TESTNET, refusedKey, now), { state: 'error', kind: 'key' });
    assert.deepEqual(classifyFailure(SPOT_TESTNET, apiError(400, -1022, 'Signature is not valid.'), now), {
      state: 'error',
      kind: 'key',
    });
    assert.deepEqual(classifyFailure(SPOT_TESTNET, apiError(503, -1008, 'Server is busy.'), now), {
      state: 'error',
      kind: 'server',
    });
    assert.deepEqual(classifyFailure(SPOT_TESTNET, apiError(400, -1100, 'Illegal characters.'), now), {
      state: 'error',
      kind: 'other',
    });
    assert.deepEqual(
      classifyFailure(
        SPOT_TESTNET,
        apiErrorFromResponse({ httpStatus: 429, bodyText: '{"code":-1003,"msg":"Too many"}', retryAfterSeconds: 7 }),
        now,
      ),
      { state: 'rateLimited', untilMs: now + 7000 },
    );
    assert.deepEqual(classifyFailure(SPOT_TESTNET, new RateLimitBackoffError('Spot Testnet', 3, now + 2500), now), {
      state: 'rateLimited',
      untilMs: now + 2500,
    });
  });

  function providers(error: unknown, environment = SPOT_TESTNET) {
    const client = {
      environment,
      account: async () => {
        throw error;
      },
      tickerPrices: async () => [],
      openOrders: async () => {
        throw error;
      },
    };
    const { model, balances, orders, log } = accountViews({ client, environment, hasKey: true });
    const views = { balances: { message: undefined as string | undefined }, orders: { message: undefined } };
    balances.status.attach(views.balances);
    orders.attach(views.orders as unknown as vscode.TreeView<never>);
    return { model, balances, orders, views, log };
  }

  for (const [name, error, sentence] of [
    ['a refused key', refusedKey, /^Balances could not be loaded: the exchange refused the API key\.$/],
    [
      'no answer',
      new TransportError('connect ECONNREFUSED', 'network'),
      /^Balances could not be loaded: the exchange did not answer\.$/,
    ],
    [
      'a server error',
      apiError(502, 0, 'Bad gateway'),
      /^Balances could not be loaded: the exchange reported a server error\.$/,
    ],
    [
      'anything else',
      apiError(400, -1100, 'Illegal characters found.'),
      /^Balances could not be loaded\. The log says why\.$/,
    ],
  ] as const) {
    it(`${name}: the error welcome shows (no view message hides it) with one short sentence, Retry and Show Log`, async () => {
      const { model, balances, views, log } = providers(error);
      await Promise.all([model.balances.refresh(), model.orders.refresh()]);
      assert.equal(balances.status.state, 'error');
      assert.equal(views.balances.message, undefined, 'a view message would hide the welcome content');
      assert.equal(views.orders.message, undefined);
      const context = contextFromSetContext();
      for (const [view, shown] of [
        ['testnetDesk.balances', welcomeFor('testnetDesk.balances', context)],
        ['testnetDesk.orders', welcomeFor('testnetDesk.orders', context)],
      ] as const) {
        assert.equal(shown.length, 1, `${view} shows ${shown.length} welcome entries: ${JSON.stringify(shown)}`);
        const [first, ...buttons] = shown[0].split('\n');
        if (view === 'testnetDesk.balances') assert.match(first, sentence);
        assert.doesNotMatch(first, /Binance error|HTTP \d/, 'the sentence is ours, not the exchange text');
        assert.deepEqual(buttons, [
          '[Retry](command:testnetDesk.views.refresh)',
          '[Show Log](command:testnetDesk.log.show)',
        ]);
      }
      // Show Log leads to the whole story: the exchange's text and what to do.
      const { message, hint } = describeError(error);
      assert.ok(
        log.lines.includes(`error Balances on Spot Testnet: ${message}${hint ? ` ${hint}` : ''}`),
        `the log lacks the details: ${JSON.stringify(log.lines)}`,
      );
    });
  }

  it('a stopped local sandbox shows its welcome with Start Local Sandbox (no message hides it)', async () => {
    const { model, balances, views } = providers(new TransportError('connect ECONNREFUSED', 'network'), LOCAL);
    await model.balances.refresh();
    assert.equal(balances.status.state, 'sandboxStopped');
    assert.equal(views.balances.message, undefined);
    const shown = welcomeFor('testnetDesk.balances', contextFromSetContext());
    assert.equal(shown.length, 1);
    assert.match(shown[0], /\[Start Local Sandbox\]\(command:testnetDesk\.sandbox\.start\)/);
  });
});
