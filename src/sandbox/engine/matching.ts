/**
 * Price-time priority matching: plan the fills of a taker without changing anything, then execute
 * them (balances, commissions, trades, candles, events) and let the order rest or end.
 */
import { Dec, div, floorToStep, min, mul, ZERO } from '../decimal';
import { EngineContext, release } from './context';
import { execEvent, Operation, tradeEvent } from './events';
import { Market, PUBLIC_TRADES_KEPT, removeFromBook } from './market';
import { endList, endOpenOrder } from './orderLists';
import { AMOUNT_UNIT, EngineFill, EngineOrder, EngineTrade, isMarketLike, PublicTrade } from './types';

export interface MatchStep {
  maker: EngineOrder;
  qty: Dec;
  price: Dec;
  quoteQty: Dec;
}

export interface MatchPlan {
  steps: MatchStep[];
  /** The taker account's own orders met on the way: they expire (EXPIRED_IN_MATCH). */
  selfMakers: EngineOrder[];
  quoteExhausted: boolean;
}

/** Walks the opposite side in priority order without changing anything. */
export function plan(
  ctx: EngineContext,
  market: Market,
  taker: EngineOrder,
  limitPrice: Dec | undefined,
  qtyLimit: Dec | undefined,
  quoteLimit: Dec | undefined,
): MatchPlan {
  const steps: MatchStep[] = [];
  const selfMakers: EngineOrder[] = [];
  let remainingQty = qtyLimit;
  let remainingQuote = quoteLimit;
  let quoteExhausted = false;
  const lists = new Set<number>();
  for (const maker of market.book.makersFor(taker.side)) {
    ctx.counters.visited++;
    if (limitPrice !== undefined) {
      const crosses = taker.side === 'BUY' ? maker.price <= limitPrice : maker.price >= limitPrice;
      if (!crosses) break;
    }
    if (remainingQty !== undefined && remainingQty <= ZERO) break;
    // One leg of an order list per sweep (an OCO with two LIMIT_MAKER legs on one side): the
    // first leg to trade or expire ends the list, and its sibling expires with it, untraded.
    if (maker.orderListId >= 0) {
      if (lists.has(maker.orderListId)) continue;
      lists.add(maker.orderListId);
    }
    if (maker.accountId === taker.accountId) {
      selfMakers.push(maker);
      continue;
    }
    const available = maker.origQty - maker.executedQty;
    let qty: Dec;
    if (remainingQty !== undefined) {
      qty = min(available, remainingQty);
    } else {
      // quoteOrderQty: never break LOT_SIZE, so round down to the step.
      const affordable = floorToStep(div(remainingQuote ?? ZERO, maker.price), market.rules.step);
      qty = min(available, affordable);
      if (qty <= ZERO) {
        quoteExhausted = true;
        break;
      }
    }
    const quoteQty = floorToStep(mul(maker.price, qty), AMOUNT_UNIT);
    steps.push({ maker, qty, price: maker.price, quoteQty });
    if (remainingQty !== undefined) remainingQty -= qty;
    if (remainingQuote !== undefined) remainingQuote -= quoteQty;
  }
  if (remainingQuote !== undefined && remainingQuote <= ZERO) quoteExhausted = true;
  if (remainingQuote !== undefined && !quoteExhausted && steps.length > 0) {
    // Whatever quote is left cannot buy/sell one more step at the last level reached.
    const last = steps[steps.length - 1];
    if (floorToStep(div(remainingQuote, last.price), market.rules.step) <= ZERO) quoteExhausted = true;
  }
  return { steps, selfMakers, quoteExhausted };
}

export function plannedQty(p: MatchPlan): Dec {
  return p.steps.reduce((s, x) => s + x.qty, ZERO);
}

export function plannedQuote(p: MatchPlan): Dec {
  return p.steps.reduce((s, x) => s + x.quoteQty, ZERO);
}

/** Self-trade expiries, the fills of `matches`, then the order rests or ends (FILLED/EXPIRED) and is released. */
export function settle(
  ctx: EngineContext,
  market: Market,
  order: EngineOrder,
  matches: MatchPlan,
  planQty: Dec,
  quoteBased: boolean,
  op: Operation,
  fills: EngineFill[],
): void {
  const time = op.time;
  const fokFails = order.timeInForce === 'FOK' && !isMarketLike(order.type) && planQty < order.origQty;
  if (!fokFails) {
    for (const self of matches.selfMakers) endOpenOrder(ctx, market, self, 'EXPIRED_IN_MATCH', op);
    for (const step of matches.steps) fills.push(execute(ctx, market, order, step, op));
  }

  const remaining = order.origQty - order.executedQty;
  const rests = !isMarketLike(order.type) && order.timeInForce === 'GTC' && remaining > ZERO && !fokFails;
  if (rests) {
    order.status = order.executedQty > ZERO ? 'PARTIALLY_FILLED' : 'NEW';
    market.book.insert(order);
  } else {
    const filled = order.type === 'MARKET' && quoteBased ? matches.quoteExhausted : remaining === ZERO;
    order.status = filled && order.executedQty > ZERO ? 'FILLED' : 'EXPIRED';
    release(ctx, market, order);
    if (order.status === 'EXPIRED') op.events.push(execEvent(order, 'EXPIRED', time));
  }
}

/** One fill: moves the money, records the trade on both orders, the tape and the candles. */
function execute(ctx: EngineContext, market: Market, taker: EngineOrder, step: MatchStep, op: Operation): EngineFill {
  const { ledger } = ctx;
  const time = op.time;
  const { baseAsset, quoteAsset } = market.config;
  const { maker, qty, price, quoteQty } = step;
  const buyer = taker.side === 'BUY' ? taker : maker;
  const seller = taker.side === 'BUY' ? maker : taker;
  const buyerAccount = ledger.account(buyer.accountId);
  const sellerAccount = ledger.account(seller.accountId);
  const buyerRate = buyer === taker ? buyerAccount.taker : buyerAccount.maker;
  const sellerRate = seller === taker ? sellerAccount.taker : sellerAccount.maker;
  const buyerCommission = floorToStep(mul(qty, buyerRate), AMOUNT_UNIT);
  const sellerCommission = floorToStep(mul(quoteQty, sellerRate), AMOUNT_UNIT);

  // Buyer pays quote out of its lock, receives base minus commission.
  ledger.entry(buyerAccount, quoteAsset).locked -= quoteQty;
  buyer.locked -= quoteQty;
  ledger.entry(buyerAccount, baseAsset).free += qty - buyerCommission;
  // Seller pays base out of its lock, receives quote minus commission.
  ledger.entry(sellerAccount, baseAsset).locked -= qty;
  seller.locked -= qty;
  ledger.entry(sellerAccount, quoteAsset).free += quoteQty - sellerCommission;
  // Commissions to the fee account: the total of every asset is unchanged.
  ledger.entry(ledger.feeAccount, baseAsset).free += buyerCommission;
  ledger.entry(ledger.feeAccount, quoteAsset).free += sellerCommission;
  op.touch(buyer.accountId, baseAsset, quoteAsset);
  op.touch(seller.accountId, baseAsset, quoteAsset);
  op.touch(ledger.feeAccount.id, baseAsset, quoteAsset);
  buyerAccount.updateTime = time;
  sellerAccount.updateTime = time;

  const tradeId = market.nextTradeId++;
  ctx.counters.updates++;
  for (const order of [taker, maker]) {
    order.executedQty += qty;
    order.cumQuote += quoteQty;
    order.updateTime = time;
  }
  market.book.filled(maker, qty);
  maker.status = maker.executedQty === maker.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
  if (maker.status === 'FILLED') {
    removeFromBook(market, maker);
    release(ctx, market, maker);
  }
  if (maker.orderListId >= 0) endList(ctx, market, maker, 'EXPIRED', op);
  taker.status = 'PARTIALLY_FILLED';
  const publicTrade: PublicTrade = { id: tradeId, price, qty, quoteQty, time, isBuyerMaker: maker === buyer, aggId: 0 };
  recordPublicTrade(market, taker, publicTrade);
  ctx.hub.queueMarket({ kind: 'trade', symbol: market.config.symbol, trade: publicTrade });

  const record = (order: EngineOrder, isMaker: boolean): EngineTrade => {
    const isBuyer = order === buyer;
    const trade: EngineTrade = {
      symbol: market.config.symbol,
      id: tradeId,
      orderId: order.orderId,
      accountId: order.accountId,
      price,
      qty,
      quoteQty,
      commission: isBuyer ? buyerCommission : sellerCommission,
      commissionAsset: isBuyer ? baseAsset : quoteAsset,
      time,
      isBuyer,
      isMaker,
    };
    ctx.history.addTrade(trade);
    return trade;
  };
  const takerTrade = record(taker, false);
  const makerTrade = record(maker, true);
  if (taker.executedQty === taker.origQty && taker.origQty > ZERO) taker.status = 'FILLED';
  op.events.push(tradeEvent(taker, takerTrade, time));
  op.events.push(tradeEvent(maker, makerTrade, time));
  return {
    price,
    qty,
    quoteQty,
    commission: takerTrade.commission,
    commissionAsset: takerTrade.commissionAsset,
    tradeId,
  };
}

/** Last price, the stop-trigger range, the public tape (with its aggregate id) and the candles. */
function recordPublicTrade(market: Market, taker: EngineOrder, trade: PublicTrade): void {
  const { price } = trade;
  market.lastPrice = price;
  if (market.tradeLow === undefined || price < market.tradeLow) market.tradeLow = price;
  if (market.tradeHigh === undefined || price > market.tradeHigh) market.tradeHigh = price;
  const previous = market.trades[market.trades.length - 1];
  const sameAggregate = previous !== undefined && market.lastAggTaker === taker.seq && previous.price === price;
  trade.aggId = sameAggregate ? previous.aggId : market.nextAggId++;
  market.lastAggTaker = taker.seq;
  market.trades.push(trade);
  market.candles.add(trade);
  if (market.trades.length > PUBLIC_TRADES_KEPT) market.trades.splice(0, market.trades.length - PUBLIC_TRADES_KEPT);
}
