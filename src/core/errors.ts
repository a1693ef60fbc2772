import { CredentialError } from './credentials';
import { DecimalError } from './decimal';
import { percentEncode } from './encoding';
import { EnvironmentError } from './environments';
import { ClientOrderIdError } from './orderIds';
import { maskApiKey, redactUrl } from './redact';
import { EnvironmentMismatchError, SignerError } from './signer';
import { TransportError } from './transport';

/**
 * The error catalogue: what the Spot API's error codes mean for a person at the keyboard, and the
 * error classes the client throws. Every message that leaves this module has been scrubbed of
 * API keys, signatures and other long secret-looking tokens (a server message may echo a parameter).
 */

const SENSITIVE_ASSIGNMENT =
  /\b(signature|apikey|api_key|secret|secretkey|secret_key|privatekey|private_key|x-mbx-apikey)(["']?\s*[=:]\s*["']?)([^&\s"',;)]+)/gi;
/** 32+ characters from the alphabets keys and signatures use (hex, base62, base64, percent-encoded base64). */
const LONG_TOKEN = /[A-Za-z0-9+/=%]{32,}/g;

/** Answers meaning "this key does not work here": bad key format, refused key, bad signature. */
export const KEY_REFUSED_CODES: ReadonlySet<number> = new Set([-2014, -2015, -1022]);

/**
 * Removes from `text`: the query of any URL (redact.ts), the given API keys (shown masked, as
 * "vmPU…Eh8A", so the user can still tell keys apart), other known sensitive values such as a
 * signature (and their percent-encoded forms), `signature=…`-style assignments and any long
 * key-like token.
 */
export function scrubSensitive(
  text: string,
  sensitive: readonly (string | undefined)[] = [],
  apiKeys: readonly (string | undefined)[] = [],
): string {
  let out = text.replace(/\bhttps?:\/\/[^\s"'<>]+/g, (url) => redactUrl(url));
  const replaceAll = (value: string | undefined, by: string): void => {
    if (!value || value.length < 6) return;
    for (const form of new Set([value, percentEncode(value), encodeURIComponent(value)]))
      out = out.split(form).join(by);
  };
  for (const key of apiKeys) replaceAll(key, key ? maskApiKey(key) : '');
  for (const value of sensitive) replaceAll(value, '<redacted>');
  out = out.replace(SENSITIVE_ASSIGNMENT, (_m, name: string, sep: string) => `${name}${sep}<redacted>`);
  return out.replace(LONG_TOKEN, '<redacted>');
}

export interface ClockResyncInfo {
  /** A re-sync with GET /api/v3/time was done after the -1021. */
  happened: boolean;
  /** The request was retried after the re-sync (signed reads only). */
  retried?: boolean;
  /** The offset measured by the re-sync, in ms (server minus local). */
  offsetMs?: number;
}

export interface ErrorContext {
  /** "Spot Testnet", "Local sandbox (4001)", … */
  environmentLabel?: string;
  clockResync?: ClockResyncInfo;
  /** The failed request was an order placement (POST /api/v3/order). */
  isOrder?: boolean;
  recvWindow?: number;
}

export interface BinanceApiErrorInit {
  code: number;
  httpStatus: number;
  binanceMessage: string;
  hint?: string;
  retryAfterSeconds?: number;
  filter?: string;
}

/** The API answered with an error ({code, msg}) or an error status. */
export class BinanceApiError extends Error {
  override readonly name = 'BinanceApiError';
  /** Binance's code (negative), or 0 when the body had none (e.g. an HTML 502 page). */
  readonly code: number;
  readonly httpStatus: number;
  /** The server's msg, scrubbed. */
  readonly binanceMessage: string;
  /** What it means and what to do, in words. */
  readonly hint: string;
  readonly retryAfterSeconds?: number;
  /** For -1013 "Filter failure: X": the filter name X. */
  readonly filter?: string;

  constructor(init: BinanceApiErrorInit) {
    const binanceMessage = scrubSensitive(init.binanceMessage);
    super(`Binance error ${init.code} (HTTP ${init.httpStatus}): ${binanceMessage}`);
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.binanceMessage = binanceMessage;
    this.hint = scrubSensitive(init.hint ?? '');
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
    if (init.filter !== undefined) this.filter = init.filter;
  }

  /** The request was rejected before it could have had an effect (safe to correct and resend). */
  get definitelyRejected(): boolean {
    return this.httpStatus >= 400 && this.httpStatus < 500 && this.code !== -1006 && this.code !== -1007;
  }
}

/** Builds a BinanceApiError from an HTTP error response, with the hint for its code. */
export function apiErrorFromResponse(response: {
  httpStatus: number;
  bodyText: string;
  retryAfterSeconds?: number;
  /** Values to scrub from the server's message (the signature of the request). */
  sensitive?: readonly (string | undefined)[];
  /** API keys to show masked if the server's message echoes them. */
  apiKeys?: readonly (string | undefined)[];
  context?: ErrorContext;
}): BinanceApiError {
  const parsed = parseErrorBody(response.bodyText);
  const code = parsed?.code ?? 0;
  const rawMessage =
    parsed?.msg ??
    (response.bodyText.trim()
      ? `HTTP ${response.httpStatus} with a non-JSON body`
      : `HTTP ${response.httpStatus} with an empty body`);
  const binanceMessage = scrubSensitive(rawMessage, response.sensitive, response.apiKeys);
  const filter = code === -1013 ? filterFromMessage(binanceMessage) : undefined;
  return new BinanceApiError({
    code,
    httpStatus: response.httpStatus,
    binanceMessage,
    retryAfterSeconds: response.retryAfterSeconds,
    filter,
    hint: hintFor(
      {
        code,
        httpStatus: response.httpStatus,
        message: binanceMessage,
        retryAfterSeconds: response.retryAfterSeconds,
        filter,
      },
      response.context,
    ),
  });
}

export function parseErrorBody(bodyText: string): { code: number; msg: string } | undefined {
  try {
    const body = JSON.parse(bodyText) as unknown;
    if (typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'number') {
      const msg = (body as { msg?: unknown }).msg;
      return { code: (body as { code: number }).code, msg: typeof msg === 'string' ? msg : '' };
    }
  } catch {
    // Not JSON: an HTML error page from a proxy or a dropped body.
  }
  return undefined;
}

/** "Filter failure: LOT_SIZE" → "LOT_SIZE". */
export function filterFromMessage(message: string): string | undefined {
  return /Filter failure:\s*([A-Z_]+)/.exec(message)?.[1];
}

const FILTER_MEANING: Record<string, string> = {
  PRICE_FILTER: 'the price (or stop price) is below minPrice, above maxPrice, or not a multiple of tickSize',
  PERCENT_PRICE: 'the price is too far from the average/reference price (outside multiplierDown..multiplierUp)',
  PERCENT_PRICE_BY_SIDE: 'the price is too far from the reference price for this side (bid/ask multipliers)',
  LOT_SIZE: 'the quantity is below minQty, above maxQty, or not a multiple of stepSize',
  MARKET_LOT_SIZE: 'the MARKET order quantity is below minQty, above maxQty, or not a multiple of stepSize',
  MIN_NOTIONAL: 'price × quantity is below the minimum order value (minNotional)',
  NOTIONAL: 'price × quantity is outside the allowed order value (minNotional..maxNotional)',
  ICEBERG_PARTS: 'the iceberg order would be split into too many parts',
  MAX_NUM_ORDERS: 'the symbol already has the maximum number of open orders for this account',
  MAX_NUM_ALGO_ORDERS: 'the symbol already has the maximum number of open stop/take-profit orders',
  MAX_NUM_ICEBERG_ORDERS: 'the symbol already has the maximum number of open iceberg orders',
  MAX_POSITION: 'the order would take the position in the base asset above maxPosition',
  TRAILING_DELTA: 'trailingDelta is outside the allowed range',
  MAX_NUM_ORDER_AMENDS: 'the order was amended too many times',
  MAX_NUM_ORDER_LISTS: 'the symbol already has the maximum number of open order lists',
  EXCHANGE_MAX_NUM_ORDERS: 'the account has the maximum number of open orders on the exchange',
  EXCHANGE_MAX_NUM_ALGO_ORDERS: 'the account has the maximum number of open stop/take-profit orders on the exchange',
  EXCHANGE_MAX_NUM_ICEBERG_ORDERS: 'the account has the maximum number of open iceberg orders on the exchange',
  EXCHANGE_MAX_NUM_ORDER_LISTS: 'the account has the maximum number of open order lists on the exchange',
  MAX_ASSET: 'the order would take an asset above the account limit (see GET /api/v3/myFilters)',
};

const KEYS_NEVER_CROSS =
  'this key may belong to another environment (e.g. a live key used on the testnet, or a testnet key on live); keys never cross environments';

export interface HintInput {
  code: number;
  httpStatus: number;
  message: string;
  retryAfterSeconds?: number;
  filter?: string;
}

/** A human explanation and next step for an API error. */
export function hintFor(error: HintInput, context: ErrorContext = {}): string {
  const env = context.environmentLabel ?? 'this environment';
  const wait =
    error.retryAfterSeconds !== undefined
      ? `Wait ${error.retryAfterSeconds} s (Retry-After) before sending more requests`
      : 'Wait before sending more requests';
  if (error.httpStatus === 418) {
    return `The IP was auto-banned for continuing to send requests after a 429 rate-limit answer. ${wait}; Testnet Desk pauses all requests until then. Bans grow from 2 minutes to 3 days for repeat offenders.`;
  }
  if (error.httpStatus === 429 || error.code === -1003) {
    return `Rate limit reached (request weight or order count). ${wait}; Testnet Desk pauses requests to ${env} until then. Refresh less often or use streams for live updates.`;
  }
  switch (error.code) {
    case -1013: {
      if (error.filter) {
        const meaning = FILTER_MEANING[error.filter] ?? 'the order broke one of the symbol or exchange filters';
        return `The order broke the ${error.filter} filter: ${meaning}. Nothing was placed. Compare the order with the symbol's filters (exchangeInfo) and correct it.`;
      }
      return "The request was rejected before it reached the matching engine (nothing was placed). Check the order values against the symbol's filters.";
    }
    case -1021: {
      const sync = context.clockResync;
      const base = `The request's timestamp was outside the server's window (recvWindow ${context.recvWindow ?? 5000} ms, at most 1 s ahead): your computer's clock differs from the server's.`;
      if (!sync?.happened) {
        return `${base} No clock re-sync was done for this request; enable automatic time sync on your computer and try again.`;
      }
      const offset = sync.offsetMs !== undefined ? ` (measured offset ${sync.offsetMs} ms)` : '';
      if (sync.retried) {
        return `${base} The clock was re-synced${offset} and the request retried once, but it failed again, so the re-sync did not fix it. Enable automatic time sync (NTP) on your computer, check the network delay, or raise recvWindow (max 60000).`;
      }
      if (context.isOrder) {
        return `${base} The order was rejected before the matching engine, so nothing was placed. The clock has been re-synced${offset}; orders are never re-sent automatically, so place it again if you still want it.`;
      }
      return `${base} The clock has been re-synced${offset}; try again.`;
    }
    case -1022:
      return (
        'The signature was not accepted. Usually the secret or private key does not belong to this API key (paste the matching pair, created for ' +
        `${env}). Otherwise the payload was signed differently from how it was sent: REST payloads must be percent-encoded before signing (rule in force on the testnet since 2025-12-17 and on live since 2026-01-15).`
      );
    case -2010:
      return newOrderRejectedHint(error.message);
    case -2011:
      return 'The cancel was rejected: the order is unknown, or it is already filled, canceled or expired. Refresh the open orders.';
    case -2013:
      return `The order does not exist on ${env}: check the symbol and the order id / client order id (ids from another environment or a reset testnet are not found; old canceled orders are archived).`;
    case -2014:
      return 'The API key format is invalid: it is truncated or contains stray characters. Paste the API key again, exactly as Binance shows it.';
    case -2015:
      return `The API key was refused on ${env} (invalid key, IP not allowed, or missing permission): ${KEYS_NEVER_CROSS}. Also check the key is enabled for Spot trading and any IP restriction.`;
    case -1121:
      return `The symbol does not exist on ${env}. The Spot Testnet lists fewer symbols than live; pick one from exchangeInfo.`;
    case -1102:
      return 'A mandatory parameter was missing, empty or malformed. LIMIT needs timeInForce, quantity and price; MARKET needs quantity or quoteOrderQty; LIMIT_MAKER needs quantity and price; a query or cancel needs orderId or origClientOrderId.';
    case -1111:
      return 'A price or quantity has more decimal places than the symbol allows. Round the price to tickSize and the quantity to stepSize.';
    case -1100:
      return 'A parameter contains characters that are not allowed (decimals must be plain digits such as 0.001).';
    case -1015:
      return `Too many new orders in the current interval. ${wait}.`;
    case -1006:
    case -1007:
      return context.isOrder
        ? 'The server did not confirm the outcome: the order may or may not have been placed. Check the open orders and order history before trying again.'
        : 'The server did not answer in time; the execution status is unknown. Try again shortly.';
    case -1008:
      return 'The server is overloaded. Try again in a few minutes.';
    case -1000:
      return 'The server reported an unknown error. Try again; if it persists, check the exchange status.';
    default:
      if (error.httpStatus >= 500) {
        return context.isOrder
          ? 'Server error: the outcome is unknown and the order could have been placed. Check the open orders and order history before trying again.'
          : 'Server error on the exchange side. Try again shortly.';
      }
      if (error.httpStatus === 403) return 'The request was blocked by the exchange firewall (WAF).';
      return '';
  }
}

function newOrderRejectedHint(message: string): string {
  const m = message.toLowerCase();
  if (m.includes('insufficient balance'))
    return 'The free balance is too low for this order (funds locked in open orders do not count). Lower the quantity or cancel other orders.';
  if (m.includes('duplicate order'))
    return 'An open order already uses this client order id. Use a new client order id.';
  if (m.includes('immediately match'))
    return 'A LIMIT_MAKER (post-only) order would have traded immediately as a taker. Move the price away from the market.';
  if (m.includes('would trigger immediately'))
    return 'The stop price would trigger immediately. Put the stop on the other side of the current price.';
  if (m.includes('market is closed')) return 'The symbol is not trading right now.';
  if (m.includes('not supported for this symbol') || m.includes('not support for this symbol'))
    return 'This order type is not allowed for the symbol (see orderTypes in exchangeInfo).';
  if (m.includes('trading is not enabled'))
    return 'Trading is not enabled for this API key. Enable Spot trading for the key where it was created.';
  return 'The matching engine rejected the new order; the message says why. Nothing was placed.';
}

/**
 * Placement or cancellation whose outcome could not be established (the request may or may not
 * have taken effect). The user must check the order list before retrying.
 */
export class OrderOutcomeUnknownError extends Error {
  override readonly name = 'OrderOutcomeUnknownError';
  constructor(
    readonly operation: 'place' | 'cancel',
    readonly symbol: string,
    readonly reason: string,
    readonly ref: { clientOrderId?: string; orderId?: number } = {},
  ) {
    const id = ref.clientOrderId ?? (ref.orderId !== undefined ? String(ref.orderId) : '');
    super(
      scrubSensitive(
        `The ${operation === 'place' ? 'placement' : 'cancellation'} of ${symbol} order ${id} has an unknown outcome: ${reason}. ` +
          'Check the open orders and order history before trying again.',
      ),
    );
  }
}

/** A signed call with no credential configured for the client's environment. Nothing was sent. */
export class NoCredentialError extends Error {
  override readonly name = 'NoCredentialError';
  constructor(
    readonly environmentLabel: string,
    keyManagementUrl?: string,
  ) {
    super(
      `No API key for ${environmentLabel}. Add one with "Binance: Add API Key…"` +
        (keyManagementUrl ? ` (create it at ${keyManagementUrl}).` : '.') +
        ' Nothing was sent.',
    );
  }
}

/** Refusal while a 429/418 Retry-After is running. Nothing was sent. */
export class RateLimitBackoffError extends Error {
  override readonly name = 'RateLimitBackoffError';
  constructor(
    readonly environmentLabel: string,
    readonly retryAfterSeconds: number,
    readonly untilMs: number,
  ) {
    super(
      `Requests to ${environmentLabel} are paused for ${retryAfterSeconds} more s after a rate-limit answer (Retry-After). Nothing was sent.`,
    );
  }
}

/** Invalid arguments to a client call, found before any I/O. */
export class ClientUsageError extends Error {
  override readonly name = 'ClientUsageError';
}

export interface ErrorDescription {
  message: string;
  hint: string;
}

/** What the UI shows for any error: a scrubbed one-line message and a next step. */
export function describeError(error: unknown): ErrorDescription {
  const d = describeRaw(error);
  return { message: scrubSensitive(d.message), hint: scrubSensitive(d.hint) };
}

function describeRaw(error: unknown): ErrorDescription {
  if (error instanceof BinanceApiError) return { message: error.message, hint: error.hint };
  if (error instanceof EnvironmentMismatchError) {
    return {
      message: error.message,
      hint: `Keys never cross environments: a ${error.credentialEnvironment.label} key only works on ${error.credentialEnvironment.label}.`,
    };
  }
  if (error instanceof NoCredentialError)
    return { message: error.message, hint: `Add a key created for ${error.environmentLabel}, or switch environment.` };
  if (error instanceof RateLimitBackoffError)
    return { message: error.message, hint: 'Testnet Desk resumes automatically when the wait is over.' };
  if (error instanceof OrderOutcomeUnknownError)
    return {
      message: error.message,
      hint: 'Open the order list and refresh; do not place the order again until you know whether it exists.',
    };
  if (error instanceof TransportError) {
    const hints = {
      timeout:
        'The server did not answer in time. Check the connection; for an order, check the order list before retrying.',
      network: 'Could not reach the server. Check the network connection.',
      aborted: 'The request was cancelled.',
    } as const;
    return { message: error.message, hint: hints[error.kind] };
  }
  if (error instanceof CredentialError) return { message: error.message, hint: 'Fix the key details and save again.' };
  if (error instanceof DecimalError) return { message: error.message, hint: 'Enter plain decimal digits, e.g. 0.001.' };
  if (error instanceof ClientOrderIdError)
    return { message: error.message, hint: 'Leave the client order id empty to have one generated.' };
  if (error instanceof ClientUsageError || error instanceof SignerError || error instanceof EnvironmentError)
    return { message: error.message, hint: '' };
  if (error instanceof Error) return { message: error.message || error.name, hint: '' };
  return { message: String(error), hint: '' };
}

/** The same API error with its hint recomputed for a new context (e.g. after a clock re-sync). */
export function withContext(error: BinanceApiError, context: ErrorContext): BinanceApiError {
  return new BinanceApiError({
    code: error.code,
    httpStatus: error.httpStatus,
    binanceMessage: error.binanceMessage,
    retryAfterSeconds: error.retryAfterSeconds,
    filter: error.filter,
    hint: hintFor(
      {
        code: error.code,
        httpStatus: error.httpStatus,
        message: error.binanceMessage,
        retryAfterSeconds: error.retryAfterSeconds,
        filter: error.filter,
      },
      context,
    ),
  });
}
