import type { Balance } from '../../core/api';
import { add, isZero } from '../../core/decimal';
import type { Environment } from '../../core/environments';
import type { StateStore } from '../stateStore';
import { AccountSnapshot, looksLikeTestnetReset } from './resetDetection';

/**
 * Remembers the last balances and open-order count per environment and key (globalState; not
 * secret) and tells whether the latest refresh looks like a Spot Testnet reset.
 */
export class ResetWatcher {
  constructor(private readonly state: StateStore) {}

  /**
   * Records a refresh; returns true when the change looks like a periodic testnet reset.
   * `openOrderCount` is undefined when the open orders were not loaded with these balances.
   */
  check(environment: Environment, keyId: string, balances: readonly Balance[], openOrderCount?: number): boolean {
    const key = `testnetDesk.snapshot.${environment.id}.${keyId}`;
    const previous = this.state.get<AccountSnapshot>(key);
    const next: AccountSnapshot = {
      totals: {},
      locked: {},
      takenAt: Date.now(),
      openOrderCount: openOrderCount ?? previous?.openOrderCount,
    };
    for (const b of balances) {
      const total = add(b.free, b.locked);
      if (isZero(total)) continue;
      next.totals[b.asset] = total;
      next.locked[b.asset] = b.locked;
    }
    void this.state.update(key, next);
    const comparable = openOrderCount === undefined && previous ? { ...previous, openOrderCount: undefined } : previous;
    return environment.resetsPeriodically && looksLikeTestnetReset(comparable, next);
  }
}

export const RESET_EXPLANATION =
  'The Spot Testnet looks reset: balances changed all at once and open orders are gone. The Spot Testnet is wiped about once a month without notice; every account gets a fresh allowance and all orders are removed. Your API keys keep working.';
