/** Every OCO order list kept, with the lookups the API needs. */
import type { OrderList, OrderListRef } from './types';

export class OrderLists {
  private readonly lists = new Map<number, OrderList>();
  private nextOrderListId = 0;

  nextId(): number {
    return this.nextOrderListId++;
  }

  add(list: OrderList): void {
    this.lists.set(list.orderListId, list);
  }

  get(orderListId: number): OrderList | undefined {
    return this.lists.get(orderListId);
  }

  find(accountId: number, ref: OrderListRef): OrderList | undefined {
    for (const list of this.lists.values()) {
      if (list.accountId !== accountId) continue;
      if (
        ref.orderListId !== undefined
          ? list.orderListId === ref.orderListId
          : list.listClientOrderId === ref.listClientOrderId
      )
        return list;
    }
    return undefined;
  }

  open(accountId: number): OrderList[] {
    return [...this.lists.values()].filter((l) => l.accountId === accountId && l.listOrderStatus !== 'ALL_DONE');
  }

  hasOpenClientId(accountId: number, listClientOrderId: string): boolean {
    return [...this.lists.values()].some(
      (l) => l.accountId === accountId && l.listOrderStatus !== 'ALL_DONE' && l.listClientOrderId === listClientOrderId,
    );
  }
}
