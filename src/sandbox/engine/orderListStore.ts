/**
 * Every OCO order list kept, indexed by id, by account and by client id. Ended lists are kept up
 * to the closed-order retention bound, oldest first out; open lists are always kept.
 */
import { Fifo } from './fifo';
import type { OrderList, OrderListRef } from './types';

interface AccountLists {
  /** The first kept list with each listClientOrderId. */
  readonly byClientId: Map<string, OrderList>;
  /** Open lists in order of creation. */
  readonly open: Set<OrderList>;
}

export interface OrderListsState {
  lists: Map<number, OrderList>;
  accounts: Map<number, AccountLists>;
  ended: OrderList[];
  nextOrderListId: number;
}

export class OrderLists {
  private lists = new Map<number, OrderList>();
  private accounts = new Map<number, AccountLists>();
  private ended = new Fifo<OrderList>();
  private nextOrderListId = 0;

  constructor(private readonly keepEnded: number) {}

  state(): OrderListsState {
    const { lists, accounts, nextOrderListId } = this;
    return { lists, accounts, ended: this.ended.toArray(), nextOrderListId };
  }

  restore(state: OrderListsState): void {
    this.lists = state.lists;
    this.accounts = state.accounts;
    this.ended = Fifo.from(state.ended);
    this.nextOrderListId = state.nextOrderListId;
  }

  nextId(): number {
    return this.nextOrderListId++;
  }

  add(list: OrderList): void {
    this.lists.set(list.orderListId, list);
    const account = this.account(list.accountId);
    if (!account.byClientId.has(list.listClientOrderId)) account.byClientId.set(list.listClientOrderId, list);
    account.open.add(list);
  }

  /** The list is ALL_DONE: kept until the retention bound drops it. */
  end(list: OrderList): void {
    if (!this.account(list.accountId).open.delete(list)) return;
    this.ended.push(list);
    while (this.ended.length > this.keepEnded) {
      const oldest = this.ended.shift()!;
      this.lists.delete(oldest.orderListId);
      const byClientId = this.account(oldest.accountId).byClientId;
      if (byClientId.get(oldest.listClientOrderId) === oldest) byClientId.delete(oldest.listClientOrderId);
    }
  }

  get(orderListId: number): OrderList | undefined {
    return this.lists.get(orderListId);
  }

  find(accountId: number, ref: OrderListRef): OrderList | undefined {
    if (ref.orderListId !== undefined) {
      const list = this.lists.get(ref.orderListId);
      return list?.accountId === accountId ? list : undefined;
    }
    return ref.listClientOrderId === undefined
      ? undefined
      : this.accounts.get(accountId)?.byClientId.get(ref.listClientOrderId);
  }

  open(accountId: number): OrderList[] {
    return [...(this.accounts.get(accountId)?.open ?? [])];
  }

  hasOpenClientId(accountId: number, listClientOrderId: string): boolean {
    for (const list of this.accounts.get(accountId)?.open ?? []) {
      if (list.listClientOrderId === listClientOrderId) return true;
    }
    return false;
  }

  private account(accountId: number): AccountLists {
    let account = this.accounts.get(accountId);
    if (!account) {
      account = { byClientId: new Map(), open: new Set() };
      this.accounts.set(accountId, account);
    }
    return account;
  }
}
