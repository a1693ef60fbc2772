/**
 * -2010, the order the exchange would not take: short of balance (how much was needed, what was
 * free and what open orders hold), a LIMIT_MAKER that would take, a stop already past its trigger.
 */
import { dec, div, floorToStep, fmt, ZERO } from '../decimal';
import type { Engine } from '../engine';
import type { ApiError } from '../errors';
import type { Diagnosis } from './record';

export interface Rejection {
  error: ApiError;
  params: ReadonlyMap<string, string>;
  /** The account of the key the request named, if this sandbox has the key. */
  accountId: number | undefined;
  engine: Engine;
}

export function diagnoseRejection(request: Rejection): Diagnosis | undefined {
  const { error } = request;
  if (error.facts?.asset !== undefined) return insufficientBalance(request, error.facts);
  const symbol = request.params.get('symbol') ?? '';
  if (!request.engine.hasSymbol(symbol)) return undefined;
  if (error.message === 'Order would immediately match and take.') {
    const top = request.engine.bookTop(symbol);
    const buy = request.params.get('side') === 'BUY';
    const opposite = buy ? top.askPrice : top.bidPrice;
    return {
      cause: `A LIMIT_MAKER ${buy ? 'BUY' : 'SELL'} at ${request.params.get('price')} would trade at once against the best ${buy ? 'ask' : 'bid'} (${fmt(opposite)}); a maker-only order must rest on the book.`,
      fix: `Price it ${buy ? 'below the best ask' : 'above the best bid'}, or send a LIMIT order if taking is fine.`,
      details: { bestOpposite: fmt(opposite) },
    };
  }
  if (error.message === 'Order would trigger immediately.') {
    const last = request.engine.lastPrice(symbol);
    return {
      cause: `stopPrice ${request.params.get('stopPrice')} is already reached: ${symbol} last traded at ${fmt(last)}.`,
      fix: 'Put the stop on the side the price has not reached yet (above the last price for a BUY stop-loss, below it for a SELL), or send a LIMIT or MARKET order.',
      details: { lastPrice: fmt(last) },
    };
  }
  return undefined;
}

function insufficientBalance(request: Rejection, facts: Record<string, string>): Diagnosis {
  const { asset } = facts;
  const required = dec(facts.required);
  const free = dec(facts.free);
  const locked = dec(facts.locked);
  const { accountId } = request;
  const holding = accountId === undefined ? 0 : openOrdersLocking(request.engine, accountId, asset);
  const held = locked > ZERO ? ` and ${fmt(locked)} locked in ${holding} open order${holding === 1 ? '' : 's'}` : '';
  const sellingGross = request.params.get('side') === 'SELL' && required > free && required - free <= required / 500n;
  const fix = sellingGross
    ? `The fee of the buy was probably taken from ${asset}: sell the quantity received net of the fee (${fmt(free)} is free), rounded down to the step.`
    : free + locked >= required
      ? `Cancel open orders that hold ${asset} (or wait for them to fill), or lower the quantity${smallerQuantity(request, free)}.`
      : `Lower the quantity${smallerQuantity(request, free)}, or add ${asset} (in the sandbox: POST /sandbox/v1/deposit).`;
  return {
    cause: `The order needs ${fmt(required)} ${asset}; the account has ${fmt(free)} free${held}.`,
    fix,
    details: { asset, required: fmt(required), free: fmt(free), locked: fmt(locked), openOrdersHolding: holding },
  };
}

/** ", to at most Q": the largest quantity the free balance covers, for a priced order. */
function smallerQuantity(request: Rejection, free: bigint): string {
  const symbol = request.params.get('symbol') ?? '';
  if (!request.engine.hasSymbol(symbol)) return '';
  const config = request.engine.symbolConfig(symbol);
  const step = dec(config.stepSize);
  const price = request.params.get('price');
  const buy = request.params.get('side') === 'BUY';
  if (buy && price === undefined) return '';
  const most = floorToStep(buy ? div(free, dec(price!)) : free, step);
  return most > ZERO ? ` to at most ${fmt(most)}` : '';
}

function openOrdersLocking(engine: Engine, accountId: number, asset: string): number {
  let count = 0;
  for (const order of engine.openOrders(accountId)) {
    const config = engine.symbolConfig(order.symbol);
    if ((order.side === 'BUY' ? config.quoteAsset : config.baseAsset) === asset && order.locked > ZERO) count++;
  }
  return count;
}
