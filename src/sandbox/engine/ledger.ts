/**
 * Accounts and balances. Every amount moved between free and locked, or between accounts, goes
 * through here; commissions go to the fee account, so the total of each asset never changes.
 */
import { dec, Dec, floorToStep, fmt, ZERO } from '../decimal';
import { Errors } from '../errors';
import { Account, AMOUNT_UNIT, BalanceEntry } from './types';

export interface LedgerState {
  nextAccountId: number;
  accounts: Account[];
}

export class Ledger {
  private readonly accounts = new Map<number, Account>();
  private nextAccountId = 1;
  /** Receives every commission, so the sum of each asset over all accounts never changes. */
  feeAccount: Account;

  constructor(
    private readonly defaultMaker: Dec,
    private readonly defaultTaker: Dec,
    private readonly now: () => number,
  ) {
    this.feeAccount = this.create('fees', {});
  }

  create(name: string, balances: Record<string, string>): Account {
    const account: Account = {
      id: this.nextAccountId++,
      name,
      balances: new Map(),
      maker: this.defaultMaker,
      taker: this.defaultTaker,
      updateTime: this.now(),
    };
    for (const [asset, amount] of Object.entries(balances)) {
      account.balances.set(asset, { free: floorToStep(dec(amount), AMOUNT_UNIT), locked: ZERO });
    }
    this.accounts.set(account.id, account);
    return account;
  }

  /** What a snapshot keeps (the live objects; see engine/state.ts). */
  state(): LedgerState {
    return { nextAccountId: this.nextAccountId, accounts: [...this.accounts.values()] };
  }

  /** Replaces every account with a snapshot's; the fee account is account 1, as in every ledger. */
  restore(state: LedgerState): void {
    this.accounts.clear();
    for (const account of state.accounts) this.accounts.set(account.id, account);
    this.nextAccountId = state.nextAccountId;
    this.feeAccount = this.account(1);
  }

  account(id: number): Account {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`no account ${id}`);
    return account;
  }

  all(): Account[] {
    return [...this.accounts.values()];
  }

  /** The balance of `asset`, created at zero on first use. */
  entry(account: Account, asset: string): BalanceEntry {
    let entry = account.balances.get(asset);
    if (!entry) {
      entry = { free: ZERO, locked: ZERO };
      account.balances.set(asset, entry);
    }
    return entry;
  }

  /** Adds (or with a negative amount removes, if free allows) to a free balance. */
  credit(account: Account, asset: string, amount: Dec): void {
    const entry = this.entry(account, asset);
    if (entry.free + amount < ZERO) throw Errors.insufficientBalance();
    entry.free += amount;
  }

  /**
   * Throws -2010 insufficient balance unless `amount` of `asset` is free; the error carries the
   * amounts for the request inspector's diagnosis (never on the wire).
   */
  requireFree(account: Account, asset: string, amount: Dec): BalanceEntry {
    const entry = this.entry(account, asset);
    if (entry.free >= amount) return entry;
    const error = Errors.insufficientBalance();
    error.facts = { asset, required: fmt(amount), free: fmt(entry.free), locked: fmt(entry.locked) };
    throw error;
  }

  /** Moves `amount` from free to locked; -2010 insufficient balance if free is short. */
  lock(account: Account, asset: string, amount: Dec): void {
    const entry = this.requireFree(account, asset, amount);
    entry.free -= amount;
    entry.locked += amount;
  }

  /** Moves `amount` from locked back to free. */
  unlock(account: Account, asset: string, amount: Dec): void {
    const entry = this.entry(account, asset);
    entry.locked -= amount;
    entry.free += amount;
  }

  /** Sum of free + locked of every asset over every account (including the fee account). */
  totals(): Map<string, Dec> {
    const totals = new Map<string, Dec>();
    for (const account of this.accounts.values()) {
      for (const [asset, b] of account.balances) totals.set(asset, (totals.get(asset) ?? ZERO) + b.free + b.locked);
    }
    return totals;
  }
}
