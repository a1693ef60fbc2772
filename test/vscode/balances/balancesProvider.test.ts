import { accountViews } from '../../support/accountViews';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { Balance, TickerPrice } from '../../../src/core/api';
import { Environment, localSandbox, SPOT_TESTNET } from '../../../src/core/environments';
import type { BalanceNode, BalancesProvider } from '../../../src/vscode/balances/balancesProvider';

describe('balances tree', () => {
  function setUp(options: { balances: Balance[]; prices: () => Promise<TickerPrice[]>; valuationAsset?: string }) {
    let environment: Environment = SPOT_TESTNET;
    const client = {
      get environment() {
        return environment;
      },
      account: async () => ({ balances: options.balances }),
      tickerPrices: options.prices,
    };
    const source = {
      client,
      get environment() {
        return environment;
      },
      hasKey: true,
    };
    const { model, balances: provider } = accountViews(source, { valuationAsset: options.valuationAsset ?? 'USDT' });
    const view = { message: undefined as string | undefined, description: undefined as string | undefined };
    provider.status.attach(view);
    return { model, provider, view, switchTo: (env: Environment) => (environment = env) };
  }
  const item = (p: BalancesProvider, asset: string): vscode.TreeItem =>
    p.getTreeItem(p.getChildren().find((n: BalanceNode) => n.row.asset === asset)!);

  it('values rows and the total exactly; an unpriced asset shows amounts only and the total says it is left out', async () => {
    const { model, provider, view } = setUp({
      balances: [
        { asset: 'BTC', free: '0.1', locked: '0.2' },
        { asset: 'XYZ', free: '7', locked: '0' },
        { asset: 'USDT', free: '0.01', locked: '0' },
      ],
      prices: async () => [{ symbol: 'BTCUSDT', price: '60000.01' }],
    });
    assert.equal(await model.balances.refresh(), true);
    assert.equal(item(provider, 'BTC').description, 'free 0.1 · locked 0.2 · ≈ 18,000.00 USDT');
    assert.equal(item(provider, 'XYZ').description, 'free 7');
    assert.equal(item(provider, 'USDT').description, 'free 0.01');
    assert.match(view.description ?? '', /^Spot Testnet · ≈ 18,000\.01 USDT \(excl\. 1 unpriced\) · updated /);
    const tooltip = item(provider, 'BTC').tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /Price used: 0\.3 × BTCUSDT 60,000\.01/);
    assert.equal(item(provider, 'BTC').id, `balance:${SPOT_TESTNET.id}:BTC`);
  });

  it('a failed ticker request revalues with the last prices of the same environment, never another one', async () => {
    let fail = false;
    const { model, provider, switchTo } = setUp({
      balances: [{ asset: 'BTC', free: '1', locked: '0' }],
      prices: async () => {
        if (fail) throw new Error('ticker down');
        return [{ symbol: 'BTCUSDT', price: '50000' }];
      },
    });
    await model.balances.refresh();
    fail = true;
    await model.balances.refresh();
    assert.equal(item(provider, 'BTC').description, 'free 1 · ≈ 50,000.00 USDT');
    model.balances.applyPositions([{ asset: 'BTC', free: '2', locked: '0' }]);
    assert.equal(
      item(provider, 'BTC').description,
      'free 2 · ≈ 100,000.00 USDT',
      'recomputed from the new amount, not carried over',
    );
    switchTo(localSandbox('http://127.0.0.1:4999'));
    model.reset();
    await model.balances.refresh();
    assert.equal(item(provider, 'BTC').description, 'free 1', "no valuation with the other environment's prices");
  });

  it('no valuation asset: no values and no total', async () => {
    const { model, provider, view } = setUp({
      balances: [{ asset: 'BTC', free: '1', locked: '0' }],
      prices: async () => [{ symbol: 'BTCUSDT', price: '1' }],
      valuationAsset: '',
    });
    await model.balances.refresh();
    assert.equal(item(provider, 'BTC').description, 'free 1');
    assert.doesNotMatch(view.description ?? '', /≈/);
  });
});
