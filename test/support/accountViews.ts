/**
 * The account model over a fake session, with the Balances and Orders views that render it, for
 * unit tests. Loads the vscode stub first (the views import `vscode`).
 */
import { MemoryLog, MemoryMemento } from './vscodeStub';
import { AccountClient, AccountModel } from '../../src/app/account/accountModel';
import type { Timers } from '../../src/app/countdown';
import type { Environment } from '../../src/core/environments';
import { BalancesProvider } from '../../src/vscode/balances/balancesProvider';
import { OrdersProvider } from '../../src/vscode/orders/ordersProvider';

/** What the model reads of the session; a test's client answers only what the test calls, with what it needs. */
export interface FakeSource {
  readonly environment: Environment;
  readonly hasKey: boolean;
  readonly client: object;
}

export function accountViews(
  source: FakeSource,
  options: { valuationAsset?: string; timers?: Timers; log?: MemoryLog; state?: MemoryMemento } = {},
) {
  const log = options.log ?? new MemoryLog();
  const model = new AccountModel({
    source: source as FakeSource & { readonly client: AccountClient },
    state: options.state ?? new MemoryMemento(),
    valuationAsset: () => options.valuationAsset ?? 'USDT',
    log,
  });
  const balances = new BalancesProvider(model, options.timers);
  const orders = new OrdersProvider(model, options.timers);
  return { model, balances, orders, log };
}
