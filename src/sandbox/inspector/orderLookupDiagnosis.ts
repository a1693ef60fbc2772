/**
 * -2011 (cancel) and -2013 (query): the order the request named, looked up in the account's whole
 * history: already filled, canceled or expired (and when), on another symbol, or not this account's.
 */
import type { Engine } from '../engine';
import type { Diagnosis } from './record';

export interface OrderLookup {
  params: ReadonlyMap<string, string>;
  /** The account of the key the request named, if this sandbox has the key. */
  accountId: number | undefined;
  engine: Engine;
  /** "cancel" for -2011, "query" for -2013. */
  action: 'cancel' | 'query';
}

export function diagnoseOrderLookup(request: OrderLookup): Diagnosis | undefined {
  const { accountId } = request;
  const symbol = request.params.get('symbol') ?? '';
  const orderId = request.params.get('orderId');
  const clientId = request.params.get('origClientOrderId');
  if (accountId === undefined || !request.engine.hasSymbol(symbol) || (orderId === undefined && clientId === undefined))
    return undefined;
  const ref = { orderId: orderId === undefined ? undefined : Number(orderId), origClientOrderId: clientId };
  const named = orderId !== undefined ? `Order ${orderId}` : `The order with client id '${clientId}'`;
  const here = request.engine.findOrderOrUndefined(accountId, symbol, ref);
  if (here && here.status !== 'NEW' && here.status !== 'PARTIALLY_FILLED')
    return {
      cause: `${named} on ${symbol} is ${here.status} (since ${new Date(here.updateTime).toISOString()}), so there is nothing left to cancel.`,
      fix: 'Cancel only open orders: check the order (GET /api/v3/order) or follow executionReport events, and treat -2011 after a fill as done.',
      details: { status: here.status, updateTime: here.updateTime },
    };
  for (const other of request.engine.symbols()) {
    if (other.symbol === symbol) continue;
    const there = request.engine.findOrderOrUndefined(accountId, other.symbol, ref);
    if (there)
      return {
        cause: `${named} is on ${other.symbol} (${there.status}), not on ${symbol}: order ids are per symbol.`,
        fix: `Send symbol=${other.symbol} with it.`,
        details: { symbol: other.symbol, status: there.status },
      };
  }
  return {
    cause: `This account has no ${orderId !== undefined ? `order ${orderId}` : `order with client id '${clientId}'`} on any symbol (another account's orders are not visible to this key).`,
    fix: `Use the id from this account's own order answer (orderId, or clientOrderId as origClientOrderId) to ${request.action} it.`,
  };
}
