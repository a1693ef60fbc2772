/**
 * The sandbox matching engine: accounts, order books, price-time priority matching, filters,
 * balance locking and commissions. Pure and synchronous (no I/O, no timers), so every public
 * method is atomic: a balance check and the mutation it guards can never interleave with another
 * request. Money is exact (decimal.ts); balances are conserved, commissions go to the fee account.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_COMMISSION, SymbolConfig } from './config';
import { ceilToStep, Dec, dec, div, floorToStep, min, mul, unit, ZERO } from './decimal';
import { ApiError, Errors } from './errors';
import { checkFilters, checkStopFilters, FilterRules, filterRules } from './filters';
import { Candle, CandleStore, CandleTrade, KlineInterval } from './klines';

export type Side = 'BUY' | 'SELL';
export type StopOrderType = 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
export type EngineOrderType = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER' | StopOrderType;

export function isStopType(type: EngineOrderType): type is StopOrderType {
  return type === 'STOP_LOSS' || type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT' || type === 'TAKE_PROFIT_LIMIT';
}

/** Types that execute as a MARKET order (once triggered, for the stop types). */
function isMarketLike(type: EngineOrderType): boolean {
  return type === 'MARKET' || type === 'STOP_LOSS' || type === 'TAKE_PROFIT';
}

/**
 * Reference §5.3: "Price above market price: STOP_LOSS BUY, TAKE_PROFIT SELL"; "below: STOP_LOSS
 * SELL, TAKE_PROFIT BUY". The first trigger when a trade prints at or above the stop price, the
 * others at or below it.
 */
function triggersAbove(order: { type: EngineOrderType; side: Side }): boolean {
  const stopLoss = order.type === 'STOP_LOSS' || order.type === 'STOP_LOSS_LIMIT';
  return stopLoss === (order.side === 'BUY');
}
export type Tif = 'GTC' | 'IOC' | 'FOK';
export type EngineStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';
export type ExecType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED';

export interface EngineOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  accountId: number;
  side: Side;
  type: EngineOrderType;
  timeInForce: Tif;
  /** 0 for MARKET, STOP_LOSS and TAKE_PROFIT. */
  price: Dec;
  /** 0 for the non-stop types. */
  stopPrice: Dec;
  /** False for a stop order that has not triggered yet (`isWorking`; its workingTime is -1). */
  working: boolean;
  /** -1, or the order list (OCO) this order is a leg of. */
  orderListId: number;
  origQty: Dec;
  origQuoteOrderQty: Dec;
  executedQty: Dec;
  cumQuote: Dec;
  status: EngineStatus;
  time: number;
  updateTime: number;
  workingTime: number;
  /** Amount of the lock asset (quote for BUY, base for SELL) still locked for this order. */
  locked: Dec;
  /** Global arrival sequence, for time priority. */
  seq: number;
  onBook: boolean;
}

export interface EngineFill {
  price: Dec;
  qty: Dec;
  quoteQty: Dec;
  commission: Dec;
  commissionAsset: string;
  tradeId: number;
}

export interface EngineTrade {
  symbol: string;
  id: number;
  orderId: number;
  accountId: number;
  price: Dec;
  qty: Dec;
  quoteQty: Dec;
  commission: Dec;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export type EngineEvent =
  | {
      kind: 'execution';
      accountId: number;
      order: EngineOrder;
      execType: ExecType;
      lastQty: Dec;
      lastPrice: Dec;
      lastQuoteQty: Dec;
      commission: Dec;
      commissionAsset: string | null;
      tradeId: number;
      isMaker: boolean;
      time: number;
      origClientOrderId?: string;
    }
  | { kind: 'balances'; accountId: number; assets: string[]; time: number }
  | { kind: 'listStatus'; accountId: number; list: OrderList; time: number }
  | { kind: 'balanceUpdate'; accountId: number; asset: string; delta: Dec; time: number };

export interface BalanceEntry {
  free: Dec;
  locked: Dec;
}

export interface Account {
  readonly id: number;
  readonly name: string;
  readonly balances: Map<string, BalanceEntry>;
  maker: Dec;
  taker: Dec;
  updateTime: number;
}

export interface NewOrderInput {
  symbol: string;
  side: Side;
  type: EngineOrderType;
  timeInForce?: Tif;
  quantity?: Dec;
  quoteOrderQty?: Dec;
  price?: Dec;
  stopPrice?: Dec;
  newClientOrderId?: string;
}

/** An OCO order list (the only contingency type served). */
export interface OrderList {
  orderListId: number;
  listClientOrderId: string;
  symbol: string;
  accountId: number;
  contingencyType: 'OCO';
  listStatusType: 'EXEC_STARTED' | 'ALL_DONE';
  listOrderStatus: 'EXECUTING' | 'ALL_DONE';
  transactionTime: number;
  /** The two legs: [below, above] in order of their order ids. */
  orders: EngineOrder[];
}

export interface OcoInput {
  symbol: string;
  side: Side;
  quantity: Dec;
  listClientOrderId?: string;
  above: Omit<NewOrderInput, 'symbol' | 'side' | 'quantity'>;
  below: Omit<NewOrderInput, 'symbol' | 'side' | 'quantity'>;
}

export interface PlaceResult {
  order: EngineOrder;
  fills: EngineFill[];
}

export interface OrderRef {
  orderId?: number;
  origClientOrderId?: string;
}

interface Market {
  config: SymbolConfig;
  rules: FilterRules;
  lastPrice: Dec;
  /** Recent public trades, oldest first, at most PUBLIC_TRADES_KEPT. */
  trades: PublicTrade[];
  /** Best first: bids by price desc, asks by price asc; ties by arrival. */
  bids: EngineOrder[];
  asks: EngineOrder[];
  nextOrderId: number;
  nextTradeId: number;
  nextAggId: number;
  /** Taker order (seq) of the last aggregate, to extend it with the next fill at the same price. */
  lastAggTaker: number;
  orders: Map<number, EngineOrder>;
  /** Klines from this symbol's trades, bounded per interval. */
  candles: CandleStore;
  /** Stop orders waiting for their trigger, in arrival order. */
  stops: EngineOrder[];
  /** Lowest and highest trade price since the stop orders were last checked. */
  tradeLow?: Dec;
  tradeHigh?: Dec;
}

/** Public market changes, for the market streams: a trade, or a change of a symbol's book. */
export type MarketEvent = { kind: 'trade'; symbol: string; trade: PublicTrade } | { kind: 'book'; symbol: string };

/** A trade as the public sees it: what candles are built from, plus its aggregate id. */
export interface PublicTrade extends CandleTrade {
  /** Aggregate trade id: consecutive fills of one taker order at one price share it. */
  aggId: number;
}

const PUBLIC_TRADES_KEPT = 1000;

interface MatchStep {
  maker: EngineOrder;
  qty: Dec;
  price: Dec;
  quoteQty: Dec;
}

const AMOUNT_PLACES = 8;
const AMOUNT_UNIT = unit(AMOUNT_PLACES);

export interface EngineOptions {
  now?: () => number;
  commission?: { maker?: string; taker?: string };
}

export class Engine {
  private readonly markets = new Map<string, Market>();
  private readonly accounts = new Map<number, Account>();
  private readonly ordersByAccount = new Map<number, EngineOrder[]>();
  private readonly tradesByAccount = new Map<number, EngineTrade[]>();
  private readonly listeners: ((event: EngineEvent) => void)[] = [];
  private readonly marketListeners: ((event: MarketEvent) => void)[] = [];
  /** Market events of the operation in progress, emitted once it has settled. */
  private pendingMarket: MarketEvent[] = [];
  private nextAccountId = 1;
  private nextOrderListId = 0;
  private readonly lists = new Map<number, OrderList>();
  private seq = 0;
  private updates = 0;
  private readonly now: () => number;
  private readonly defaultMaker: Dec;
  private readonly defaultTaker: Dec;
  /** Receives every commission, so the sum of each asset over all accounts never changes. */
  readonly feeAccount: Account;

  constructor(symbols: SymbolConfig[], options: EngineOptions = {}) {
    this.now = options.now ?? Date.now;
    this.defaultMaker = dec(options.commission?.maker ?? DEFAULT_COMMISSION.maker);
    this.defaultTaker = dec(options.commission?.taker ?? DEFAULT_COMMISSION.taker);
    for (const config of symbols) this.addSymbol(config);
    this.feeAccount = this.createAccount('fees', {});
  }

  addSymbol(config: SymbolConfig): void {
    this.markets.set(config.symbol, {
      config,
      rules: filterRules(config),
      lastPrice: dec(config.price),
      trades: [],
      bids: [],
      asks: [],
      nextOrderId: 1,
      nextTradeId: 1,
      nextAggId: 0,
      lastAggTaker: -1,
      orders: new Map(),
      candles: new CandleStore(),
      stops: [],
    });
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Trades and book changes of every symbol, delivered after the operation that caused them settled. */
  onMarketEvent(listener: (event: MarketEvent) => void): () => void {
    this.marketListeners.push(listener);
    return () => {
      const i = this.marketListeners.indexOf(listener);
      if (i >= 0) this.marketListeners.splice(i, 1);
    };
  }

  // ---- accounts -------------------------------------------------------------------------------

  createAccount(name: string, balances: Record<string, string>): Account {
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
    this.ordersByAccount.set(account.id, []);
    this.tradesByAccount.set(account.id, []);
    return account;
  }

  account(id: number): Account {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`no account ${id}`);
    return account;
  }

  allAccounts(): Account[] {
    return [...this.accounts.values()];
  }

  /** Adds (or with a negative amount removes, if free allows) a balance; emits balanceUpdate. */
  deposit(accountId: number, asset: string, amount: Dec): void {
    const account = this.account(accountId);
    const entry = this.entry(account, asset);
    if (entry.free + amount < ZERO) throw Errors.insufficientBalance();
    entry.free += amount;
    const time = this.now();
    account.updateTime = time;
    this.emit([
      { kind: 'balanceUpdate', accountId, asset, delta: amount, time },
      { kind: 'balances', accountId, assets: [asset], time },
    ]);
  }

  /** Sum of free + locked of every asset over every account (including the fee account). */
  totals(): Map<string, Dec> {
    const totals = new Map<string, Dec>();
    for (const account of this.accounts.values()) {
      for (const [asset, b] of account.balances) totals.set(asset, (totals.get(asset) ?? ZERO) + b.free + b.locked);
    }
    return totals;
  }

  /** Throws if any balance is negative or a locked balance differs from its open orders' locks. */
  checkInvariants(): void {
    for (const account of this.accounts.values()) {
      const expected = new Map<string, Dec>();
      for (const order of this.ordersByAccount.get(account.id) ?? []) {
        if (!order.onBook) continue;
        const market = this.market(order.symbol);
        const asset = order.side === 'BUY' ? market.config.quoteAsset : market.config.baseAsset;
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
    return this.updates;
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
  bookTop(symbol: string): { bidPrice: Dec; bidQty: Dec; askPrice: Dec; askQty: Dec } {
    const { bids, asks } = this.depth(symbol, 1);
    return {
      bidPrice: bids[0]?.[0] ?? ZERO,
      bidQty: bids[0]?.[1] ?? ZERO,
      askPrice: asks[0]?.[0] ?? ZERO,
      askQty: asks[0]?.[1] ?? ZERO,
    };
  }

  /** Aggregated price levels, best first. */
  depth(symbol: string, limit: number): { bids: [Dec, Dec][]; asks: [Dec, Dec][] } {
    const market = this.market(symbol);
    const levels = (orders: EngineOrder[]): [Dec, Dec][] => {
      const out: [Dec, Dec][] = [];
      for (const o of orders) {
        const remaining = o.origQty - o.executedQty;
        const last = out[out.length - 1];
        if (last && last[0] === o.price) last[1] += remaining;
        else {
          if (out.length >= limit) break;
          out.push([o.price, remaining]);
        }
      }
      return out;
    };
    return { bids: levels(market.bids), asks: levels(market.asks) };
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
    const open = (this.ordersByAccount.get(accountId) ?? []).filter(
      (o) => o.onBook && o.symbol === input.symbol,
    ).length;
    if (isStopType(input.type)) {
      const algo = (this.ordersByAccount.get(accountId) ?? []).filter(
        (o) => o.onBook && o.symbol === input.symbol && isStopType(o.type),
      ).length;
      checkStopFilters(market.rules, market.lastPrice, input, open, algo);
    } else checkFilters(market.rules, market.lastPrice, input, open);
    if (input.newClientOrderId !== undefined) {
      const duplicate = (this.ordersByAccount.get(accountId) ?? []).some(
        (o) => o.onBook && o.symbol === input.symbol && o.clientOrderId === input.newClientOrderId,
      );
      if (duplicate) throw Errors.rejected('Duplicate order sent.');
    }
  }

  placeOrder(accountId: number, input: NewOrderInput): PlaceResult {
    this.validateOrder(accountId, input);
    const market = this.market(input.symbol);
    const account = this.account(accountId);
    const { baseAsset, quoteAsset } = market.config;
    const isBuy = input.side === 'BUY';
    const lockAsset = isBuy ? quoteAsset : baseAsset;
    const lockEntry = this.entry(account, lockAsset);
    const time = this.now();

    const order: EngineOrder = {
      symbol: input.symbol,
      orderId: 0,
      clientOrderId: input.newClientOrderId ?? generateClientOrderId(),
      accountId,
      side: input.side,
      type: input.type,
      timeInForce:
        input.type === 'MARKET' ? 'GTC' : input.type === 'LIMIT_MAKER' ? 'GTC' : (input.timeInForce ?? 'GTC'),
      price: isMarketLike(input.type) ? ZERO : (input.price ?? ZERO),
      stopPrice: isStopType(input.type) ? (input.stopPrice ?? ZERO) : ZERO,
      working: !isStopType(input.type),
      orderListId: -1,
      origQty: input.quantity ?? ZERO,
      origQuoteOrderQty: input.quoteOrderQty ?? ZERO,
      executedQty: ZERO,
      cumQuote: ZERO,
      status: 'NEW',
      time,
      updateTime: time,
      workingTime: time,
      locked: ZERO,
      seq: 0,
      onBook: false,
    };

    if (isStopType(order.type)) return this.placeStop(market, account, order);

    // Plan the matches first (no mutation), then check balances, then execute: all synchronous.
    const limitPrice = order.type === 'MARKET' ? undefined : order.price;
    const plan = this.plan(market, order, limitPrice, input.quantity, input.quoteOrderQty);
    const planQty = plan.steps.reduce((s, x) => s + x.qty, ZERO);
    const planQuote = plan.steps.reduce((s, x) => s + x.quoteQty, ZERO);
    // A quoteOrderQty order's quantity is whatever the quote amount buys/sells.
    if (order.type === 'MARKET' && input.quoteOrderQty !== undefined) order.origQty = planQty;

    if (order.type === 'LIMIT_MAKER' && this.wouldCross(market, order)) {
      throw Errors.rejected('Order would immediately match and take.');
    }

    let lock: Dec;
    if (order.type === 'MARKET') {
      if (isBuy) lock = input.quoteOrderQty !== undefined ? input.quoteOrderQty : planQuote;
      else lock = input.quantity !== undefined ? input.quantity : planQty;
    } else {
      lock = isBuy ? ceilToStep(mul(order.price, order.origQty), AMOUNT_UNIT) : order.origQty;
    }
    if (lockEntry.free < lock) throw Errors.insufficientBalance();

    // Accepted: from here on nothing throws.
    order.orderId = market.nextOrderId++;
    order.seq = ++this.seq;
    this.updates++;
    market.orders.set(order.orderId, order);
    this.ordersByAccount.get(accountId)!.push(order);
    lockEntry.free -= lock;
    lockEntry.locked += lock;
    order.locked = lock;
    order.onBook = true; // counts as holding a lock until settled below

    const events: EngineEvent[] = [this.execEvent(order, 'NEW', time)];
    const touched = new Map<number, Set<string>>();
    const touch = (id: number, ...assets: string[]): void => {
      const set = touched.get(id) ?? new Set<string>();
      for (const a of assets) set.add(a);
      touched.set(id, set);
    };
    touch(accountId, lockAsset);

    const fills: EngineFill[] = [];
    this.settle(market, order, plan, planQty, input.quoteOrderQty !== undefined, time, events, touch, fills);
    this.runTriggers(market, time, events, touch);
    order.updateTime = time;
    account.updateTime = time;
    for (const [id, assets] of touched) events.push({ kind: 'balances', accountId: id, assets: [...assets], time });
    this.emit(events);
    this.pendingMarket.push({ kind: 'book', symbol: order.symbol });
    this.flushMarket();
    return { order, fills };
  }

  /** Self-trade expiries, the fills of `plan`, then the order rests or ends (FILLED/EXPIRED) and is released. */
  private settle(
    market: Market,
    order: EngineOrder,
    plan: { steps: MatchStep[]; selfMakers: EngineOrder[]; quoteExhausted: boolean },
    planQty: Dec,
    quoteBased: boolean,
    time: number,
    events: EngineEvent[],
    touch: (id: number, ...assets: string[]) => void,
    fills: EngineFill[],
  ): void {
    const fokFails = order.timeInForce === 'FOK' && !isMarketLike(order.type) && planQty < order.origQty;
    if (!fokFails) {
      for (const self of plan.selfMakers) {
        this.removeFromBook(market, self);
        this.release(self);
        self.status = 'EXPIRED_IN_MATCH';
        self.updateTime = time;
        events.push(this.execEvent(self, 'EXPIRED', time));
        if (self.orderListId >= 0) this.endList(market, self, 'EXPIRED', time, events, touch);
      }
      for (const step of plan.steps) {
        fills.push(this.execute(market, order, step, time, events, touch));
      }
    }

    const remaining = order.origQty - order.executedQty;
    const rests = !isMarketLike(order.type) && order.timeInForce === 'GTC' && remaining > ZERO && !fokFails;
    if (rests) {
      order.status = order.executedQty > ZERO ? 'PARTIALLY_FILLED' : 'NEW';
      this.insertIntoBook(market, order);
    } else {
      const filled = order.type === 'MARKET' && quoteBased ? plan.quoteExhausted : remaining === ZERO;
      order.status = filled && order.executedQty > ZERO ? 'FILLED' : 'EXPIRED';
      this.release(order);
      if (order.status === 'EXPIRED') events.push(this.execEvent(order, 'EXPIRED', time));
    }
  }

  /**
   * A stop order is accepted without touching the book: it is rejected when its stop is already
   * crossed by the last price ("Order would trigger immediately.", -2010), otherwise it locks its
   * balance at once, as the real exchange does (SELL: the quantity; BUY _LIMIT: price × quantity;
   * BUY STOP_LOSS/TAKE_PROFIT: stop price × quantity — the reference is silent on the market
   * kinds, and a trigger tops the lock up from the free balance if the book has moved past it).
   */
  private placeStop(market: Market, account: Account, order: EngineOrder): PlaceResult {
    const last = market.lastPrice;
    if (this.stopDue(order, last, last)) throw Errors.rejected('Order would trigger immediately.');
    const isBuy = order.side === 'BUY';
    const lockAsset = isBuy ? market.config.quoteAsset : market.config.baseAsset;
    const lockEntry = this.entry(account, lockAsset);
    const lockPrice = isMarketLike(order.type) ? order.stopPrice : order.price;
    const lock = isBuy ? ceilToStep(mul(lockPrice, order.origQty), AMOUNT_UNIT) : order.origQty;
    if (lockEntry.free < lock) throw Errors.insufficientBalance();

    const time = order.time;
    order.orderId = market.nextOrderId++;
    order.seq = ++this.seq;
    order.workingTime = -1;
    this.updates++;
    market.orders.set(order.orderId, order);
    market.stops.push(order);
    this.ordersByAccount.get(account.id)!.push(order);
    lockEntry.free -= lock;
    lockEntry.locked += lock;
    order.locked = lock;
    order.onBook = true; // open and holding its lock, though not in bids/asks until it triggers
    account.updateTime = time;
    this.emit([
      this.execEvent(order, 'NEW', time),
      { kind: 'balances', accountId: account.id, assets: [lockAsset], time },
    ]);
    return { order, fills: [] };
  }

  private stopDue(order: EngineOrder, low: Dec, high: Dec): boolean {
    return triggersAbove(order) ? high >= order.stopPrice : low <= order.stopPrice;
  }

  /**
   * Triggers every waiting stop whose price the trades of this operation reached (their lowest and
   * highest price, so a sweep that passes a stop triggers it even if it ends elsewhere), oldest
   * first; their own trades can trigger more, so this repeats until nothing is due.
   */
  private runTriggers(
    market: Market,
    time: number,
    events: EngineEvent[],
    touch: (id: number, ...assets: string[]) => void,
  ): void {
    for (;;) {
      const { tradeLow: low, tradeHigh: high } = market;
      market.tradeLow = undefined;
      market.tradeHigh = undefined;
      if (low === undefined || high === undefined) return;
      const due = market.stops.filter((o) => this.stopDue(o, low, high));
      if (due.length === 0) return;
      // A leg of an OCO can have been expired by its sibling's trigger in this same round.
      for (const order of due) if (order.onBook && !order.working) this.trigger(market, order, time, events, touch);
    }
  }

  /**
   * The stop becomes a working MARKET / LIMIT order (type, ids and lock unchanged). Like the real
   * user data stream, it reports NEW again, now with isWorking true and its workingTime (the
   * reference is silent; this follows the public docs' executionReport), then its trades.
   */
  private trigger(
    market: Market,
    order: EngineOrder,
    time: number,
    events: EngineEvent[],
    touch: (id: number, ...assets: string[]) => void,
  ): void {
    market.stops.splice(market.stops.indexOf(order), 1);
    order.working = true;
    order.workingTime = time;
    order.updateTime = time;
    order.seq = ++this.seq; // time priority from the moment it works
    this.updates++;
    events.push(this.execEvent(order, 'NEW', time));
    if (order.orderListId >= 0) this.endList(market, order, 'EXPIRED', time, events, touch);
    const marketLike = isMarketLike(order.type);
    let plan = this.plan(market, order, marketLike ? undefined : order.price, order.origQty, undefined);
    if (marketLike && order.side === 'BUY') {
      const cost = plan.steps.reduce((sum, x) => sum + x.quoteQty, ZERO);
      const entry = this.entry(this.account(order.accountId), market.config.quoteAsset);
      if (cost > order.locked) {
        const extra = cost - order.locked;
        if (entry.free >= extra) {
          entry.free -= extra;
          entry.locked += extra;
          order.locked += extra;
        } else {
          // Not enough to buy the whole quantity at these prices: buy what the lock pays for.
          plan = this.plan(market, order, undefined, undefined, order.locked);
        }
      }
    }
    const planQty = plan.steps.reduce((sum, x) => sum + x.qty, ZERO);
    this.settle(market, order, plan, planQty, false, time, events, touch, []);
    touch(order.accountId, order.side === 'BUY' ? market.config.quoteAsset : market.config.baseAsset);
    this.pendingMarket.push({ kind: 'book', symbol: market.config.symbol });
  }

  /**
   * An OCO (POST /api/v3/orderList/oco): two legs of one side and quantity, one above and one
   * below the last price (reference §5.3 price rules), sharing one balance lock (SELL: the
   * quantity; BUY: what the dearer leg needs). A LIMIT_MAKER leg rests in the book and holds the
   * lock; otherwise the first leg does. When one leg trades or triggers, the other expires and the
   * lock moves to the working leg; canceling either leg cancels both.
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
    const last = market.lastPrice;
    const level = (leg: NewOrderInput): Dec => (isStopType(leg.type) ? (leg.stopPrice ?? ZERO) : (leg.price ?? ZERO));
    // The public docs' message for legs on the wrong side of the market (reference is silent on the code).
    if (!(level(legs[0]) < last && level(legs[1]) > last))
      throw new ApiError(-1013, 'The relationship of the prices for the orders is not correct.');
    if (
      input.listClientOrderId !== undefined &&
      [...this.lists.values()].some(
        (l) =>
          l.accountId === accountId &&
          l.listOrderStatus !== 'ALL_DONE' &&
          l.listClientOrderId === input.listClientOrderId,
      )
    ) {
      throw Errors.rejected('Duplicate order sent.');
    }
    const time = this.now();
    const orders: EngineOrder[] = legs.map((leg) => ({
      symbol: input.symbol,
      orderId: 0,
      clientOrderId: leg.newClientOrderId ?? generateClientOrderId(),
      accountId,
      side: input.side,
      type: leg.type,
      timeInForce:
        leg.type === 'STOP_LOSS_LIMIT' || leg.type === 'TAKE_PROFIT_LIMIT' ? (leg.timeInForce ?? 'GTC') : 'GTC',
      price: isMarketLike(leg.type) ? ZERO : (leg.price ?? ZERO),
      stopPrice: isStopType(leg.type) ? (leg.stopPrice ?? ZERO) : ZERO,
      working: !isStopType(leg.type),
      orderListId: -1,
      origQty: input.quantity,
      origQuoteOrderQty: ZERO,
      executedQty: ZERO,
      cumQuote: ZERO,
      status: 'NEW',
      time,
      updateTime: time,
      workingTime: isStopType(leg.type) ? -1 : time,
      locked: ZERO,
      seq: 0,
      onBook: false,
    }));
    for (const order of orders) {
      if (order.type === 'LIMIT_MAKER' && this.wouldCross(market, order))
        throw Errors.rejected('Order would immediately match and take.');
      if (isStopType(order.type) && this.stopDue(order, last, last))
        throw Errors.rejected('Order would trigger immediately.');
    }
    const isBuy = input.side === 'BUY';
    const need = (o: EngineOrder): Dec =>
      isBuy ? ceilToStep(mul(isMarketLike(o.type) ? o.stopPrice : o.price, o.origQty), AMOUNT_UNIT) : o.origQty;
    const lock = orders.map(need).reduce((a, b) => (a > b ? a : b));
    const lockAsset = isBuy ? market.config.quoteAsset : market.config.baseAsset;
    const lockEntry = this.entry(account, lockAsset);
    if (lockEntry.free < lock) throw Errors.insufficientBalance();

    // Accepted.
    const list: OrderList = {
      orderListId: this.nextOrderListId++,
      listClientOrderId: input.listClientOrderId ?? generateClientOrderId(),
      symbol: input.symbol,
      accountId,
      contingencyType: 'OCO',
      listStatusType: 'EXEC_STARTED',
      listOrderStatus: 'EXECUTING',
      transactionTime: time,
      orders,
    };
    this.lists.set(list.orderListId, list);
    const holder = orders.find((o) => o.type === 'LIMIT_MAKER') ?? orders[0];
    lockEntry.free -= lock;
    lockEntry.locked += lock;
    const events: EngineEvent[] = [];
    for (const order of orders) {
      order.orderId = market.nextOrderId++;
      order.seq = ++this.seq;
      order.orderListId = list.orderListId;
      order.onBook = true;
      order.locked = order === holder ? lock : ZERO;
      market.orders.set(order.orderId, order);
      this.ordersByAccount.get(accountId)!.push(order);
      if (order.working) this.insertIntoBook(market, order);
      else market.stops.push(order);
      events.push(this.execEvent(order, 'NEW', time));
    }
    this.updates++;
    account.updateTime = time;
    events.push({ kind: 'listStatus', accountId, list: this.listSnapshot(list), time });
    events.push({ kind: 'balances', accountId, assets: [lockAsset], time });
    this.emit(events);
    this.pendingMarket.push({ kind: 'book', symbol: input.symbol });
    this.flushMarket();
    return { list, orders };
  }

  /**
   * `leg` traded, triggered, expired or was canceled: the other leg ends too (`status`: EXPIRED
   * when a leg executes, as the real exchange reports it; CANCELED on a cancel request), its lock
   * moves to `leg` if `leg` still works, and the list is ALL_DONE.
   */
  private endList(
    market: Market,
    leg: EngineOrder,
    status: 'EXPIRED' | 'CANCELED',
    time: number,
    events: EngineEvent[],
    touch: (id: number, ...assets: string[]) => void,
  ): void {
    const list = this.lists.get(leg.orderListId);
    if (!list || list.listOrderStatus === 'ALL_DONE') return;
    const asset = leg.side === 'BUY' ? market.config.quoteAsset : market.config.baseAsset;
    for (const other of list.orders) {
      if (other === leg || !other.onBook) continue;
      if (leg.onBook && status === 'EXPIRED') {
        leg.locked += other.locked; // stays locked in the account, now for the working leg
        other.locked = ZERO;
      }
      this.removeFromBook(market, other);
      this.release(other);
      other.status = status;
      other.updateTime = time;
      events.push(this.execEvent(other, status, time));
    }
    list.listStatusType = 'ALL_DONE';
    list.listOrderStatus = 'ALL_DONE';
    list.transactionTime = time;
    touch(leg.accountId, asset);
    events.push({ kind: 'listStatus', accountId: leg.accountId, list: this.listSnapshot(list), time });
    this.pendingMarket.push({ kind: 'book', symbol: market.config.symbol });
  }

  private listSnapshot(list: OrderList): OrderList {
    return { ...list, orders: list.orders.map((o) => ({ ...o })) };
  }

  orderList(accountId: number, ref: { orderListId?: number; listClientOrderId?: string }): OrderList | undefined {
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

  openOrderLists(accountId: number): OrderList[] {
    return [...this.lists.values()].filter((l) => l.accountId === accountId && l.listOrderStatus !== 'ALL_DONE');
  }

  /** Cancels an open list (both legs CANCELED); -2011 if it is not open. */
  cancelOrderList(
    accountId: number,
    symbol: string,
    ref: { orderListId?: number; listClientOrderId?: string },
  ): OrderList {
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

  getOrder(accountId: number, symbol: string, ref: OrderRef): EngineOrder {
    const order = this.findOrder(accountId, this.market(symbol), ref);
    if (!order) throw Errors.noSuchOrder();
    return order;
  }

  findOrderOrUndefined(accountId: number, symbol: string, ref: OrderRef): EngineOrder | undefined {
    return this.findOrder(accountId, this.market(symbol), ref);
  }

  openOrders(accountId: number, symbol?: string): EngineOrder[] {
    return (this.ordersByAccount.get(accountId) ?? []).filter(
      (o) => o.onBook && (symbol === undefined || o.symbol === symbol),
    );
  }

  allOrders(accountId: number, symbol: string): EngineOrder[] {
    return (this.ordersByAccount.get(accountId) ?? []).filter((o) => o.symbol === symbol);
  }

  myTrades(accountId: number, symbol: string): EngineTrade[] {
    return (this.tradesByAccount.get(accountId) ?? []).filter((t) => t.symbol === symbol);
  }

  // ---- internals ------------------------------------------------------------------------------

  private market(symbol: string): Market {
    const market = this.markets.get(symbol);
    if (!market) throw Errors.invalidSymbol();
    return market;
  }

  private entry(account: Account, asset: string): BalanceEntry {
    let entry = account.balances.get(asset);
    if (!entry) {
      entry = { free: ZERO, locked: ZERO };
      account.balances.set(asset, entry);
    }
    return entry;
  }

  private wouldCross(market: Market, order: EngineOrder): boolean {
    const best = order.side === 'BUY' ? market.asks[0] : market.bids[0];
    if (!best) return false;
    return order.side === 'BUY' ? best.price <= order.price : best.price >= order.price;
  }

  /** Walks the opposite side in priority order without changing anything. */
  private plan(
    market: Market,
    taker: EngineOrder,
    limitPrice: Dec | undefined,
    qtyLimit: Dec | undefined,
    quoteLimit: Dec | undefined,
  ): { steps: MatchStep[]; selfMakers: EngineOrder[]; quoteExhausted: boolean } {
    const book = taker.side === 'BUY' ? market.asks : market.bids;
    const steps: MatchStep[] = [];
    const selfMakers: EngineOrder[] = [];
    let remainingQty = qtyLimit;
    let remainingQuote = quoteLimit;
    let quoteExhausted = false;
    const lists = new Set<number>();
    for (const maker of book) {
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

  private execute(
    market: Market,
    taker: EngineOrder,
    step: MatchStep,
    time: number,
    events: EngineEvent[],
    touch: (id: number, ...assets: string[]) => void,
  ): EngineFill {
    const { baseAsset, quoteAsset } = market.config;
    const { maker, qty, price, quoteQty } = step;
    const buyer = taker.side === 'BUY' ? taker : maker;
    const seller = taker.side === 'BUY' ? maker : taker;
    const buyerAccount = this.account(buyer.accountId);
    const sellerAccount = this.account(seller.accountId);
    const buyerRate = buyer === taker ? buyerAccount.taker : buyerAccount.maker;
    const sellerRate = seller === taker ? sellerAccount.taker : sellerAccount.maker;
    const buyerCommission = floorToStep(mul(qty, buyerRate), AMOUNT_UNIT);
    const sellerCommission = floorToStep(mul(quoteQty, sellerRate), AMOUNT_UNIT);

    // Buyer pays quote out of its lock, receives base minus commission.
    this.entry(buyerAccount, quoteAsset).locked -= quoteQty;
    buyer.locked -= quoteQty;
    this.entry(buyerAccount, baseAsset).free += qty - buyerCommission;
    // Seller pays base out of its lock, receives quote minus commission.
    this.entry(sellerAccount, baseAsset).locked -= qty;
    seller.locked -= qty;
    this.entry(sellerAccount, quoteAsset).free += quoteQty - sellerCommission;
    // Commissions to the fee account: the total of every asset is unchanged.
    this.entry(this.feeAccount, baseAsset).free += buyerCommission;
    this.entry(this.feeAccount, quoteAsset).free += sellerCommission;
    touch(buyer.accountId, baseAsset, quoteAsset);
    touch(seller.accountId, baseAsset, quoteAsset);
    touch(this.feeAccount.id, baseAsset, quoteAsset);
    buyerAccount.updateTime = time;
    sellerAccount.updateTime = time;

    const tradeId = market.nextTradeId++;
    this.updates++;
    for (const order of [taker, maker]) {
      order.executedQty += qty;
      order.cumQuote += quoteQty;
      order.updateTime = time;
    }
    maker.status = maker.executedQty === maker.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    if (maker.status === 'FILLED') {
      this.removeFromBook(market, maker);
      this.release(maker);
    }
    if (maker.orderListId >= 0) this.endList(market, maker, 'EXPIRED', time, events, touch);
    taker.status = 'PARTIALLY_FILLED';
    market.lastPrice = price;
    if (market.tradeLow === undefined || price < market.tradeLow) market.tradeLow = price;
    if (market.tradeHigh === undefined || price > market.tradeHigh) market.tradeHigh = price;
    const previous = market.trades[market.trades.length - 1];
    const sameAggregate = previous !== undefined && market.lastAggTaker === taker.seq && previous.price === price;
    const aggId = sameAggregate ? previous.aggId : market.nextAggId++;
    market.lastAggTaker = taker.seq;
    const publicTrade: PublicTrade = { id: tradeId, price, qty, quoteQty, time, isBuyerMaker: maker === buyer, aggId };
    market.trades.push(publicTrade);
    market.candles.add(publicTrade);
    this.pendingMarket.push({ kind: 'trade', symbol: market.config.symbol, trade: publicTrade });
    if (market.trades.length > PUBLIC_TRADES_KEPT) market.trades.splice(0, market.trades.length - PUBLIC_TRADES_KEPT);

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
      this.tradesByAccount.get(order.accountId)!.push(trade);
      return trade;
    };
    const takerTrade = record(taker, false);
    const makerTrade = record(maker, true);
    if (taker.executedQty === taker.origQty && taker.origQty > ZERO) taker.status = 'FILLED';
    events.push(this.tradeEvent(taker, takerTrade, time));
    events.push(this.tradeEvent(maker, makerTrade, time));
    return {
      price,
      qty,
      quoteQty,
      commission: takerTrade.commission,
      commissionAsset: takerTrade.commissionAsset,
      tradeId,
    };
  }

  /** Returns whatever the order still has locked to free and takes it off the book bookkeeping. */
  private release(order: EngineOrder): void {
    const market = this.market(order.symbol);
    const asset = order.side === 'BUY' ? market.config.quoteAsset : market.config.baseAsset;
    const entry = this.entry(this.account(order.accountId), asset);
    entry.locked -= order.locked;
    entry.free += order.locked;
    order.locked = ZERO;
    order.onBook = false;
  }

  private cancelResting(market: Market, order: EngineOrder, time: number): void {
    if (order.orderListId >= 0) {
      // Canceling one leg cancels the whole order list (public docs).
      const events: EngineEvent[] = [];
      const touched = new Set<string>();
      this.updates++;
      this.removeFromBook(market, order);
      this.release(order);
      order.status = 'CANCELED';
      order.updateTime = time;
      events.push(this.execEvent(order, 'CANCELED', time));
      this.endList(market, order, 'CANCELED', time, events, (_id, ...assets) => assets.forEach((a) => touched.add(a)));
      const asset = order.side === 'BUY' ? market.config.quoteAsset : market.config.baseAsset;
      this.account(order.accountId).updateTime = time;
      events.push({ kind: 'balances', accountId: order.accountId, assets: [asset], time });
      this.emit(events);
      this.pendingMarket.push({ kind: 'book', symbol: market.config.symbol });
      this.flushMarket();
      return;
    }
    this.updates++;
    this.removeFromBook(market, order);
    this.release(order);
    order.status = 'CANCELED';
    order.updateTime = time;
    const account = this.account(order.accountId);
    account.updateTime = time;
    const asset = order.side === 'BUY' ? market.config.quoteAsset : market.config.baseAsset;
    this.emit([
      this.execEvent(order, 'CANCELED', time),
      { kind: 'balances', accountId: order.accountId, assets: [asset], time },
    ]);
    this.pendingMarket.push({ kind: 'book', symbol: market.config.symbol });
    this.flushMarket();
  }

  private flushMarket(): void {
    const events = this.pendingMarket;
    this.pendingMarket = [];
    for (const event of events) {
      for (const listener of [...this.marketListeners]) {
        try {
          listener(event);
        } catch {
          // A broken stream subscriber must never affect the engine.
        }
      }
    }
  }

  private insertIntoBook(market: Market, order: EngineOrder): void {
    const book = order.side === 'BUY' ? market.bids : market.asks;
    const better = (a: EngineOrder, b: EngineOrder): boolean =>
      a.price === b.price ? a.seq < b.seq : order.side === 'BUY' ? a.price > b.price : a.price < b.price;
    let i = book.length;
    while (i > 0 && better(order, book[i - 1])) i--;
    book.splice(i, 0, order);
  }

  private removeFromBook(market: Market, order: EngineOrder): void {
    if (!order.working) {
      const k = market.stops.indexOf(order);
      if (k >= 0) market.stops.splice(k, 1);
      return;
    }
    const book = order.side === 'BUY' ? market.bids : market.asks;
    const i = book.indexOf(order);
    if (i >= 0) book.splice(i, 1);
  }

  private findOrder(accountId: number, market: Market, ref: OrderRef): EngineOrder | undefined {
    if (ref.orderId !== undefined) {
      const order = market.orders.get(ref.orderId);
      if (!order || order.accountId !== accountId) return undefined;
      if (ref.origClientOrderId !== undefined && order.clientOrderId !== ref.origClientOrderId) {
        throw Errors.clientOrderIdMismatch();
      }
      return order;
    }
    const mine = this.ordersByAccount.get(accountId) ?? [];
    for (let i = mine.length - 1; i >= 0; i--) {
      if (mine[i].symbol === market.config.symbol && mine[i].clientOrderId === ref.origClientOrderId) return mine[i];
    }
    return undefined;
  }

  private execEvent(order: EngineOrder, execType: ExecType, time: number): EngineEvent {
    return {
      kind: 'execution',
      accountId: order.accountId,
      order: { ...order },
      execType,
      lastQty: ZERO,
      lastPrice: ZERO,
      lastQuoteQty: ZERO,
      commission: ZERO,
      commissionAsset: null,
      tradeId: -1,
      isMaker: false,
      time,
    };
  }

  private tradeEvent(order: EngineOrder, trade: EngineTrade, time: number): EngineEvent {
    return {
      kind: 'execution',
      accountId: order.accountId,
      order: { ...order },
      execType: 'TRADE',
      lastQty: trade.qty,
      lastPrice: trade.price,
      lastQuoteQty: trade.quoteQty,
      commission: trade.commission,
      commissionAsset: trade.commissionAsset,
      tradeId: trade.id,
      isMaker: trade.isMaker,
      time,
    };
  }

  private emit(events: EngineEvent[]): void {
    for (const event of events) {
      for (const listener of [...this.listeners]) {
        try {
          listener(event);
        } catch {
          // A broken subscriber must never undo or interrupt a settled trade.
        }
      }
    }
  }
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 22 characters like the ids Binance generates. */
export function generateClientOrderId(): string {
  const bytes = randomBytes(22);
  let id = '';
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}
