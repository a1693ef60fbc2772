/**
 * OCO order lists: two legs of one side and quantity sharing one balance lock. When one leg trades,
 * triggers, expires or is canceled, the other ends too and the list is ALL_DONE.
 */
import { ceilToStep, Dec, mul, ZERO } from '../decimal';
import { ApiError, Errors } from '../errors';
import { EngineContext, release } from './context';
import { execEvent, Operation } from './events';
import { lockAssetOf, Market, removeFromBook } from './market';
import { stopDue } from './stopTrigger';
import {
  Account,
  AMOUNT_UNIT,
  EngineEvent,
  EngineOrder,
  generateClientOrderId,
  isMarketLike,
  newOrder,
  isStopType,
  NewOrderInput,
  OcoInput,
  OrderList,
} from './types';

export function listSnapshot(list: OrderList): OrderList {
  return { ...list, orders: list.orders.map((o) => ({ ...o })) };
}

/**
 * Ends an open order that did not trade to the end (canceled, or expired by a self-trade): off the
 * book or the waiting stops, its lock freed, reported; an order list it belongs to ends with it.
 */
export function endOpenOrder(
  ctx: EngineContext,
  market: Market,
  order: EngineOrder,
  status: 'CANCELED' | 'EXPIRED_IN_MATCH',
  op: Operation,
): void {
  const ended = status === 'CANCELED' ? 'CANCELED' : 'EXPIRED';
  removeFromBook(market, order);
  release(ctx, market, order);
  order.status = status;
  order.updateTime = op.time;
  op.events.push(execEvent(order, ended, op.time));
  // Canceling one leg cancels the whole order list (public docs); a leg's expiry expires the other.
  if (order.orderListId >= 0) endList(ctx, market, order, ended, op);
}

/**
 * `leg` traded, triggered, expired or was canceled: the other leg ends too (`status`: EXPIRED
 * when a leg executes, as the real exchange reports it; CANCELED on a cancel request), its lock
 * moves to `leg` if `leg` still works, and the list is ALL_DONE.
 */
export function endList(
  ctx: EngineContext,
  market: Market,
  leg: EngineOrder,
  status: 'EXPIRED' | 'CANCELED',
  op: Operation,
): void {
  const list = ctx.lists.get(leg.orderListId);
  if (!list || list.listOrderStatus === 'ALL_DONE') return;
  const time = op.time;
  for (const other of list.orders) {
    if (other === leg || !other.onBook) continue;
    if (leg.onBook && status === 'EXPIRED') {
      leg.locked += other.locked; // stays locked in the account, now for the working leg
      other.locked = ZERO;
    }
    removeFromBook(market, other);
    release(ctx, market, other);
    other.status = status;
    other.updateTime = time;
    op.events.push(execEvent(other, status, time));
  }
  list.listStatusType = 'ALL_DONE';
  list.listOrderStatus = 'ALL_DONE';
  list.transactionTime = time;
  ctx.lists.end(list);
  op.touch(leg.accountId, lockAssetOf(market, leg.side));
  op.events.push({ kind: 'listStatus', accountId: leg.accountId, list: listSnapshot(list), time });
  ctx.hub.queueMarket({ kind: 'book', symbol: market.config.symbol });
}

/**
 * Places an OCO whose legs passed validateOrder: two legs of one side and quantity, one above and
 * one below the last price (reference §5.3 price rules), sharing one balance lock (SELL: the
 * quantity; BUY: what the dearer leg needs). A LIMIT_MAKER leg rests in the book and holds the
 * lock; otherwise the first leg does.
 */
export function placeList(
  ctx: EngineContext,
  market: Market,
  account: Account,
  input: OcoInput,
  legs: NewOrderInput[],
  now: () => number,
): { list: OrderList; orders: EngineOrder[] } {
  const accountId = account.id;
  const last = market.lastPrice;
  const level = (leg: NewOrderInput): Dec => (isStopType(leg.type) ? (leg.stopPrice ?? ZERO) : (leg.price ?? ZERO));
  // The public docs' message for legs on the wrong side of the market (reference is silent on the code).
  if (!(level(legs[0]) < last && level(legs[1]) > last))
    throw new ApiError(-1013, 'The relationship of the prices for the orders is not correct.');
  if (input.listClientOrderId !== undefined && ctx.lists.hasOpenClientId(accountId, input.listClientOrderId)) {
    throw Errors.rejected('Duplicate order sent.');
  }
  const time = now();
  const orders = legs.map((leg) => {
    // Only the _LIMIT stop kinds keep a timeInForce; every other leg is GTC.
    const limitKind = leg.type === 'STOP_LOSS_LIMIT' || leg.type === 'TAKE_PROFIT_LIMIT';
    const order = newOrder(accountId, { ...leg, timeInForce: limitKind ? leg.timeInForce : undefined }, time);
    if (!order.working) order.workingTime = -1;
    return order;
  });
  for (const order of orders) {
    if (order.type === 'LIMIT_MAKER' && market.book.wouldCross(order))
      throw Errors.rejected('Order would immediately match and take.');
    if (isStopType(order.type) && stopDue(order, last, last)) throw Errors.rejected('Order would trigger immediately.');
  }
  const isBuy = input.side === 'BUY';
  const need = (o: EngineOrder): Dec =>
    isBuy ? ceilToStep(mul(isMarketLike(o.type) ? o.stopPrice : o.price, o.origQty), AMOUNT_UNIT) : o.origQty;
  const lock = orders.map(need).reduce((a, b) => (a > b ? a : b));
  const lockAsset = lockAssetOf(market, input.side);
  ctx.ledger.requireFree(account, lockAsset, lock);

  // Accepted.
  const list: OrderList = {
    orderListId: ctx.lists.nextId(),
    listClientOrderId: input.listClientOrderId ?? generateClientOrderId(),
    symbol: input.symbol,
    accountId,
    contingencyType: 'OCO',
    listStatusType: 'EXEC_STARTED',
    listOrderStatus: 'EXECUTING',
    transactionTime: time,
    orders,
  };
  ctx.lists.add(list);
  const holder = orders.find((o) => o.type === 'LIMIT_MAKER') ?? orders[0];
  ctx.ledger.lock(account, lockAsset, lock);
  const events: EngineEvent[] = [];
  for (const order of orders) {
    order.orderId = market.nextOrderId++;
    order.seq = ++ctx.counters.seq;
    order.orderListId = list.orderListId;
    order.onBook = true;
    order.locked = order === holder ? lock : ZERO;
    ctx.history.addOrder(order);
    if (order.working) market.book.insert(order);
    else market.stops.add(order);
    events.push(execEvent(order, 'NEW', time));
  }
  ctx.counters.updates++;
  account.updateTime = time;
  events.push({ kind: 'listStatus', accountId, list: listSnapshot(list), time });
  events.push({ kind: 'balances', accountId, assets: [lockAsset], time });
  ctx.hub.emit(events);
  ctx.hub.flushMarket(input.symbol);
  return { list, orders };
}
