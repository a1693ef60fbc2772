/**
 * The account model over a fake session, with the Balances and Orders views that render it, for
 * unit tests. Loads the vscode stub first (the views import `vscode`).
 */
import './vscodeStub';
import { MemoryLog, MemoryMemento } from './memory';
import { AccountClient, AccountModel } from '../../src/app/account/accountModel';
import type { Timers } from '../../src/app/countdown';
import type { Environment } from '../../src/core/environments';
import { Emitter, type Event } from '../../src/core/events';
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
  options: {
    valuationAsset?: string;
    timers?: Timers;
    log?: MemoryLog;
    state?: MemoryMemento;
    /** The session's identity event; by default one the test never fires. */
    identityChanged?: Event<unknown>;
  } = {},
) {
  const log = options.log ?? new MemoryLog();
  const model = new AccountModel({
    source: source as FakeSource & { readonly client: AccountClient },
    identityChanged: options.identityChanged ?? new Emitter<unknown>().event,
    state: options.state ?? new MemoryMemento(),
    valuationAsset: () => options.valuationAsset ?? 'USDT',
    log,
  });
  const balances = new BalancesProvider(model, options.timers);
  const orders = new OrdersProvider(model, options.timers);
  return { model, balances, orders, log };
}
