/** JSON shapes of the real Spot API, built from engine state (decimals as 8-place strings). */
import { SymbolConfig } from './config';
import { dec, fmt, mul, ONE } from './decimal';
import { Account, EngineEvent, EngineFill, EngineOrder, EngineTrade, OrderList } from './engine';

export const STP_MODE = 'EXPIRE_MAKER';

export function orderJson(o: EngineOrder): Record<string, unknown> {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: o.orderListId,
    clientOrderId: o.clientOrderId,
    price: fmt(o.price),
    origQty: fmt(o.origQty),
    executedQty: fmt(o.executedQty),
    cummulativeQuoteQty: fmt(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    stopPrice: fmt(o.stopPrice),
    icebergQty: fmt(0n),
    time: o.time,
    updateTime: o.updateTime,
    isWorking: o.working,
    workingTime: o.workingTime,
    origQuoteOrderQty: fmt(o.origQuoteOrderQty),
    selfTradePreventionMode: STP_MODE,
  };
}

export type RespType = 'ACK' | 'RESULT' | 'FULL';

/**
 * Adds the order fields that new-order (RESULT/FULL) and cancel answers share, in Binance's order,
 * to `out` (assigned one by one: new-order answers are a hot path, and spreads cost there).
 */
function withOrderState(out: Record<string, unknown>, o: EngineOrder): Record<string, unknown> {
  out.price = fmt(o.price);
  out.origQty = fmt(o.origQty);
  out.executedQty = fmt(o.executedQty);
  out.origQuoteOrderQty = fmt(o.origQuoteOrderQty);
  out.cummulativeQuoteQty = fmt(o.cumQuote);
  out.status = o.status;
  out.timeInForce = o.timeInForce;
  out.type = o.type;
  out.side = o.side;
  if (o.stopPrice > 0n) out.stopPrice = fmt(o.stopPrice);
  return out;
}

export function newOrderJson(o: EngineOrder, fills: EngineFill[], respType: RespType): Record<string, unknown> {
  if (respType === 'ACK') {
    return {
      symbol: o.symbol,
      orderId: o.orderId,
      orderListId: o.orderListId,
      clientOrderId: o.clientOrderId,
      transactTime: o.time,
    };
  }
  const result = withOrderState(
    {
      symbol: o.symbol,
      orderId: o.orderId,
      orderListId: o.orderListId,
      clientOrderId: o.clientOrderId,
      transactTime: o.time,
    },
    o,
  );
  result.workingTime = o.workingTime;
  result.selfTradePreventionMode = STP_MODE;
  if (respType === 'FULL') {
    result.fills = fills.map((f) => ({
      price: fmt(f.price),
      qty: fmt(f.qty),
      commission: fmt(f.commission),
      commissionAsset: f.commissionAsset,
      tradeId: f.tradeId,
    }));
  }
  return result;
}

export function cancelJson(o: EngineOrder, cancelClientOrderId: string, transactTime: number): Record<string, unknown> {
  const out = withOrderState(
    {
      symbol: o.symbol,
      origClientOrderId: o.clientOrderId,
      orderId: o.orderId,
      orderListId: o.orderListId,
      clientOrderId: cancelClientOrderId,
      transactTime,
    },
    o,
  );
  out.selfTradePreventionMode = STP_MODE;
  return out;
}

export function tradeJson(t: EngineTrade): Record<string, unknown> {
  return {
    symbol: t.symbol,
    id: t.id,
    orderId: t.orderId,
    orderListId: -1,
    price: fmt(t.price),
    qty: fmt(t.qty),
    quoteQty: fmt(t.quoteQty),
    commission: fmt(t.commission),
    commissionAsset: t.commissionAsset,
    time: t.time,
    isBuyer: t.isBuyer,
    isMaker: t.isMaker,
    isBestMatch: true,
  };
}

export function accountJson(a: Account, omitZeroBalances: boolean): Record<string, unknown> {
  const bips = (rate: bigint): number => Number(mul(rate, 10000n * ONE) / ONE);
  const balances = [...a.balances.entries()]
    .filter(([, b]) => !omitZeroBalances || b.free + b.locked > 0n)
    .map(([asset, b]) => ({ asset, free: fmt(b.free), locked: fmt(b.locked) }));
  return {
    makerCommission: bips(a.maker),
    takerCommission: bips(a.taker),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: fmt(a.maker), taker: fmt(a.taker), buyer: fmt(0n), seller: fmt(0n) },
    canTrade: true,
    canWithdraw: false,
    canDeposit: false,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: a.updateTime,
    accountType: 'SPOT',
    balances,
    permissions: ['SPOT'],
    uid: a.id,
  };
}

export function commissionJson(a: Account): Record<string, unknown> {
  return {
    standardCommissionForOrder: { maker: fmt(a.maker), taker: fmt(a.taker) },
    specialCommissionForOrder: { maker: fmt(0n), taker: fmt(0n) },
    taxCommissionForOrder: { maker: fmt(0n), taker: fmt(0n) },
    discount: { enabledForAccount: false, enabledForSymbol: false, discountAsset: 'BNB', discount: fmt(0n) },
  };
}

export const ORDER_TYPES = [
  'LIMIT',
  'LIMIT_MAKER',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
] as const;

export function symbolJson(c: SymbolConfig): Record<string, unknown> {
  const pad = (s: string): string => fmt(dec(s));
  return {
    symbol: c.symbol,
    status: c.status,
    baseAsset: c.baseAsset,
    baseAssetPrecision: c.baseAssetPrecision,
    quoteAsset: c.quoteAsset,
    quotePrecision: c.quoteAssetPrecision,
    quoteAssetPrecision: c.quoteAssetPrecision,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: [...ORDER_TYPES],
    icebergAllowed: false,
    ocoAllowed: false,
    otoAllowed: false,
    opoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false,
    cancelReplaceAllowed: true,
    amendAllowed: false,
    pegInstructionsAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: pad(c.minPrice), maxPrice: pad(c.maxPrice), tickSize: pad(c.tickSize) },
      { filterType: 'LOT_SIZE', minQty: pad(c.minQty), maxQty: pad(c.maxQty), stepSize: pad(c.stepSize) },
      { filterType: 'MARKET_LOT_SIZE', minQty: fmt(0n), maxQty: pad(c.marketMaxQty), stepSize: fmt(0n) },
      {
        filterType: 'PERCENT_PRICE_BY_SIDE',
        bidMultiplierUp: c.bidMultiplierUp,
        bidMultiplierDown: c.bidMultiplierDown,
        askMultiplierUp: c.askMultiplierUp,
        askMultiplierDown: c.askMultiplierDown,
        avgPriceMins: 5,
      },
      {
        filterType: 'NOTIONAL',
        minNotional: pad(c.minNotional),
        applyMinToMarket: true,
        maxNotional: pad(c.maxNotional),
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: c.maxNumOrders },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: c.maxNumAlgoOrders },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: STP_MODE,
    allowedSelfTradePreventionModes: ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

/** The user data stream payload for one engine event (reference §6.3 keys). */
export function userEventJson(event: EngineEvent, account: Account): Record<string, unknown> | undefined {
  switch (event.kind) {
    case 'execution': {
      const o = event.order;
      return {
        e: 'executionReport',
        E: event.time,
        s: o.symbol,
        c: o.clientOrderId,
        S: o.side,
        o: o.type,
        f: o.timeInForce,
        q: fmt(o.origQty),
        p: fmt(o.price),
        P: fmt(o.stopPrice),
        F: fmt(0n),
        g: o.orderListId,
        C: event.execType === 'CANCELED' ? o.clientOrderId : '',
        x: event.execType,
        X: o.status,
        r: 'NONE',
        i: o.orderId,
        l: fmt(event.lastQty),
        z: fmt(o.executedQty),
        L: fmt(event.lastPrice),
        n: fmt(event.commission),
        N: event.commissionAsset,
        T: event.time,
        t: event.tradeId,
        I: 0,
        w: o.onBook && o.working,
        m: event.isMaker,
        M: false,
        O: o.time,
        Z: fmt(o.cumQuote),
        Y: fmt(event.lastQuoteQty),
        Q: fmt(o.origQuoteOrderQty),
        W: o.workingTime,
        V: STP_MODE,
      };
    }
    case 'balances':
      return {
        e: 'outboundAccountPosition',
        E: event.time,
        u: account.updateTime,
        B: event.assets.map((a) => {
          const b = account.balances.get(a);
          return { a, f: fmt(b?.free ?? 0n), l: fmt(b?.locked ?? 0n) };
        }),
      };
    case 'listStatus':
      return { e: 'listStatus', E: event.time, ...listStatusEventJson(event.list) };
    case 'balanceUpdate':
      return { e: 'balanceUpdate', E: event.time, a: event.asset, d: fmt(event.delta), T: event.time };
  }
}

/** The listStatus user data event's fields (public docs). */
function listStatusEventJson(l: OrderList): Record<string, unknown> {
  return {
    s: l.symbol,
    g: l.orderListId,
    c: l.contingencyType,
    l: l.listStatusType,
    L: l.listOrderStatus,
    r: 'NONE',
    C: l.listClientOrderId,
    T: l.transactionTime,
    O: l.orders.map((o) => ({ s: o.symbol, i: o.orderId, c: o.clientOrderId })),
  };
}

/** An order list as openOrderList / GET orderList answer it. */
export function orderListJson(l: OrderList): Record<string, unknown> {
  return {
    orderListId: l.orderListId,
    contingencyType: l.contingencyType,
    listStatusType: l.listStatusType,
    listOrderStatus: l.listOrderStatus,
    listClientOrderId: l.listClientOrderId,
    transactionTime: l.transactionTime,
    symbol: l.symbol,
    orders: l.orders.map((o) => ({ symbol: o.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId })),
  };
}
