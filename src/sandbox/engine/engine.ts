/**
 * The sandbox matching engine: accounts, order books, price-time priority matching, filters,
 * balance locking and commissions. Pure and synchronous (no I/O, no timers), so every public
 * method is atomic: a balance check and the mutation it guards can never interleave with another
 * request. Money is exact (decimal.ts); balances are conserved, commissions go to the fee account.
 *
 * This class is the facade; the work is done by the ledger (ledger.ts), the books and matching
 * (orderBook.ts, matching.ts), stop orders (stopOrders.ts), order lists (orderLists.ts), the order
 * history (orderHistory.ts) and the event hub (events.ts).
 */
import { DEFAULT_COMMISSION, SymbolConfig } from '../config';
import { ceilToStep, Dec, dec, mul, ZERO } from '../decimal';
import { Errors } from '../errors';
import { checkFilters, checkStopFilters } from '../filters';
import { Candle, KlineInterval } from '../klines';
import { EngineContext } from './context';
import { EventHub, execEvent, Operation } from './events';
import { Ledger } from './ledger';
import { createMarket, lockAssetOf, Market, PUBLIC_TRADES_KEPT } from './market';
import { plan, plannedQty, plannedQuote, settle } from './matching';
import { BookTop } from './orderBook';
import { OrderHistory } from './orderHistory';
import { endOpenOrder, placeList } from './orderLists';
import { OrderLists } from './orderListStore';
import { resolveRetention, Retention } from './retention';
import { placeStop, runTriggers } from './stopOrders';
import {
  Account,
  AMOUNT_UNIT,
  EngineEvent,
  EngineFill,
  EngineOrder,
  EngineTrade,
  isStopType,
  MarketEvent,
  newOrder,
  NewOrderInput,
  OcoInput,
  OrderList,
  OrderListRef,
  OrderRef,
  PlaceResult,
  PublicTrade,
} from './types';

export interface EngineOptions {
  now?: () => number;
  commission?: { maker?: string; taker?: string };
  /** How much closed history to keep in memory; defaults in retention.ts. */
  retention?: Partial<Retention>;
  /** Called for each closed order that retention drops from memory (a durable store can keep it). */
  onForget?: (order: EngineOrder) => void;
}

export class Engine {
  private readonly markets = new Map<string, Market>();
  private readonly ctx: EngineContext;
  private readonly now: () => number;
  private readonly retention: Retention;
  /** Receives every commission, so the sum of each asset over all accounts never changes. */
  readonly feeAccount: Account;

  constructor(symbols: SymbolConfig[], options: EngineOptions = {}) {
    this.now = options.now ?? Date.now;
    const ledger = new Ledger(
      dec(options.commission?.maker ?? DEFAULT_COMMISSION.maker),
      dec(options.commission?.taker ?? DEFAULT_COMMISSION.taker),
      this.now,
    );
    this.retention = resolveRetention(options.retention);
    const counters = { seq: 0, updates: 0, visited: 0 };
    const onForget = options.onForget;
    const forget = (order: EngineOrder): void => {
      const market = this.market(order.symbol);
      if (order.orderId > market.forgottenUpTo) market.forgottenUpTo = order.orderId;
      onForget?.(order);
    };
    this.ctx = {
      ledger,
      history: new OrderHistory(this.retention, counters, forget),
      lists: new OrderLists(this.retention.closedOrders),
      hub: new EventHub(),
      counters,
    };
    for (const config of symbols) this.addSymbol(config);
    this.feeAccount = ledger.feeAccount;
    this.ctx.history.addAccount(ledger.feeAccount.id);
  }

  addSymbol(config: SymbolConfig): void {
    this.markets.set(config.symbol, createMarket(config, this.retention.candles));
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.ctx.hub.onEvent(listener);
  }

  /** Trades and book changes of every symbol, delivered after the operation that caused them settled. */
  onMarketEvent(listener: (event: MarketEvent) => void): () => void {
    return this.ctx.hub.onMarketEvent(listener);
  }

  // ---- accounts -------------------------------------------------------------------------------

  createAccount(name: string, balances: Record<string, string>): Account {
    const account = this.ctx.ledger.create(name, balances);
    this.ctx.history.addAccount(account.id);
    return account;
  }

  account(id: number): Account {
    return this.ctx.ledger.account(id);
  }

  allAccounts(): Account[] {
    return this.ctx.ledger.all();
  }

  /** Adds (or with a negative amount removes, if free allows) a balance; emits balanceUpdate. */
  deposit(accountId: number, asset: string, amount: Dec): void {
    const account = this.account(accountId);
    this.ctx.ledger.credit(account, asset, amount);
    const time = this.now();
    account.updateTime = time;
    this.ctx.hub.emit([
      { kind: 'balanceUpdate', accountId, asset, delta: amount, time },
      { kind: 'balances', accountId, assets: [asset], time },
    ]);
  }

  /** Sum of free + locked of every asset over every account (including the fee account). */
  totals(): Map<string, Dec> {
    return this.ctx.ledger.totals();
  }

  /** Throws if any balance is negative or a locked balance differs from its open orders' locks. */
  checkInvariants(): void {
    for (const account of this.ctx.ledger.all()) {
      const expected = new Map<string, Dec>();
      for (const order of this.ctx.history.openOrders(account.id)) {
        const asset = lockAssetOf(this.market(order.symbol), order.side);
        expected.set(asset, (expected.get(asset) ?? ZERO) + order.locked);
      }
      for (const [asset, b] of account.balances) {
        if (b.free < ZERO || b.locked < ZERO) throw new Error(`negative balance ${account.name} ${asset}`);
        if (b.locked !== (expected.get(asset) ?? ZERO))
          throw new Error(`locked mismatch ${account.name} ${asset}: ${b.locked} vs ${expected.get(asset) ?? ZERO}`);
      }
    }
  }

  // ---- market data ----------------------------------------------------------------------------

  hasSymbol(symbol: string): boolean {
    return this.markets.has(symbol);
  }

  symbols(): SymbolConfig[] {
    return [...this.markets.values()].map((m) => m.config);
  }

  symbolConfig(symbol: string): SymbolConfig {
    return this.market(symbol).config;
  }

  /** Increases with every book change (the depth snapshot's lastUpdateId). */
  get updateId(): number {
    return this.ctx.counters.updates;
  }

  /**
   * How many orders and trades the engine has walked through so far (book levels' orders while
   * matching, waiting stops, and the lists queries return): lets tests assert how much work an
   * operation does, whatever the machine's speed.
   */
  get ordersVisited(): number {
    return this.ctx.counters.visited;
  }

  lastPrice(symbol: string): Dec {
    return this.market(symbol).lastPrice;
  }

  /** Recent public trades of a symbol, oldest first (the last `limit`). */
  publicTrades(symbol: string, limit = PUBLIC_TRADES_KEPT): PublicTrade[] {
    return this.market(symbol).trades.slice(-limit);
  }

  /** The most recent public trade of a symbol, if any. */
  lastTrade(symbol: string): PublicTrade | undefined {
    const trades = this.market(symbol).trades;
    return trades[trades.length - 1];
  }

  /** Candles of a symbol, oldest first (bounded; see klines.ts). */
  candles(symbol: string, interval: KlineInterval): readonly Candle[] {
    return this.market(symbol).candles.list(interval);
  }

  /** Best bid and ask with their aggregated quantities (0 when a side is empty). */
  bookTop(symbol: string): BookTop {
    return this.market(symbol).book.top();
  }

  /** Aggregated price levels, best first. */
  depth(symbol: string, limit: number): { bids: [Dec, Dec][]; asks: [Dec, Dec][] } {
    return this.market(symbol).book.depth(limit);
  }

  // ---- orders ---------------------------------------------------------------------------------

  /**
   * Checks everything that does not depend on the book (filters, balances for resting orders are
   * checked in placeOrder). Used by order/test and as the first step of placeOrder.
   */
  validateOrder(accountId: number, input: NewOrderInput): void {
    const market = this.market(input.symbol);
    this.account(accountId);
    if (market.config.status !== 'TRADING') throw Errors.rejected('Market is closed.');
    const { history } = this.ctx;
    const open = history.openCount(accountId, input.symbol);
    if (isStopType(input.type)) {
      const algo = history.openCount(accountId, input.symbol, true);
      checkStopFilters(market.rules, market.lastPrice, input, open, algo);
    } else checkFilters(market.rules, market.lastPrice, input, open);
    if (
      input.newClientOrderId !== undefined &&
      history.hasOpenClientOrderId(accountId, input.symbol, input.newClientOrderId)
    ) {
      throw Errors.rejected('Duplicate order sent.');
    }
  }

  placeOrder(accountId: number, input: NewOrderInput): PlaceResult {
    this.validateOrder(accountId, input);
    const { ctx } = this;
    const market = this.market(input.symbol);
    const account = this.account(accountId);
    const isBuy = input.side === 'BUY';
    const lockAsset = lockAssetOf(market, input.side);
    const time = this.now();
    const order = newOrder(accountId, input, time);

    if (isStopType(order.type)) return placeStop(ctx, market, account, order);

    // Plan the matches first (no mutation), then check balances, then execute: all synchronous.
    const limitPrice = order.type === 'MARKET' ? undefined : order.price;
    const matches = plan(ctx, market, order, limitPrice, input.quantity, input.quoteOrderQty);
    const planQty = plannedQty(matches);
    const planQuote = plannedQuote(matches);
    // A quoteOrderQty order's quantity is whatever the quote amount buys/sells.
    if (order.type === 'MARKET' && input.quoteOrderQty !== undefined) order.origQty = planQty;

    if (order.type === 'LIMIT_MAKER' && market.book.wouldCross(order)) {
      throw Errors.rejected('Order would immediately match and take.');
    }

    let lock: Dec;
    if (order.type === 'MARKET') {
      if (isBuy) lock = input.quoteOrderQty !== undefined ? input.quoteOrderQty : planQuote;
      else lock = input.quantity !== undefined ? input.quantity : planQty;
    } else {
      lock = isBuy ? ceilToStep(mul(order.price, order.origQty), AMOUNT_UNIT) : order.origQty;
    }
    if (ctx.ledger.entry(account, lockAsset).free < lock) throw Errors.insufficientBalance();

    // Accepted: from here on nothing throws.
    order.orderId = market.nextOrderId++;
    order.seq = ++ctx.counters.seq;
    ctx.counters.updates++;
    ctx.history.addOrder(order);
    ctx.ledger.lock(account, lockAsset, lock);
    order.locked = lock;
    order.onBook = true; // counts as holding a lock until settled below

    const op = new Operation(time);
    op.events.push(execEvent(order, 'NEW', time));
    op.touch(accountId, lockAsset);
    const fills: EngineFill[] = [];
    settle(ctx, market, order, matches, planQty, input.quoteOrderQty !== undefined, op, fills);
    runTriggers(ctx, market, op);
    order.updateTime = time;
    account.updateTime = time;
    ctx.hub.emit(op.withBalances());
    ctx.hub.flushMarket(order.symbol);
    return { order, fills };
  }

  /**
   * An OCO (POST /api/v3/orderList/oco); see orderLists.ts. When one leg trades or triggers, the
   * other expires and the lock moves to the working leg; canceling either leg cancels both.
   */
  placeOco(accountId: number, input: OcoInput): { list: OrderList; orders: EngineOrder[] } {
    const market = this.market(input.symbol);
    const account = this.account(accountId);
    const legs = [input.below, input.above].map((leg) => ({
      ...leg,
      symbol: input.symbol,
      side: input.side,
      quantity: input.quantity,
    }));
    for (const leg of legs) this.validateOrder(accountId, leg);
    return placeList(this.ctx, market, account, input, legs, this.now);
  }

  orderList(accountId: number, ref: OrderListRef): OrderList | undefined {
    return this.ctx.lists.find(accountId, ref);
  }

  openOrderLists(accountId: number): OrderList[] {
    return this.ctx.lists.open(accountId);
  }

  /** Cancels an open list (both legs CANCELED); -2011 if it is not open. */
  cancelOrderList(accountId: number, symbol: string, ref: OrderListRef): OrderList {
    const market = this.market(symbol);
    const list = this.orderList(accountId, ref);
    if (!list || list.symbol !== symbol || list.listOrderStatus === 'ALL_DONE') throw Errors.unknownOrderList();
    const leg = list.orders.find((o) => o.onBook)!;
    this.cancelResting(market, leg, this.now());
    return list;
  }

  cancelOrder(accountId: number, symbol: string, ref: OrderRef): EngineOrder {
    const market = this.market(symbol);
    const order = this.findOrder(accountId, market, ref);
    if (!order || !order.onBook) throw Errors.unknownOrder();
    const time = this.now();
    this.cancelResting(market, order, time);
    return order;
  }

  cancelAll(accountId: number, symbol: string): EngineOrder[] {
    const market = this.market(symbol);
    const open = this.openOrders(accountId, symbol);
    const time = this.now();
    for (const order of open) if (order.onBook) this.cancelResting(market, order, time);
    return open;
  }

  /**
   * -2013 for an order that does not exist; -2026 (archived) for an order id retention may have
   * dropped, as Binance answers for orders it no longer serves.
   */
  getOrder(accountId: number, symbol: string, ref: OrderRef): EngineOrder {
    const market = this.market(symbol);
    const order = this.findOrder(accountId, market, ref);
    if (order) return order;
    if (ref.orderId !== undefined && ref.orderId <= market.forgottenUpTo) throw Errors.orderArchived();
    throw Errors.noSuchOrder();
  }

  findOrderOrUndefined(accountId: number, symbol: string, ref: OrderRef): EngineOrder | undefined {
    return this.findOrder(accountId, this.market(symbol), ref);
  }

  openOrders(accountId: number, symbol?: string): EngineOrder[] {
    return this.ctx.history.openOrders(accountId, symbol);
  }

  allOrders(accountId: number, symbol: string): EngineOrder[] {
    return this.ctx.history.allOrders(accountId, symbol);
  }

  myTrades(accountId: number, symbol: string): EngineTrade[] {
    return this.ctx.history.myTrades(accountId, symbol);
  }

  // ---- internals ------------------------------------------------------------------------------

  private market(symbol: string): Market {
    const market = this.markets.get(symbol);
    if (!market) throw Errors.invalidSymbol();
    return market;
  }

  private cancelResting(market: Market, order: EngineOrder, time: number): void {
    const { ctx } = this;
    const op = new Operation(time);
    ctx.counters.updates++;
    endOpenOrder(ctx, market, order, 'CANCELED', op);
    this.account(order.accountId).updateTime = time;
    const asset = lockAssetOf(market, order.side);
    op.events.push({ kind: 'balances', accountId: order.accountId, assets: [asset], time });
    ctx.hub.emit(op.events);
    ctx.hub.flushMarket(market.config.symbol);
  }

  private findOrder(accountId: number, market: Market, ref: OrderRef): EngineOrder | undefined {
    if (ref.orderId !== undefined) {
      const order = this.ctx.history.byOrderId(accountId, market.config.symbol, ref.orderId);
      if (!order) return undefined;
      if (ref.origClientOrderId !== undefined && order.clientOrderId !== ref.origClientOrderId) {
        throw Errors.clientOrderIdMismatch();
      }
      return order;
    }
    return this.ctx.history.byClientOrderId(accountId, market.config.symbol, ref.origClientOrderId);
  }
}
