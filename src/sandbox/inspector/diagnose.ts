/**
 * The diagnosis of a failed request: what the exchange knows and Binance does not say. One
 * function per family of error; each names the cause and the fix, with the facts behind them.
 * Called only for failures, so recording a successful request costs no diagnosis.
 */
import { existsSync } from 'node:fs';
import { API_KEY_FORMAT, type ApiKeyRecord, type KeyStore } from '../auth';
import { ceilToStep, dec, div, Dec, floorToStep, fmt, isMultipleOf, mul, tryParseDec } from '../decimal';
import type { Engine } from '../engine';
import type { ApiError } from '../errors';
import type { KeyOwnership } from './keyOwnership';
import type { Diagnosis } from './record';
import { maskKey } from './redact';
import { orderRateLimit, rateLimit, type Traffic } from './limitDiagnosis';
import { diagnoseOrderLookup } from './orderLookupDiagnosis';
import { diagnoseParameter, diagnoseUnread } from './parameterDiagnosis';
import { diagnoseRejection } from './rejectionDiagnosis';
import { diagnoseRestSignature, diagnoseWsSignature } from './signatureDiagnosis';

/** What a diagnosis may look at: the request as received, the sandbox's keys, engine and clock. */
export interface FailedRequest {
  error: ApiError;
  params: ReadonlyMap<string, string>;
  apiKey: string | undefined;
  keys: KeyStore;
  keyOwnership?: KeyOwnership;
  engine: Engine;
  serverTime: number;
  /** For -1003: this IP's request weight this minute and the endpoints it went to. */
  traffic?: Traffic;
  /** The query string and body without the signature pair, and the signature if it came last. */
  rest?: { rawQuery: string; rawBody: string; signature?: string; contentType?: string };
  ws?: { params: Record<string, unknown> };
}

export function diagnose(request: FailedRequest): Diagnosis | undefined {
  const { error } = request;
  // The key the request named, if this sandbox has it: most diagnoses start from its account.
  const key = request.apiKey === undefined ? undefined : request.keys.get(request.apiKey);
  // Whatever the error, a JSON body is its cause: nothing in it was read as a parameter.
  if (request.rest?.contentType?.toLowerCase().includes('application/json'))
    return {
      cause:
        'The body is JSON; the Spot REST API reads application/x-www-form-urlencoded parameters, so none of it was read.',
      fix: 'Send the parameters as a query string or a form-encoded body (name=value&…), and sign exactly those bytes.',
    };
  switch (error.code) {
    case -1022:
      return signature(request, key);
    case -1021:
      return clock(request);
    case -2014:
      return keyFormat(request.apiKey);
    case -2015:
      return key ? undefined : unknownKey(request); // a known key: a permission, not the key
    case -1104:
      return diagnoseUnread(error);
    case -1101:
      return {
        cause: 'A parameter was sent twice in the query string or twice in the body.',
        fix: 'Send each parameter once; when it is in both the query and the body, the query string wins.',
        details: { parameters: [...request.params.keys()].join(', ') },
      };
    case -1102:
    case -1106:
    case -1111:
      return diagnoseParameter(request);
    case -1003:
      return rateLimit(request.error, request.traffic, request.serverTime);
    case -1015:
      return orderRateLimit(request.error);
    case -2010:
      return diagnoseRejection({ ...request, accountId: key?.accountId });
    case -2011:
      return diagnoseOrderLookup({ ...request, accountId: key?.accountId, action: 'cancel' });
    case -2013:
      return diagnoseOrderLookup({ ...request, accountId: key?.accountId, action: 'query' });
    default:
      return error.message.startsWith('Filter failure: ') ? filter(request) : undefined;
  }
}

function signature(request: FailedRequest, record: ApiKeyRecord | undefined): Diagnosis | undefined {
  if (!record) return undefined;
  if (request.rest) {
    const { rawQuery, rawBody } = request.rest;
    if (request.rest.signature === undefined)
      return {
        cause: 'The signature was not the last parameter.',
        fix: 'Append &signature=… after every other parameter.',
      };
    return diagnoseRestSignature(record, request.rest.signature, rawQuery, rawBody);
  }
  return request.ws ? diagnoseWsSignature(record, request.ws.params) : undefined;
}

function clock(request: FailedRequest): Diagnosis {
  const timestamp = Number(request.params.get('timestamp'));
  const recvWindow = Number(request.params.get('recvWindow') ?? 5000);
  if (timestamp > 0 && timestamp < 1e11)
    return {
      cause: `The timestamp ${timestamp} is in seconds; Binance wants milliseconds since the epoch (the sandbox's clock reads ${request.serverTime}).`,
      fix: 'Send milliseconds: Date.now() in JavaScript, int(time.time() * 1000) in Python (then add your measured clock offset).',
      details: { timestamp, serverTime: request.serverTime },
    };
  const sentMs = timestamp > 1e14 ? timestamp / 1000 : timestamp;
  const skew = Math.round(sentMs - request.serverTime);
  const ahead = skew > 0;
  return {
    cause: ahead
      ? `The request's timestamp is ${skew} ms ahead of the sandbox's clock (at most 1000 ms is accepted).`
      : `The request's timestamp is ${-skew} ms behind the sandbox's clock, more than its recvWindow of ${recvWindow} ms.`,
    fix: 'Measure the offset once (serverTime from GET /api/v3/time minus your local time, halfway through the round trip) and add it to every timestamp; raise recvWindow (at most 60000) only for slow networks.',
    details: { clockSkewMs: skew, recvWindowMs: recvWindow, serverTime: request.serverTime },
  };
}

function keyFormat(apiKey: string | undefined): Diagnosis {
  if (apiKey === undefined || apiKey === '')
    return {
      cause: 'No API key was sent (the X-MBX-APIKEY header, or apiKey on the WebSocket API).',
      fix: 'Send the API key of the key pair that signed the request.',
    };
  return {
    cause: `The API key is malformed: ${apiKey.length} characters${API_KEY_FORMAT.test(apiKey) ? '' : ', not only letters and digits'} (a sandbox key is 64 letters and digits).`,
    fix: 'Copy the whole key, without spaces, quotes or a line break (a .env value is often the culprit).',
    details: { apiKey: maskKey(apiKey), length: apiKey.length },
  };
}

function unknownKey(request: FailedRequest): Diagnosis | undefined {
  const { apiKey, keyOwnership } = request;
  if (apiKey === undefined) return undefined;
  const details = { apiKey: maskKey(apiKey) };
  const owner = keyOwnership?.ownerOf(apiKey);
  if (owner !== undefined && owner === keyOwnership?.dataDir)
    return {
      cause: `This key was made in this sandbox's data folder (${owner}) and is gone: its state was reset or replaced by an import since.`,
      fix: "Create the account again (or import the state that had it), or use this sandbox's keys from keys.json in its data folder.",
      details,
    };
  if (owner !== undefined)
    return {
      cause: `This key belongs to the sandbox data folder ${owner}${existsSync(owner) ? '' : ' (which no longer exists)'}, not to this sandbox (${keyOwnership?.dataDir === 'in-memory' ? 'which runs in memory' : `data folder ${keyOwnership?.dataDir}`}).`,
      fix: `Point the bot at the sandbox that runs on ${owner} (start it with --data ${owner}), or use this sandbox's keys from keys.json in its own data folder.`,
      details: { ...details, keyDataFolder: owner },
    };
  return {
    cause:
      'This sandbox has no such API key (a Spot Testnet or Live key, or one of a sandbox data folder this machine has not seen).',
    fix: "Use this sandbox's keys: the JSON line it printed, or keys.json in its data folder (Copy Environment Settings in VS Code).",
    details,
  };
}

/** PRICE_FILTER, LOT_SIZE, NOTIONAL, …: the rule, the value sent, the nearest valid one. */
function filter(request: FailedRequest): Diagnosis | undefined {
  const name = request.error.message.slice('Filter failure: '.length);
  const symbol = request.params.get('symbol');
  if (!symbol || !request.engine.hasSymbol(symbol)) return undefined;
  const config = request.engine.symbolConfig(symbol);
  const price = tryParseDec(request.params.get('price') ?? '');
  const quantity = tryParseDec(request.params.get('quantity') ?? '');
  const tick = dec(config.tickSize);
  const step = dec(config.stepSize);
  switch (name) {
    case 'PRICE_FILTER': {
      if (price === undefined) break;
      const min = dec(config.minPrice);
      const below = floorToStep(price - min, tick) + min;
      const above = ceilToStep(price - min, tick) + min;
      const nearest = price < min ? min : isMultipleOf(price - min, tick) ? price : below;
      return {
        cause: `price ${fmt(price)} is not on the ${symbol} price grid (tickSize ${config.tickSize}, from ${config.minPrice} to ${config.maxPrice}).`,
        fix: `Round the price to the tick: ${fmt(nearest)}${below !== above ? ` or ${fmt(above)}` : ''}.`,
        details: { filter: name, price: fmt(price), tickSize: config.tickSize, nearestValid: fmt(nearest) },
      };
    }
    case 'LOT_SIZE': {
      if (quantity === undefined) break;
      const min = dec(config.minQty);
      const nearest = quantity < min ? min : floorToStep(quantity - min, step) + min;
      return {
        cause: `quantity ${fmt(quantity)} breaks LOT_SIZE (stepSize ${config.stepSize}, from ${config.minQty} to ${config.maxQty}).`,
        fix: `Round the quantity down to the step: ${fmt(nearest)}.`,
        details: { filter: name, quantity: fmt(quantity), stepSize: config.stepSize, nearestValid: fmt(nearest) },
      };
    }
    case 'NOTIONAL':
    case 'MIN_NOTIONAL': {
      const at = price ?? request.engine.lastPrice(symbol);
      if (quantity === undefined || at <= 0n) break;
      const minNotional = dec(config.minNotional);
      const smallest: Dec = ceilToStep(div(minNotional, at), step);
      return {
        cause: `The order is worth ${fmt(mul(at, quantity))} ${config.quoteAsset}; ${symbol} needs at least ${config.minNotional}.`,
        fix: `Raise the quantity to at least ${fmt(smallest)} at ${fmt(at)} (or raise the price).`,
        details: {
          filter: name,
          notional: fmt(mul(at, quantity)),
          minNotional: config.minNotional,
          smallestQuantity: fmt(smallest),
        },
      };
    }
  }
  return {
    cause: `The order breaks ${symbol}'s ${name} filter.`,
    fix: `Check the order against ${name} in GET /api/v3/exchangeInfo?symbol=${symbol}.`,
    details: { filter: name },
  };
}
