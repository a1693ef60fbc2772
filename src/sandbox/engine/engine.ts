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
import type { EngineCommand } from './commands';
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
import type { EngineState, MarketState } from './state';
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
  /** Called with each command the engine accepted, after it took effect (the durable store's journal). */
  onCommand?: (command: EngineCommand) => void;
}

export class Engine {
  private readonly markets = new Map<string, Market>();
  private readonly ctx: EngineContext;
  private readonly clock: () => number;
  /** The time of the command running now: every part of one command sees the same instant, as a replay does. */
  private commandTime: number | undefined;
  private readonly now = (): number => this.commandTime ?? this.clock();
  private readonly retention: Retention;
  private onCommand: ((command: EngineCommand) => void) | undefined;

  constructor(symbols: SymbolConfig[], options: EngineOptions = {}) {
    this.clock = options.now ?? Date.now;
    this.onCommand = options.onCommand;
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
    this.ctx.history.addAccount(ledger.feeAccount.id);
  }

  /** Receives every commission, so the sum of each asset over all accounts never changes. */
  get feeAccount(): Account {
    return this.ctx.ledger.feeAccount;
  }

  /** Sets (or with undefined removes) the listener of accepted commands; see EngineOptions.onCommand. */
  setCommandListener(listener: ((command: EngineCommand) => void) | undefined): void {
    this.onCommand = listener;
  }

  // ---- snapshots and replay -------------------------------------------------------------------

  /** The whole engine as one object graph of its live structures (see state.ts); serialize it at once. */
  state(): EngineState {
    const { ctx } = this;
    return {
      counters: { seq: ctx.counters.seq, updates: ctx.counters.updates },
      ledger: ctx.ledger.state(),
      history: ctx.history.state(),
      lists: ctx.lists.state(),
      markets: [...this.markets.values()].map((m) => ({
        config: m.config,
        lastPrice: m.lastPrice,
        trades: m.trades,
        book: m.book.state(),
        nextOrderId: m.nextOrderId,
        nextTradeId: m.nextTradeId,
        nextAggId: m.nextAggId,
        lastAggTaker: m.lastAggTaker,
        forgottenUpTo: m.forgottenUpTo,
        candles: m.candles.state(),
        stops: m.stops,
        tradeLow: m.tradeLow,
        tradeHigh: m.tradeHigh,
      })),
    };
  }

  /**
   * Becomes the engine of a snapshot (a deserialized copy: it is taken over, not copied), keeping
   * its options and its listeners. Symbols come from the snapshot.
   */
  restore(state: EngineState): void {
    const { ctx } = this;
    ctx.counters.seq = state.counters.seq;
    ctx.counters.updates = state.counters.updates;
    ctx.ledger.restore(state.ledger);
    ctx.history.restore(state.history);
    ctx.lists.restore(state.lists);
    this.markets.clear();
    for (const saved of state.markets) this.markets.set(saved.config.symbol, this.restoredMarket(saved));
  }

  /** Does an accepted command again, at the time it first ran (a journal's replay). */
  apply(command: EngineCommand): void {
    this.commandTime = command.time;
    try {
      switch (command.kind) {
        case 'createAccount':
          this.createAccount(command.name, command.balances);
          return;
        case 'deposit':
          this.deposit(command.accountId, command.asset, command.amount);
          return;
        case 'placeOrder':
          this.placeOrder(command.accountId, command.input);
          return;
        case 'placeOco':
          this.placeOco(command.accountId, command.input);
          return;
        case 'cancelOrder':
          this.cancelOrder(command.accountId, command.symbol, command.ref);
          return;
        case 'cancelOrderList':
          this.cancelOrderList(command.accountId, command.symbol, command.ref);
          return;
        case 'cancelAll':
          this.cancelAll(command.accountId, command.symbol);
          return;
      }
    } finally {
      this.commandTime = undefined;
    }
  }

  /**
   * Runs one mutating command at one instant; once it succeeded, tells the command listener what
   * it did (`describe` fills in what the engine chose, such as generated client order ids).
   */
  private command<T>(run: (time: number) => T, describe: (result: T, time: number) => EngineCommand): T {
    const outer = this.commandTime;
    const time = this.now();
    this.commandTime = time;
    try {
      const result = run(time);
      // A replay (apply) does not journal what it replays.
      if (outer === undefined) this.onCommand?.(describe(result, time));
      return result;
    } finally {
      this.commandTime = outer;
    }
  }

  private restoredMarket(saved: MarketState): Market {
    const market = createMarket(saved.config, this.retention.candles);
    market.book.restore(saved.book);
    market.candles.restore(saved.candles);
    market.trades.push(...saved.trades);
    for (const stop of saved.stops) market.stops.add(stop);
    market.lastPrice = saved.lastPrice;
    market.nextOrderId = saved.nextOrderId;
    market.nextTradeId = saved.nextTradeId;
    market.nextAggId = saved.nextAggId;
    market.lastAggTaker = saved.lastAggTaker;
    market.forgottenUpTo = saved.forgottenUpTo;
    market.tradeLow = saved.tradeLow;
    market.tradeHigh = saved.tradeHigh;
    return market;
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
    return this.command(
      () => {
        const account = this.ctx.ledger.create(name, balances);
        this.ctx.history.addAccount(account.id);
        return account;
      },
      (_, time) => ({ kind: 'createAccount', time, name, balances: { ...balances } }),
    );
  }

  account(id: number): Account {
    return this.ctx.ledger.account(id);
  }

  allAccounts(): Account[] {
    return this.ctx.ledger.all();
  }

  /** Adds (or with a negative amount removes, if free allows) a balance; emits balanceUpdate. */
  deposit(accountId: number, asset: string, amount: Dec): void {
    this.command(
      (time) => {
        const account = this.account(accountId);
        this.ctx.ledger.credit(account, asset, amount);
        account.updateTime = time;
        this.ctx.hub.emit([
          { kind: 'balanceUpdate', accountId, asset, delta: amount, time },
          { kind: 'balances', accountId, assets: [asset], time },
        ]);
      },
      (_, time) => ({ kind: 'deposit', time, accountId, asset, amount }),
    );
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
    return this.command(
      () => this.placeOrderNow(accountId, input),
      (result, time) => ({
        kind: 'placeOrder',
        time,
        accountId,
        input: { ...input, newClientOrderId: result.order.clientOrderId },
      }),
    );
  }

  private placeOrderNow(accountId: number, input: NewOrderInput): PlaceResult {
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
    ctx.ledger.requireFree(account, lockAsset, lock);

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
    return this.command(
      () => placeList(this.ctx, market, account, input, legs, this.now),
      ({ list, orders: [below, above] }, time) => ({
        kind: 'placeOco',
        time,
        accountId,
        input: {
          ...input,
          listClientOrderId: list.listClientOrderId,
          below: { ...input.below, newClientOrderId: below.clientOrderId },
          above: { ...input.above, newClientOrderId: above.clientOrderId },
        },
      }),
    );
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
    return this.command(
      (time) => {
        this.cancelResting(market, leg, time);
        return list;
      },
      (_, time) => ({ kind: 'cancelOrderList', time, accountId, symbol, ref: { ...ref } }),
    );
  }

  cancelOrder(accountId: number, symbol: string, ref: OrderRef): EngineOrder {
    const market = this.market(symbol);
    const order = this.findOrder(accountId, market, ref);
    if (!order || !order.onBook) throw Errors.unknownOrder();
    return this.command(
      (time) => {
        this.cancelResting(market, order, time);
        return order;
      },
      (_, time) => ({ kind: 'cancelOrder', time, accountId, symbol, ref: { ...ref } }),
    );
  }

  cancelAll(accountId: number, symbol: string): EngineOrder[] {
    const market = this.market(symbol);
    const open = this.openOrders(accountId, symbol);
    return this.command(
      (time) => {
        for (const order of open) if (order.onBook) this.cancelResting(market, order, time);
        return open;
      },
      (_, time) => ({ kind: 'cancelAll', time, accountId, symbol }),
    );
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
