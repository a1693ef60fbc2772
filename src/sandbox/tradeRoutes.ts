/** The signed /api/v3 endpoints: account, orders, order lists, cancel-replace and rate-limit counts. */
import { ApiKeyRecord } from './auth';
import { generateClientOrderId } from './engine';
import { ApiError, Errors } from './errors';
import { accountJson, cancelJson, commissionJson, newOrderJson, orderJson, orderListJson, tradeJson } from './format';
import { Params } from './request';
import { RestEnv, RestOutcome, SignedRoute } from './route';
import {
  checkAllRead,
  clientIdParam,
  limitParam,
  listRef,
  OCO_PARAMS,
  ORDER_PARAMS,
  orderRef,
  parseLeg,
  parseNewOrder,
  ParsedOrder,
  respTypeParam,
  symbolParam,
  timeFiltered,
} from './routeParams';

const one = (): number => 1;

export const TRADE_ROUTES: Record<string, SignedRoute> = {
  'GET /api/v3/rateLimit/order': {
    signed: true as const,
    weight: () => 40,
    handle: (env, _p, auth) => {
      const counts = env.orders.counts(auth.accountId, env.now());
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
    signed: true as const,
    weight: () => 20,
    handle: (env, p, auth) => accountJson(env.engine.account(auth.accountId), p.bool('omitZeroBalances') ?? false),
  },
  'GET /api/v3/account/commission': {
    signed: true as const,
    weight: () => 20,
    handle: (env, p, auth) => ({ symbol: symbolParam(env, p), ...commissionJson(env.engine.account(auth.accountId)) }),
  },
  'POST /api/v3/order': {
    signed: true as const,
    weight: one,
    zeroOnSuccess: true,
    handle: (env, p, auth, out) => {
      checkAllRead(p, ORDER_PARAMS);
      return placeParsed(env, auth, parseNewOrder(env, p), out);
    },
  },
  'POST /api/v3/order/test': {
    signed: true as const,
    weight: (p) => (p.str('computeCommissionRates')?.toLowerCase() === 'true' ? 20 : 1),
    handle: (env, p, auth) => {
      checkAllRead(p, [...ORDER_PARAMS, 'computeCommissionRates']);
      const computeCommissionRates = p.bool('computeCommissionRates') ?? false;
      const parsed = parseNewOrder(env, p);
      env.engine.validateOrder(auth.accountId, parsed.input);
      return computeCommissionRates ? commissionJson(env.engine.account(auth.accountId)) : {};
    },
  },
  'GET /api/v3/order': {
    signed: true as const,
    weight: () => 4,
    handle: (env, p, auth) => {
      const symbol = symbolParam(env, p);
      return orderJson(env.engine.getOrder(auth.accountId, symbol, orderRef(p, 'orderId', 'origClientOrderId')));
    },
  },
  'DELETE /api/v3/order': {
    signed: true as const,
    weight: one,
    zeroOnSuccess: true,
    handle: (env, p, auth) => {
      const symbol = symbolParam(env, p);
      const ref = orderRef(p, 'orderId', 'origClientOrderId');
      const cancelId = clientIdParam(p, 'newClientOrderId') ?? generateClientOrderId();
      const order = env.engine.cancelOrder(auth.accountId, symbol, ref);
      return cancelJson(order, cancelId, env.now());
    },
  },
  'GET /api/v3/openOrders': {
    signed: true as const,
    weight: (p) => (p.has('symbol') ? 6 : 80),
    handle: (env, p, auth) => {
      const symbol = p.has('symbol') ? symbolParam(env, p) : undefined;
      return env.engine.openOrders(auth.accountId, symbol).map(orderJson);
    },
  },
  'DELETE /api/v3/openOrders': {
    signed: true as const,
    weight: one,
    zeroOnSuccess: true,
    handle: (env, p, auth) => {
      const symbol = symbolParam(env, p);
      const now = env.now();
      const canceled = env.engine.cancelAll(auth.accountId, symbol);
      if (canceled.length === 0) throw Errors.unknownOrder();
      return canceled.map((o) => cancelJson(o, generateClientOrderId(), now));
    },
  },
  'GET /api/v3/allOrders': {
    signed: true as const,
    weight: () => 20,
    handle: (env, p, auth) => {
      const symbol = symbolParam(env, p);
      const limit = limitParam(p, 500, 1000);
      const fromId = p.int('orderId');
      let orders = timeFiltered(env.engine.allOrders(auth.accountId, symbol), (o) => o.time, p);
      if (fromId !== undefined) orders = orders.filter((o) => o.orderId >= fromId).slice(0, limit);
      else orders = orders.slice(-limit);
      return orders.map(orderJson);
    },
  },
  'GET /api/v3/myTrades': {
    signed: true as const,
    weight: (p) => (p.has('orderId') ? 5 : 20),
    handle: (env, p, auth) => {
      const symbol = symbolParam(env, p);
      const limit = limitParam(p, 500, 1000);
      const orderId = p.int('orderId');
      const fromId = p.int('fromId');
      let trades = timeFiltered(env.engine.myTrades(auth.accountId, symbol), (t) => t.time, p);
      if (orderId !== undefined) trades = trades.filter((t) => t.orderId === orderId);
      if (fromId !== undefined) trades = trades.filter((t) => t.id >= fromId).slice(0, limit);
      else trades = trades.slice(-limit);
      return trades.map(tradeJson);
    },
  },
  'POST /api/v3/orderList/oco': {
    signed: true as const,
    weight: one,
    zeroOnSuccess: true,
    handle: (env, p, auth, out) => placeOco(env, p, auth, out),
  },
  'GET /api/v3/orderList': {
    signed: true as const,
    weight: () => 4,
    handle: (env, p, auth) => {
      const list = env.engine.orderList(auth.accountId, listRef(p));
      if (!list) throw Errors.unknownOrderList();
      return orderListJson(list);
    },
  },
  'GET /api/v3/openOrderList': {
    signed: true as const,
    weight: () => 6,
    handle: (env, _p, auth) => env.engine.openOrderLists(auth.accountId).map(orderListJson),
  },
  'DELETE /api/v3/orderList': {
    signed: true as const,
    weight: one,
    zeroOnSuccess: true,
    handle: (env, p, auth) => {
      checkAllRead(p, ['symbol', 'orderListId', 'listClientOrderId', 'newClientOrderId']);
      const symbol = symbolParam(env, p);
      const ref = listRef(p);
      clientIdParam(p, 'newClientOrderId'); // the cancel's own id: checked, not echoed by the list answer
      const now = env.now();
      const list = env.engine.cancelOrderList(auth.accountId, symbol, ref);
      return {
        ...orderListJson(list),
        orderReports: list.orders.map((o) => cancelJson(o, generateClientOrderId(), now)),
      };
    },
  },
  'POST /api/v3/order/cancelReplace': {
    signed: true as const,
    weight: one,
    zeroOnSuccess: true,
    handle: (env, p, auth, out) => cancelReplace(env, p, auth, out),
  },
};

function placeParsed(env: RestEnv, auth: ApiKeyRecord, parsed: ParsedOrder, out: RestOutcome): Record<string, unknown> {
  const now = env.now();
  env.orders.check(auth.accountId, now);
  const { order, fills } = env.engine.placeOrder(auth.accountId, parsed.input);
  Object.assign(out.headers, env.orders.record(auth.accountId, now));
  return newOrderJson(order, fills, parsed.respType);
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
  const respText = respTypeParam(p);
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
  const respType = respText ?? 'RESULT';
  return {
    ...orderListJson(list),
    orderReports: orders.map((o) => newOrderJson(o, [], respType === 'ACK' ? 'ACK' : 'RESULT')),
  };
}
