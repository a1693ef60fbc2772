/**
 * Parameters of the /api/v3 endpoints: symbols, order references, client ids, new orders and OCO
 * legs, validated in the order the real API does (presence, syntax, precision).
 */
import { Errors, ApiError } from './errors';
import { EngineOrderType, isStopType, NewOrderInput, OcoInput, OrderListRef, OrderRef, Side, Tif } from './engine';
import { RespType } from './format';
import { Params } from './request';
import { RestEnv } from './route';

const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const CLIENT_ID_RANGE = '^[\\.A-Z\\:/a-z0-9_-]{1,36}$';

export function symbolParam(env: RestEnv, p: Params): string {
  const symbol = p.required('symbol');
  if (!env.engine.hasSymbol(symbol)) throw Errors.invalidSymbol();
  return symbol;
}

export function orderRef(p: Params, idName: string, clientName: string): OrderRef {
  const orderId = p.int(idName);
  const origClientOrderId = p.str(clientName);
  if (orderId === undefined && origClientOrderId === undefined) throw Errors.eitherParam(idName, clientName);
  return { orderId, origClientOrderId };
}

export function clientIdParam(p: Params, name: string): string | undefined {
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

/** The names each endpoint reads, as a set, made once per list (order endpoints are a hot path). */
const knownNames = new WeakMap<readonly string[], ReadonlySet<string>>();

export function checkAllRead(p: Params, accepted: readonly string[]): void {
  let known = knownNames.get(accepted);
  if (!known) {
    known = new Set([...COMMON_PARAMS, ...accepted]);
    knownNames.set(accepted, known);
  }
  const names = known;
  const unread = p.names().filter((n) => !names.has(n));
  if (unread.length === 0) return;
  const error = Errors.notAllRead(p.sentCount() - unread.length, p.sentCount());
  // The names it does read, for the request inspector's "did you mean" (never on the wire).
  error.facts = { unread: unread.join(', '), known: [...names].join(',') };
  throw error;
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

export interface ParsedOrder {
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
  const respText = respTypeParam(p);
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
  const respType = respText ?? (type === 'LIMIT' || type === 'MARKET' ? 'FULL' : 'ACK');
  return {
    input: { symbol, side, type, timeInForce, quantity, quoteOrderQty, price, stopPrice, newClientOrderId },
    respType,
  };
}

/** newOrderRespType, if sent: ACK, RESULT or FULL (-1100 otherwise). */
export function respTypeParam(p: Params): RespType | undefined {
  const text = p.str('newOrderRespType');
  if (text !== undefined && !['ACK', 'RESULT', 'FULL'].includes(text)) {
    throw new ApiError(
      -1100,
      "Illegal characters found in parameter 'newOrderRespType'; legal range is 'ACK, RESULT, FULL'.",
    );
  }
  return text as RespType | undefined;
}

export function limitParam(p: Params, fallback: number, max: number): number {
  const limit = p.int('limit') ?? fallback;
  return Math.max(1, Math.min(limit, max));
}

export function timeFiltered<T>(items: T[], time: (t: T) => number, p: Params): T[] {
  const start = p.int('startTime');
  const end = p.int('endTime');
  return items.filter((t) => (start === undefined || time(t) >= start) && (end === undefined || time(t) <= end));
}

export function parseSymbolsParam(env: RestEnv, p: Params): string[] | undefined {
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
export const OCO_PARAMS = [
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

export function parseLeg(p: Params, prefix: 'above' | 'below', quotePrecision: number): OcoInput['above'] {
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

export function listRef(p: Params): OrderListRef {
  const orderListId = p.int('orderListId');
  const listClientOrderId = p.str('listClientOrderId') ?? p.str('origClientOrderId');
  if (orderListId === undefined && listClientOrderId === undefined)
    throw Errors.eitherParam('orderListId', 'listClientOrderId');
  return { orderListId, listClientOrderId };
}
