/**
 * The /api/v3 endpoints: weights, authentication (API key, timestamp/recvWindow, signature) and
 * handlers. Handlers are synchronous, so an order's balance check and its mutation are atomic.
 */
import { ApiKeyRecord, API_KEY_FORMAT, KeyStore, verifySignature } from './auth';
import { Dec, div, fmt } from './decimal';
import {
  Engine,
  EngineOrderType,
  generateClientOrderId,
  isStopType,
  OcoInput,
  NewOrderInput,
  OrderRef,
  PublicTrade,
  Side,
  Tif,
} from './engine';
import { ApiError, Errors } from './errors';
import {
  accountJson,
  cancelJson,
  commissionJson,
  newOrderJson,
  orderJson,
  orderListJson,
  RespType,
  symbolJson,
  tradeJson,
} from './format';
import { Candle, intervalClose, isKlineInterval, KlineInterval, selectCandles } from './klines';
import { OrderLimiter, WeightLimiter } from './rateLimits';
import { ParsedRequest, Params } from './request';

export interface RestEnv {
  readonly engine: Engine;
  readonly keys: KeyStore;
  readonly weights: WeightLimiter;
  readonly orders: OrderLimiter;
  now(): number;
}

export interface RestOutcome {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Successful order endpoints cost 0 weight (testnet since 2026-03-27). */
  refundWeight: boolean;
}

type Handler = (env: RestEnv, p: Params, auth: ApiKeyRecord | undefined, out: RestOutcome) => unknown;

export interface Route {
  readonly signed: boolean;
  weight(p: Params): number;
  readonly handle: Handler;
  /** Weight is refunded when the call succeeds. */
  readonly zeroOnSuccess?: boolean;
}

const MAX_RECV_WINDOW = 60_000n * 10n ** 18n;
const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const CLIENT_ID_RANGE = '^[\\.A-Z\\:/a-z0-9_-]{1,36}$';
const MIN_TIMESTAMP = 1483228800000;

export function findRoute(method: string, path: string): Route | undefined {
  return ROUTES.get(`${method} ${path}`);
}

/** Runs a matched route; throws ApiError for every rejection. */
export function runRoute(
  env: RestEnv,
  route: Route,
  parsed: ParsedRequest,
  apiKeyHeader: string | undefined,
): RestOutcome {
  const out: RestOutcome = { status: 200, body: {}, headers: {}, refundWeight: false };
  const auth = route.signed ? authenticate(env, parsed, apiKeyHeader) : undefined;
  out.body = route.handle(env, parsed.params, auth, out);
  out.refundWeight = route.zeroOnSuccess === true;
  return out;
}

/**
 * Runs a route for an already authenticated caller (the WebSocket API checks its own signatures
 * and session logons, then reuses exactly the REST handlers, parameter checks and error codes).
 */
export function runRouteAs(env: RestEnv, route: Route, params: Params, auth: ApiKeyRecord | undefined): RestOutcome {
  const out: RestOutcome = { status: 200, body: {}, headers: {}, refundWeight: false };
  out.body = route.handle(env, params, auth, out);
  out.refundWeight = route.zeroOnSuccess === true;
  return out;
}

function authenticate(env: RestEnv, parsed: ParsedRequest, apiKeyHeader: string | undefined): ApiKeyRecord {
  if (apiKeyHeader === undefined || !API_KEY_FORMAT.test(apiKeyHeader)) throw Errors.badApiKeyFormat();
  const record = env.keys.get(apiKeyHeader);
  if (!record) throw Errors.rejectedApiKey();
  const p = parsed.params;
  const timestamp = p.int('timestamp');
  if (timestamp === undefined) throw Errors.mandatory('timestamp');
  if (parsed.signature === undefined || parsed.signature === '') throw Errors.mandatory('signature');
  const recvWindow = p.decimal('recvWindow', 3);
  if (recvWindow !== undefined && recvWindow > MAX_RECV_WINDOW) throw Errors.cannotBeGreater('recvWindow', '60000');
  const windowMs = recvWindow === undefined ? 5000 : Number(recvWindow / 10n ** 15n) / 1000;
  // Timestamps may be in microseconds.
  const tsMs = timestamp > 1e14 ? timestamp / 1000 : timestamp;
  const serverTime = env.now();
  if (tsMs >= serverTime + 1000) throw Errors.timestampAhead();
  if (serverTime - tsMs > windowMs || tsMs < MIN_TIMESTAMP) throw Errors.timestampOutside();
  if (!parsed.signatureLast || !verifySignature(record, parsed.signedPayload, parsed.signature))
    throw Errors.badSignature();
  return record;
}

// ---- parameter helpers ----------------------------------------------------------------------

function symbolParam(env: RestEnv, p: Params): string {
  const symbol = p.required('symbol');
  if (!env.engine.hasSymbol(symbol)) throw Errors.invalidSymbol();
  return symbol;
}

function orderRef(p: Params, idName: string, clientName: string): OrderRef {
  const orderId = p.int(idName);
  const origClientOrderId = p.str(clientName);
  if (orderId === undefined && origClientOrderId === undefined) throw Errors.eitherParam(idName, clientName);
  return { orderId, origClientOrderId };
}

function clientIdParam(p: Params, name: string): string | undefined {
  const v = p.str(name);
  if (v !== undefined && !CLIENT_ID.test(v)) throw Errors.illegalChars(name, CLIENT_ID_RANGE);
  return v;
}

/**
 * -1104 for parameters an endpoint does not read. The real API answers this on its order
 * endpoints (publicly reported for POST /api/v3/order, order/test, order/cancelReplace and the
 * order-list endpoints; the reference is silent, §8 lists no -1104); read-only endpoints ignore
 * unknown parameters there, and so they do here. Every documented parameter counts as read, even
 * where the sandbox ignores its value (strategyId, strategyType), so established clients keep
 * working. The counts include `signature` (and, on the WebSocket API, `apiKey`).
 */
const COMMON_PARAMS = ['timestamp', 'recvWindow', 'signature', 'apiKey'];
export const ORDER_PARAMS = [
  'symbol',
  'side',
  'type',
  'timeInForce',
  'quantity',
  'quoteOrderQty',
  'price',
  'newClientOrderId',
  'strategyId',
  'strategyType',
  'stopPrice',
  'trailingDelta',
  'icebergQty',
  'newOrderRespType',
  'selfTradePreventionMode',
  'pegPriceType',
  'pegOffsetValue',
  'pegOffsetType',
];

export function checkAllRead(p: Params, accepted: readonly string[]): void {
  const known = new Set([...COMMON_PARAMS, ...accepted]);
  const unread = p.names().filter((n) => !known.has(n)).length;
  if (unread > 0) throw Errors.notAllRead(p.sentCount() - unread, p.sentCount());
}

const ORDER_TYPE_NAMES = [
  'LIMIT',
  'MARKET',
  'LIMIT_MAKER',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
];

interface ParsedOrder {
  input: NewOrderInput;
  respType: RespType;
}

/** Validates a new order's parameters in the order the real API does (presence, syntax, precision). */
export function parseNewOrder(env: RestEnv, p: Params, prefix = ''): ParsedOrder {
  const name = (n: string): string => (prefix ? prefix + n[0].toUpperCase() + n.slice(1) : n);
  const symbol = symbolParam(env, p);
  const config = env.engine.symbolConfig(symbol);
  const sideText = p.required('side');
  const side = ['BUY', 'SELL'].includes(sideText) ? (sideText as Side) : undefined;
  if (!side) throw Errors.invalidSide();
  const typeText = p.required('type');
  if (!ORDER_TYPE_NAMES.includes(typeText)) throw Errors.invalidType();
  const type = typeText as EngineOrderType;
  const timeInForce = p.oneOf<Tif>('timeInForce', ['GTC', 'IOC', 'FOK'], Errors.invalidTif);
  const quantity = p.decimal('quantity', config.baseAssetPrecision);
  const quoteOrderQty = p.decimal('quoteOrderQty', config.quoteAssetPrecision);
  const price = p.decimal('price', config.quoteAssetPrecision);
  const stopPrice = p.decimal('stopPrice', config.quoteAssetPrecision);
  const trailingDelta = p.str('trailingDelta');
  const newClientOrderId = clientIdParam(p, name('newClientOrderId'));
  const respText = p.str('newOrderRespType');
  if (respText !== undefined && !['ACK', 'RESULT', 'FULL'].includes(respText)) {
    throw new ApiError(
      -1100,
      "Illegal characters found in parameter 'newOrderRespType'; legal range is 'ACK, RESULT, FULL'.",
    );
  }
  if (isStopType(type)) {
    // Reference §5.3: stopPrice or trailingDelta. Trailing stops are not modelled
    // (exchangeInfo says allowTrailingStop: false), so trailingDelta is refused, clearly.
    if (trailingDelta !== undefined) {
      throw new ApiError(
        -1013,
        'trailingDelta is not supported by the sandbox (allowTrailingStop is false); send stopPrice instead.',
      );
    }
    const limitKind = type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT_LIMIT';
    if (limitKind && timeInForce === undefined) throw Errors.mandatory('timeInForce');
    if (quantity === undefined) throw Errors.mandatory('quantity');
    if (limitKind && price === undefined) throw Errors.mandatory('price');
    if (stopPrice === undefined) throw Errors.eitherParam('stopPrice', 'trailingDelta');
    if (quoteOrderQty !== undefined) throw Errors.notRequired('quoteOrderQty');
    if (!limitKind && price !== undefined) throw Errors.notRequired('price');
    if (!limitKind && timeInForce !== undefined) throw Errors.notRequired('timeInForce');
  } else if (stopPrice !== undefined) {
    throw Errors.notRequired('stopPrice');
  } else if (trailingDelta !== undefined) {
    throw Errors.notRequired('trailingDelta');
  } else if (type === 'LIMIT') {
    if (timeInForce === undefined) throw Errors.mandatory('timeInForce');
    if (quantity === undefined) throw Errors.mandatory('quantity');
    if (price === undefined) throw Errors.mandatory('price');
    if (quoteOrderQty !== undefined) throw Errors.notRequired('quoteOrderQty');
  } else if (type === 'LIMIT_MAKER') {
    if (quantity === undefined) throw Errors.mandatory('quantity');
    if (price === undefined) throw Errors.mandatory('price');
    if (quoteOrderQty !== undefined) throw Errors.notRequired('quoteOrderQty');
    if (timeInForce !== undefined) throw Errors.notRequired('timeInForce');
  } else {
    if (quantity === undefined && quoteOrderQty === undefined) throw Errors.eitherParam('quantity', 'quoteOrderQty');
    if (quantity !== undefined && quoteOrderQty !== undefined) throw Errors.notRequired('quoteOrderQty');
    if (price !== undefined) throw Errors.notRequired('price');
    if (timeInForce !== undefined) throw Errors.notRequired('timeInForce');
  }
  // Reference §5.3: "MARKET and LIMIT order types default to FULL, all other orders default to ACK."
  const respType = (respText as RespType | undefined) ?? (type === 'LIMIT' || type === 'MARKET' ? 'FULL' : 'ACK');
  return {
    input: { symbol, side, type, timeInForce, quantity, quoteOrderQty, price, stopPrice, newClientOrderId },
    respType,
  };
}

function placeParsed(env: RestEnv, auth: ApiKeyRecord, parsed: ParsedOrder, out: RestOutcome): Record<string, unknown> {
  const now = env.now();
  env.orders.check(auth.accountId, now);
  const { order, fills } = env.engine.placeOrder(auth.accountId, parsed.input);
  Object.assign(out.headers, env.orders.record(auth.accountId, now));
  return newOrderJson(order, fills, parsed.respType);
}

function limitParam(p: Params, fallback: number, max: number): number {
  const limit = p.int('limit') ?? fallback;
  return Math.max(1, Math.min(limit, max));
}

function timeFiltered<T>(items: T[], time: (t: T) => number, p: Params): T[] {
  const start = p.int('startTime');
  const end = p.int('endTime');
  return items.filter((t) => (start === undefined || time(t) >= start) && (end === undefined || time(t) <= end));
}

function parseSymbolsParam(env: RestEnv, p: Params): string[] | undefined {
  const single = p.str('symbol');
  const many = p.str('symbols');
  if (single !== undefined && many !== undefined)
    throw new ApiError(-1128, 'Combination of optional parameters invalid.');
  if (single !== undefined) {
    if (!env.engine.hasSymbol(single)) throw Errors.invalidSymbol();
    return [single];
  }
  if (many === undefined) return undefined;
  let list: unknown;
  try {
    list = JSON.parse(many);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string')) {
    throw new ApiError(
      -1100,
      'Illegal characters found in parameter \'symbols\'; legal range is \'^\\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\\]$\'.',
    );
  }
  for (const s of list as string[]) if (!env.engine.hasSymbol(s)) throw Errors.invalidSymbol();
  return list as string[];
}

function depthWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

const fmtLevel = (level: [Dec, Dec]): [string, string] => [fmtPrice(level[0]), fmtPrice(level[1])];
const fmtPrice = (v: Dec): string => fmt(v);

// ---- routes ----------------------------------------------------------------------------------

const one = (): number => 1;

const ROUTE_TABLE: Record<string, Route> = {
  'GET /api/v3/ping': { signed: false, weight: one, handle: () => ({}) },
  'GET /api/v3/time': { signed: false, weight: one, handle: (env) => ({ serverTime: env.now() }) },
  'GET /api/v3/exchangeInfo': {
    signed: false,
    weight: () => 20,
    handle: (env, p) => {
      const wanted = parseSymbolsParam(env, p);
      const symbols = env.engine.symbols().filter((s) => !wanted || wanted.includes(s.symbol));
      return {
        timezone: 'UTC',
        serverTime: env.now(),
        rateLimits: [
          { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: env.weights.limit },
          { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: env.orders.per10s },
          { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: env.orders.perDay },
          { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 300000 },
        ],
        exchangeFilters: [],
        symbols: symbols.map(symbolJson),
      };
    },
  },
  'GET /api/v3/ticker/price': {
    signed: false,
    weight: (p) => (p.has('symbol') ? 2 : 4),
    handle: (env, p) => {
      const wanted = parseSymbolsParam(env, p);
      const list = (wanted ?? env.engine.symbols().map((s) => s.symbol)).map((symbol) => ({
        symbol,
        price: fmtPrice(env.engine.lastPrice(symbol)),
      }));
      return p.has('symbol') ? list[0] : list;
    },
  },
  'GET /api/v3/depth': {
    signed: false,
    weight: (p) => {
      try {
        return depthWeight(p.int('limit') ?? 100);
      } catch {
        return 5;
      }
    },
    handle: (env, p) => {
      const symbol = symbolParam(env, p);
      const limit = limitParam(p, 100, 5000);
      const { bids, asks } = env.engine.depth(symbol, limit);
      return { lastUpdateId: env.engine.updateId, bids: bids.map(fmtLevel), asks: asks.map(fmtLevel) };
    },
  },
  'GET /api/v3/trades': {
    signed: false,
    weight: () => 25,
    handle: (env, p) => {
      const symbol = symbolParam(env, p);
      return env.engine.publicTrades(symbol, limitParam(p, 500, 1000)).map(publicTradeJson);
    },
  },
  'GET /api/v3/historicalTrades': {
    signed: false,
    weight: () => 25,
    // Public docs: older trades from `fromId` (the most recent without it); limit default 500, max 1000.
    // Only the engine's last 1000 trades per symbol exist; earlier ids give what is left from there.
    handle: (env, p) => {
      const symbol = symbolParam(env, p);
      const limit = limitParam(p, 500, 1000);
      const fromId = p.int('fromId');
      const all = env.engine.publicTrades(symbol);
      const selected = fromId === undefined ? all.slice(-limit) : all.filter((t) => t.id >= fromId).slice(0, limit);
      return selected.map(publicTradeJson);
    },
  },
  'GET /api/v3/aggTrades': {
    signed: false,
    // Reference §10: 2 -> 4 on 2025-03-10.
    weight: () => 4,
    handle: (env, p) => aggTrades(env, p),
  },
  'GET /api/v3/ticker/bookTicker': {
    signed: false,
    weight: (p) => (p.has('symbol') ? 2 : 4),
    handle: (env, p) => {
      const wanted = parseSymbolsParam(env, p) ?? env.engine.symbols().map((s) => s.symbol);
      const list = wanted.map((symbol) => {
        const top = env.engine.bookTop(symbol);
        return {
          symbol,
          bidPrice: fmt(top.bidPrice),
          bidQty: fmt(top.bidQty),
          askPrice: fmt(top.askPrice),
          askQty: fmt(top.askQty),
        };
      });
      return p.has('symbol') ? list[0] : list;
    },
  },
  'GET /api/v3/avgPrice': {
    signed: false,
    weight: () => 2,
    handle: (env, p) => {
      const avg = averagePrice(env, symbolParam(env, p));
      return { mins: 5, price: fmt(avg.price), closeTime: avg.closeTime };
    },
  },
  'GET /api/v3/ticker/24hr': {
    signed: false,
    weight: tickerWeight,
    handle: (env, p) => {
      const type = tickerType(p);
      const wanted = parseSymbolsParam(env, p) ?? env.engine.symbols().map((s) => s.symbol);
      const list = wanted.map((symbol) => ticker24h(env, symbol, type));
      return p.has('symbol') ? list[0] : list;
    },
  },
  'GET /api/v3/klines': { signed: false, weight: () => 2, handle: (env, p) => klines(env, p) },
  // Public docs: uiKlines returns the same shape, "modified for presentation"; on the Spot Test
  // Network (reference §9) "these 2 requests always return the same data", and so does the sandbox.
  'GET /api/v3/uiKlines': { signed: false, weight: () => 2, handle: (env, p) => klines(env, p) },
  'GET /api/v3/rateLimit/order': {
    signed: true,
    weight: () => 40,
    handle: (env, _p, auth) => {
      const counts = env.orders.counts(auth!.accountId, env.now());
      return [
        {
          rateLimitType: 'ORDERS',
          interval: 'SECOND',
          intervalNum: 10,
          limit: env.orders.per10s,
          count: counts.tenSeconds,
        },
        { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: env.orders.perDay, count: counts.day },
      ];
    },
  },
  'GET /api/v3/account': {
    signed: true,
    weight: () => 20,
    handle: (env, p, auth) => accountJson(env.engine.account(auth!.accountId), p.bool('omitZeroBalances') ?? false),
  },
  'GET /api/v3/account/commission': {
    signed: true,
    weight: () => 20,
    handle: (env, p, auth) => ({ symbol: symbolParam(env, p), ...commissionJson(env.engine.account(auth!.accountId)) }),
  },
  'POST /api/v3/order': {
    signed: true,
    weight: one,
    zeroOnSuccess: true,
    handle: (env, p, auth, out) => {
      checkAllRead(p, ORDER_PARAMS);
      return placeParsed(env, auth!, parseNewOrder(env, p), out);
    },
  },
  'POST /api/v3/order/test': {
    signed: true,
    weight: (p) => (p.str('computeCommissionRates')?.toLowerCase() === 'true' ? 20 : 1),
    handle: (env, p, auth) => {
      checkAllRead(p, [...ORDER_PARAMS, 'computeCommissionRates']);
      const computeCommissionRates = p.bool('computeCommissionRates') ?? false;
      const parsed = parseNewOrder(env, p);
      env.engine.validateOrder(auth!.accountId, parsed.input);
      return computeCommissionRates ? commissionJson(env.engine.account(auth!.accountId)) : {};
    },
  },
  'GET /api/v3/order': {
    signed: true,
    weight: () => 4,
    handle: (env, p, auth) => {
      const symbol = symbolParam(env, p);
      return orderJson(env.engine.getOrder(auth!.accountId, symbol, orderRef(p, 'orderId', 'origClientOrderId')));
    },
  },
  'DELETE /api/v3/order': {
    signed: true,
    weight: one,
    zeroOnSuccess: true,
    handle: (env, p, auth) => {
      const symbol = symbolParam(env, p);
      const ref = orderRef(p, 'orderId', 'origClientOrderId');
      const cancelId = clientIdParam(p, 'newClientOrderId') ?? generateClientOrderId();
      const order = env.engine.cancelOrder(auth!.accountId, symbol, ref);
      return cancelJson(order, cancelId, env.now());
    },
  },
  'GET /api/v3/openOrders': {
    signed: true,
    weight: (p) => (p.has('symbol') ? 6 : 80),
    handle: (env, p, auth) => {
      const symbol = p.has('symbol') ? symbolParam(env, p) : undefined;
      return env.engine.openOrders(auth!.accountId, symbol).map(orderJson);
    },
  },
  'DELETE /api/v3/openOrders': {
    signed: true,
    weight: one,
    zeroOnSuccess: true,
    handle: (env, p, auth) => {
      const symbol = symbolParam(env, p);
      const now = env.now();
      const canceled = env.engine.cancelAll(auth!.accountId, symbol);
      if (canceled.length === 0) throw Errors.unknownOrder();
      return canceled.map((o) => cancelJson(o, generateClientOrderId(), now));
    },
  },
  'GET /api/v3/allOrders': {
    signed: true,
    weight: () => 20,
    handle: (env, p, auth) => {
      const symbol = symbolParam(env, p);
      const limit = limitParam(p, 500, 1000);
      const fromId = p.int('orderId');
      let orders = timeFiltered(env.engine.allOrders(auth!.accountId, symbol), (o) => o.time, p);
      if (fromId !== undefined) orders = orders.filter((o) => o.orderId >= fromId).slice(0, limit);
      else orders = orders.slice(-limit);
      return orders.map(orderJson);
    },
  },
  'GET /api/v3/myTrades': {
    signed: true,
    weight: (p) => (p.has('orderId') ? 5 : 20),
    handle: (env, p, auth) => {
      const symbol = symbolParam(env, p);
      const limit = limitParam(p, 500, 1000);
      const orderId = p.int('orderId');
      const fromId = p.int('fromId');
      let trades = timeFiltered(env.engine.myTrades(auth!.accountId, symbol), (t) => t.time, p);
      if (orderId !== undefined) trades = trades.filter((t) => t.orderId === orderId);
      if (fromId !== undefined) trades = trades.filter((t) => t.id >= fromId).slice(0, limit);
      else trades = trades.slice(-limit);
      return trades.map(tradeJson);
    },
  },
  'POST /api/v3/orderList/oco': {
    signed: true,
    weight: one,
    zeroOnSuccess: true,
    handle: (env, p, auth, out) => placeOco(env, p, auth!, out),
  },
  'GET /api/v3/orderList': {
    signed: true,
    weight: () => 4,
    handle: (env, p, auth) => {
      const list = env.engine.orderList(auth!.accountId, listRef(p));
      if (!list) throw Errors.unknownOrderList();
      return orderListJson(list);
    },
  },
  'GET /api/v3/openOrderList': {
    signed: true,
    weight: () => 6,
    handle: (env, _p, auth) => env.engine.openOrderLists(auth!.accountId).map(orderListJson),
  },
  'DELETE /api/v3/orderList': {
    signed: true,
    weight: one,
    zeroOnSuccess: true,
    handle: (env, p, auth) => {
      checkAllRead(p, ['symbol', 'orderListId', 'listClientOrderId', 'newClientOrderId']);
      const symbol = symbolParam(env, p);
      const ref = listRef(p);
      clientIdParam(p, 'newClientOrderId'); // the cancel's own id: checked, not echoed by the list answer
      const now = env.now();
      const list = env.engine.cancelOrderList(auth!.accountId, symbol, ref);
      return {
        ...orderListJson(list),
        orderReports: list.orders.map((o) => cancelJson(o, generateClientOrderId(), now)),
      };
    },
  },
  'POST /api/v3/order/cancelReplace': {
    signed: true,
    weight: one,
    zeroOnSuccess: true,
    handle: (env, p, auth, out) => cancelReplace(env, p, auth!, out),
  },
};
/** "METHOD /path" -> route, in a Map: no method or path from the wire can reach an Object.prototype member. */
const ROUTES: ReadonlyMap<string, Route> = new Map(Object.entries(ROUTE_TABLE));

function publicTradeJson(t: PublicTrade): Record<string, unknown> {
  return {
    id: t.id,
    price: fmt(t.price),
    qty: fmt(t.qty),
    quoteQty: fmt(t.quoteQty),
    time: t.time,
    isBuyerMaker: t.isBuyerMaker,
    isBestMatch: true,
  };
}

/** Volume-weighted price of the last 5 minutes' trades (the last price without any), and the last trade time. */
export function averagePrice(env: Pick<RestEnv, 'engine' | 'now'>, symbol: string): { price: Dec; closeTime: number } {
  const now = env.now();
  const recent = env.engine.publicTrades(symbol).filter((t) => t.time >= now - 5 * 60_000);
  const qty = recent.reduce((sum, t) => sum + t.qty, 0n);
  const quote = recent.reduce((sum, t) => sum + t.quoteQty, 0n);
  const price = qty > 0n ? div(quote, qty) : env.engine.lastPrice(symbol);
  return { price, closeTime: recent.length > 0 ? recent[recent.length - 1].time : now };
}

/**
 * Weight of ticker/24hr (public docs, not in the reference): 2 for one `symbol`; for `symbols`
 * 2 (1-20 symbols), 40 (21-100), 80 (101 or more); 80 without either. Never throws: a malformed
 * `symbols` is charged like a single symbol and then refused by the handler.
 */
export function tickerWeight(p: Params): number {
  if (p.has('symbol')) return 2;
  const many = p.str('symbols');
  if (many === undefined) return 80;
  let count = 1;
  try {
    const list: unknown = JSON.parse(many);
    if (Array.isArray(list)) count = list.length;
  } catch {
    count = 1;
  }
  return count <= 20 ? 2 : count <= 100 ? 40 : 80;
}

function tickerType(p: Params): 'FULL' | 'MINI' {
  const type = p.str('type') ?? 'FULL';
  if (type !== 'FULL' && type !== 'MINI')
    throw new ApiError(-1100, "Illegal characters found in parameter 'type'; legal range is 'FULL, MINI'.");
  return type;
}

/**
 * Rolling 24 h statistics from the symbol's 1-minute candles (a day of them is kept), so they stay
 * right however many trades happened. Minute granularity at the window's start, like the real
 * rolling window's. Without trades in the window the prices are the last price and counts are 0.
 */
export function ticker24h(
  env: Pick<RestEnv, 'engine' | 'now'>,
  symbol: string,
  type: 'FULL' | 'MINI' = 'FULL',
): Record<string, unknown> {
  const now = env.now();
  const from = now - 86_400_000;
  const minutes = env.engine.candles(symbol, '1m');
  let firstIndex = minutes.length;
  while (firstIndex > 0 && minutes[firstIndex - 1].closeTime >= from) firstIndex--;
  const window = minutes.slice(firstIndex).filter((c) => c.openTime <= now);
  const last = env.engine.lastPrice(symbol);
  const previous = minutes[firstIndex - 1];
  const open = window[0]?.open ?? last;
  let high = window[0]?.high ?? last;
  let low = window[0]?.low ?? last;
  let volume = 0n;
  let quoteVolume = 0n;
  let count = 0;
  for (const c of window) {
    if (c.high > high) high = c.high;
    if (c.low < low) low = c.low;
    volume += c.volume;
    quoteVolume += c.quoteVolume;
    count += c.count;
  }
  const firstId = window[0]?.firstId ?? -1;
  const lastId = window[window.length - 1]?.lastId ?? -1;
  // Both types end with the same fields, in Binance's order.
  const tail = {
    volume: fmt(volume),
    quoteVolume: fmt(quoteVolume),
    openTime: from,
    closeTime: now,
    firstId,
    lastId,
    count,
  };
  if (type === 'MINI') {
    return { symbol, openPrice: fmt(open), highPrice: fmt(high), lowPrice: fmt(low), lastPrice: fmt(last), ...tail };
  }
  const change = last - open;
  const top = env.engine.bookTop(symbol);
  return {
    symbol,
    priceChange: fmt(change),
    priceChangePercent: open > 0n ? fmt(div(change * 100n, open), 3) : '0.000',
    weightedAvgPrice: fmt(volume > 0n ? div(quoteVolume, volume) : last),
    prevClosePrice: fmt(previous?.close ?? open),
    lastPrice: fmt(last),
    lastQty: fmt(window.length > 0 ? (env.engine.lastTrade(symbol)?.qty ?? 0n) : 0n),
    bidPrice: fmt(top.bidPrice),
    bidQty: fmt(top.bidQty),
    askPrice: fmt(top.askPrice),
    askQty: fmt(top.askQty),
    openPrice: fmt(open),
    highPrice: fmt(high),
    lowPrice: fmt(low),
    ...tail,
  };
}

/**
 * GET /api/v3/aggTrades (public docs): fills of one taker order at one price are one aggregate
 * {a, p, q, f, l, T, m, M}. fromId, startTime/endTime (at most 1 hour apart when both are sent,
 * else -1127), limit default 500, max 1000. Only the engine's recent trades (the last 1000) exist.
 */
function aggTrades(env: RestEnv, p: Params): unknown[] {
  const symbol = symbolParam(env, p);
  const fromId = p.int('fromId');
  const startTime = p.int('startTime');
  const endTime = p.int('endTime');
  const limit = limitParam(p, 500, 1000);
  if (startTime !== undefined && endTime !== undefined && endTime - startTime > 3_600_000) {
    throw new ApiError(-1127, 'More than 1 hours between startTime and endTime.');
  }
  const aggregates: { a: number; p: string; q: Dec; f: number; l: number; T: number; m: boolean }[] = [];
  for (const t of env.engine.publicTrades(symbol)) {
    const last = aggregates[aggregates.length - 1];
    if (last && last.a === t.aggId) {
      last.q += t.qty;
      last.l = t.id;
    } else aggregates.push({ a: t.aggId, p: fmt(t.price), q: t.qty, f: t.id, l: t.id, T: t.time, m: t.isBuyerMaker });
  }
  let selected = aggregates.filter(
    (a) =>
      (fromId === undefined || a.a >= fromId) &&
      (startTime === undefined || a.T >= startTime) &&
      (endTime === undefined || a.T <= endTime),
  );
  selected = fromId !== undefined || startTime !== undefined ? selected.slice(0, limit) : selected.slice(-limit);
  return selected.map((a) => ({ a: a.a, p: a.p, q: fmt(a.q), f: a.f, l: a.l, T: a.T, m: a.m, M: true }));
}

/**
 * klines `timeZone` (public docs): hours and minutes ("-1:00", "05:45") or hours ("0", "8"), within
 * -12:00..+14:00; intervals are then aligned in that zone. The sandbox keeps UTC candles only, so
 * it serves an offset only where it does not move the interval boundaries (e.g. 8 with 1m..8h) and
 * says so (-1100) otherwise; a malformed or out-of-range value is -1100 as well.
 */
function checkTimeZone(text: string | undefined, interval: KlineInterval): void {
  if (text === undefined) return;
  const m = /^([+-])?(\d{1,2})(?::(\d{2}))?$/.exec(text);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? '0')) : NaN;
  if (!m || Number(m[3] ?? '0') >= 60 || minutes < -12 * 60 || minutes > 14 * 60) {
    throw new ApiError(-1100, "Illegal characters found in parameter 'timeZone'; legal range is '-12:00 to +14:00'.");
  }
  if (minutes === 0) return;
  const length = intervalClose(interval, 0) + 1; // fixed intervals; 1w and 1M never divide an offset
  if (interval === '1w' || interval === '1M' || (minutes * 60_000) % length !== 0) {
    throw new ApiError(
      -1100,
      `The sandbox serves ${interval} klines in UTC only; timeZone=${text} would move their boundaries.`,
    );
  }
}

/** The kline row: 12 entries, decimals as strings, the last ("unused field") always "0". */
export function klineRow(c: Candle): unknown[] {
  return [
    c.openTime,
    fmt(c.open),
    fmt(c.high),
    fmt(c.low),
    fmt(c.close),
    fmt(c.volume),
    c.closeTime,
    fmt(c.quoteVolume),
    c.count,
    fmt(c.takerBuyBase),
    fmt(c.takerBuyQuote),
    '0',
  ];
}

/**
 * GET /api/v3/klines and /uiKlines (public docs): symbol and interval mandatory, limit default 500,
 * max 1000; an unknown interval is -1120 "Invalid interval.". startTime after endTime gives an
 * empty list here (the docs do not say; no candle can match). `timeZone`: see checkTimeZone.
 */
function klines(env: RestEnv, p: Params): unknown[] {
  const symbol = symbolParam(env, p);
  const interval = p.required('interval');
  if (!isKlineInterval(interval)) throw new ApiError(-1120, 'Invalid interval.');
  const startTime = p.int('startTime');
  const endTime = p.int('endTime');
  const limit = limitParam(p, 500, 1000);
  checkTimeZone(p.str('timeZone'), interval as KlineInterval);
  return selectCandles(env.engine.candles(symbol, interval as KlineInterval), startTime, endTime, limit).map(klineRow);
}

function cancelReplace(env: RestEnv, p: Params, auth: ApiKeyRecord, out: RestOutcome): unknown {
  checkAllRead(p, [
    ...ORDER_PARAMS,
    'cancelReplaceMode',
    'cancelNewClientOrderId',
    'cancelOrigClientOrderId',
    'cancelOrderId',
    'cancelRestrictions',
    'orderRateLimitExceededMode',
  ]);
  const symbol = symbolParam(env, p);
  const mode = p.required('cancelReplaceMode');
  if (mode !== 'STOP_ON_FAILURE' && mode !== 'ALLOW_FAILURE') {
    throw new ApiError(
      -1100,
      "Illegal characters found in parameter 'cancelReplaceMode'; legal range is 'STOP_ON_FAILURE, ALLOW_FAILURE'.",
    );
  }
  const ref = orderRef(p, 'cancelOrderId', 'cancelOrigClientOrderId');
  const cancelId = clientIdParam(p, 'cancelNewClientOrderId') ?? generateClientOrderId();
  // Parameter errors of the new order are plain request errors: nothing is canceled.
  const parsed = parseNewOrder(env, p);
  let cancelResponse: unknown;
  let cancelOk = false;
  try {
    const canceled = env.engine.cancelOrder(auth.accountId, symbol, ref);
    cancelResponse = cancelJson(canceled, cancelId, env.now());
    cancelOk = true;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    cancelResponse = error.toJSON();
  }
  if (!cancelOk && mode === 'STOP_ON_FAILURE') {
    throw new CancelReplaceError(-2022, 'Order cancel-replace failed.', 400, {
      cancelResult: 'FAILURE',
      newOrderResult: 'NOT_ATTEMPTED',
      cancelResponse,
      newOrderResponse: null,
    });
  }
  let newOrderResponse: unknown;
  let newOk = false;
  try {
    newOrderResponse = placeParsed(env, auth, parsed, out);
    newOk = true;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    newOrderResponse = error.toJSON();
  }
  const data = {
    cancelResult: cancelOk ? 'SUCCESS' : 'FAILURE',
    newOrderResult: newOk ? 'SUCCESS' : 'FAILURE',
    cancelResponse,
    newOrderResponse,
  };
  if (cancelOk && newOk) return data;
  if (!cancelOk && !newOk) throw new CancelReplaceError(-2022, 'Order cancel-replace failed.', 400, data);
  throw new CancelReplaceError(-2021, 'Order cancel-replace partially failed.', 409, data);
}

/** -2021/-2022 carry the per-leg outcome in `data`. */
export class CancelReplaceError extends ApiError {
  constructor(
    code: number,
    msg: string,
    status: number,
    readonly data: unknown,
  ) {
    super(code, msg, status);
  }

  override toJSON(): { code: number; msg: string; data: unknown } {
    return { code: this.code, msg: this.message, data: this.data };
  }
}

// ---- order lists (OCO) ------------------------------------------------------------------------

const LEG_FIELDS = [
  'Type',
  'ClientOrderId',
  'IcebergQty',
  'Price',
  'StopPrice',
  'TrailingDelta',
  'TimeInForce',
  'StrategyId',
  'StrategyType',
  'PegPriceType',
  'PegOffsetType',
  'PegOffsetValue',
];
const OCO_PARAMS = [
  'symbol',
  'listClientOrderId',
  'side',
  'quantity',
  'newOrderRespType',
  'selfTradePreventionMode',
  ...LEG_FIELDS.map((f) => `above${f}`),
  ...LEG_FIELDS.map((f) => `below${f}`),
];
// Public docs: aboveType STOP_LOSS_LIMIT, STOP_LOSS, LIMIT_MAKER, TAKE_PROFIT, TAKE_PROFIT_LIMIT;
// belowType the same (LIMIT_MAKER below the market is how a BUY OCO rests its limit leg).
const LEG_TYPES = ['STOP_LOSS_LIMIT', 'STOP_LOSS', 'LIMIT_MAKER', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'];

function parseLeg(p: Params, prefix: 'above' | 'below', quotePrecision: number): OcoInput['above'] {
  const n = (f: string): string => prefix + f;
  const typeText = p.required(n('Type'));
  if (!LEG_TYPES.includes(typeText)) throw Errors.illegalChars(n('Type'), LEG_TYPES.join(', '));
  const type = typeText as EngineOrderType;
  const price = p.decimal(n('Price'), quotePrecision);
  const stopPrice = p.decimal(n('StopPrice'), quotePrecision);
  const timeInForce = p.oneOf<Tif>(n('TimeInForce'), ['GTC', 'IOC', 'FOK'], Errors.invalidTif);
  const newClientOrderId = clientIdParam(p, n('ClientOrderId'));
  if (p.has(n('TrailingDelta'))) {
    throw new ApiError(
      -1013,
      'trailingDelta is not supported by the sandbox (allowTrailingStop is false); send stopPrice instead.',
    );
  }
  if (p.has(n('IcebergQty')))
    throw new ApiError(-1013, 'icebergQty is not supported by the sandbox (icebergAllowed is false).');
  const limitKind = type === 'LIMIT_MAKER' || type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT_LIMIT';
  if (limitKind && price === undefined) throw Errors.mandatory(n('Price'));
  if (!limitKind && price !== undefined) throw Errors.notRequired(n('Price'));
  if (type !== 'LIMIT_MAKER' && stopPrice === undefined) throw Errors.eitherParam(n('StopPrice'), n('TrailingDelta'));
  if (type === 'LIMIT_MAKER' && stopPrice !== undefined) throw Errors.notRequired(n('StopPrice'));
  const needsTif = type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT_LIMIT';
  if (needsTif && timeInForce === undefined) throw Errors.mandatory(n('TimeInForce'));
  if (!needsTif && timeInForce !== undefined) throw Errors.notRequired(n('TimeInForce'));
  return { type, price, stopPrice, timeInForce, newClientOrderId };
}

function placeOco(env: RestEnv, p: Params, auth: ApiKeyRecord, out: RestOutcome): unknown {
  checkAllRead(p, OCO_PARAMS);
  const symbol = symbolParam(env, p);
  const config = env.engine.symbolConfig(symbol);
  const listClientOrderId = clientIdParam(p, 'listClientOrderId');
  const sideText = p.required('side');
  if (sideText !== 'BUY' && sideText !== 'SELL') throw Errors.invalidSide();
  const quantity = p.decimal('quantity', config.baseAssetPrecision);
  if (quantity === undefined) throw Errors.mandatory('quantity');
  const above = parseLeg(p, 'above', config.quoteAssetPrecision);
  const below = parseLeg(p, 'below', config.quoteAssetPrecision);
  const respText = p.str('newOrderRespType');
  if (respText !== undefined && !['ACK', 'RESULT', 'FULL'].includes(respText)) {
    throw new ApiError(
      -1100,
      "Illegal characters found in parameter 'newOrderRespType'; legal range is 'ACK, RESULT, FULL'.",
    );
  }
  const now = env.now();
  // An OCO counts as 2 orders against the ORDERS limits (public docs).
  env.orders.check(auth.accountId, now);
  const { list, orders } = env.engine.placeOco(auth.accountId, {
    symbol,
    side: sideText,
    quantity,
    listClientOrderId,
    above,
    below,
  });
  env.orders.record(auth.accountId, now);
  Object.assign(out.headers, env.orders.record(auth.accountId, now));
  // The list answer always carries orderReports (ACK shortens them to the ids, as for orders).
  const respType = (respText as RespType | undefined) ?? 'RESULT';
  return {
    ...orderListJson(list),
    orderReports: orders.map((o) => newOrderJson(o, [], respType === 'ACK' ? 'ACK' : 'RESULT')),
  };
}

function listRef(p: Params): { orderListId?: number; listClientOrderId?: string } {
  const orderListId = p.int('orderListId');
  const listClientOrderId = p.str('listClientOrderId') ?? p.str('origClientOrderId');
  if (orderListId === undefined && listClientOrderId === undefined)
    throw Errors.eitherParam('orderListId', 'listClientOrderId');
  return { orderListId, listClientOrderId };
}
