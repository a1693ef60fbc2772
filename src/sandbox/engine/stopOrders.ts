/**
 * Stop orders (STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT, TAKE_PROFIT_LIMIT): accepted without
 * touching the book, they wait until a trade reaches their stop price, then work as a MARKET or
 * LIMIT order.
 */
import { ceilToStep, mul } from '../decimal';
import { Errors } from '../errors';
import { EngineContext } from './context';
import { execEvent, Operation } from './events';
import { lockAssetOf, Market } from './market';
import { plan, plannedQty, plannedQuote, settle } from './matching';
import { endList } from './orderLists';
import { stopDue } from './stopTrigger';
import { Account, AMOUNT_UNIT, EngineOrder, isMarketLike, PlaceResult } from './types';

/**
 * A stop order is rejected when its stop is already crossed by the last price ("Order would
 * trigger immediately.", -2010), otherwise it locks its balance at once, as the real exchange does
 * (SELL: the quantity; BUY _LIMIT: price × quantity; BUY STOP_LOSS/TAKE_PROFIT: stop price ×
 * quantity — the reference is silent on the market kinds, and a trigger tops the lock up from the
 * free balance if the book has moved past it).
 */
export function placeStop(ctx: EngineContext, market: Market, account: Account, order: EngineOrder): PlaceResult {
  const last = market.lastPrice;
  if (stopDue(order, last, last)) throw Errors.rejected('Order would trigger immediately.');
  const isBuy = order.side === 'BUY';
  const lockAsset = lockAssetOf(market, order.side);
  const lockPrice = isMarketLike(order.type) ? order.stopPrice : order.price;
  const lock = isBuy ? ceilToStep(mul(lockPrice, order.origQty), AMOUNT_UNIT) : order.origQty;
  ctx.ledger.requireFree(account, lockAsset, lock);

  const time = order.time;
  order.orderId = market.nextOrderId++;
  order.seq = ++ctx.counters.seq;
  order.workingTime = -1;
  ctx.counters.updates++;
  market.stops.add(order);
  ctx.history.addOrder(order);
  ctx.ledger.lock(account, lockAsset, lock);
  order.locked = lock;
  order.onBook = true; // open and holding its lock, though not in bids/asks until it triggers
  account.updateTime = time;
  ctx.hub.emit([execEvent(order, 'NEW', time), { kind: 'balances', accountId: account.id, assets: [lockAsset], time }]);
  return { order, fills: [] };
}

/**
 * Triggers every waiting stop whose price the trades of this operation reached (their lowest and
 * highest price, so a sweep that passes a stop triggers it even if it ends elsewhere), oldest
 * first; their own trades can trigger more, so this repeats until nothing is due.
 */
export function runTriggers(ctx: EngineContext, market: Market, op: Operation): void {
  for (;;) {
    const { tradeLow: low, tradeHigh: high } = market;
    market.tradeLow = undefined;
    market.tradeHigh = undefined;
    if (low === undefined || high === undefined) return;
    const due: EngineOrder[] = [];
    for (const o of market.stops) {
      ctx.counters.visited++;
      if (stopDue(o, low, high)) due.push(o);
    }
    if (due.length === 0) return;
    // A leg of an OCO can have been expired by its sibling's trigger in this same round.
    for (const order of due) if (order.onBook && !order.working) trigger(ctx, market, order, op);
  }
}

/**
 * The stop becomes a working MARKET / LIMIT order (type, ids and lock unchanged). Like the real
 * user data stream, it reports NEW again, now with isWorking true and its workingTime (the
 * reference is silent; this follows the public docs' executionReport), then its trades.
 */
function trigger(ctx: EngineContext, market: Market, order: EngineOrder, op: Operation): void {
  const time = op.time;
  market.stops.delete(order);
  order.working = true;
  order.workingTime = time;
  order.updateTime = time;
  order.seq = ++ctx.counters.seq; // time priority from the moment it works
  ctx.counters.updates++;
  op.events.push(execEvent(order, 'NEW', time));
  if (order.orderListId >= 0) endList(ctx, market, order, 'EXPIRED', op);
  const marketLike = isMarketLike(order.type);
  let matches = plan(ctx, market, order, marketLike ? undefined : order.price, order.origQty, undefined);
  if (marketLike && order.side === 'BUY') {
    const cost = plannedQuote(matches);
    const entry = ctx.ledger.entry(ctx.ledger.account(order.accountId), market.config.quoteAsset);
    if (cost > order.locked) {
      const extra = cost - order.locked;
      if (entry.free >= extra) {
        entry.free -= extra;
        entry.locked += extra;
        order.locked += extra;
      } else {
        // Not enough to buy the whole quantity at these prices: buy what the lock pays for.
        matches = plan(ctx, market, order, undefined, undefined, order.locked);
      }
    }
  }
  settle(ctx, market, order, matches, plannedQty(matches), false, op, []);
  op.touch(order.accountId, lockAssetOf(market, order.side));
  ctx.hub.queueMarket({ kind: 'book', symbol: market.config.symbol });
}
