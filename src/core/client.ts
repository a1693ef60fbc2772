import { performance } from 'node:perf_hooks';
import type {
  AccountInfo,
  CommissionRates,
  ExchangeInfo,
  NewOrderParams,
  NewOrderResponse,
  Order,
  OrderBookDepth,
  TickerPrice,
  Trade,
  UsageSnapshot,
} from './api';
import { ClockSync, DEFAULT_RESYNC_INTERVAL_MS, ServerClock } from './clock';
import type { Credential } from './credentials';
import { parseDecimal } from './decimal';
import type { Params } from './encoding';
import { canonicalEnvironment, type Environment } from './environments';
import {
  apiErrorFromResponse,
  BinanceApiError,
  ClientUsageError,
  describeError,
  ErrorContext,
  NoCredentialError,
  OrderOutcomeUnknownError,
  scrubSensitive,
  withContext,
} from './errors';
import type { Kline, KlineInterval, PublicTrade, Ticker24h } from './market/marketEvents';
import { parseRestKlines, parseRestTicker, parseRestTrades } from './market/marketRest';
import { assertValidClientOrderId, DEFAULT_CLIENT_ORDER_ID_PREFIX, generateClientOrderId } from './orderIds';
import { BackoffGate, DEFAULT_RETRY_AFTER_SECONDS, parseRetryAfter, readUsageHeaders } from './rateLimits';
import { assertCredentialFor, HttpMethod, MAX_RECV_WINDOW_MS, PreparedRequest, publicRequest, Signer } from './signer';
import { HttpTransport, TransportError, TransportResponse } from './transport';

/** One line per HTTP exchange, for the output channel. No query, no key, no signature. */
export interface RequestLog {
  method: string;
  path: string;
  status: number | 'error';
  usedWeight?: number;
  latencyMs: number;
  errorCode?: number;
}

export interface SpotClientOptions {
  /** Resolved once, at construction, to the registry's canonical environment (environments.ts). */
  environment: Environment;
  transport: HttpTransport;
  /** Asked at each signed call; the Signer refuses a credential of another environment before any I/O. */
  credential?: () => Credential | undefined;
  /** Default 5000; must be > 0; values above 60000 are clamped to 60000. */
  recvWindow?: number;
  /** Default 10000. */
  timeoutMs?: number;
  /** Local clock (ms since epoch); injectable for tests. */
  now?: () => number;
  onRequest?: (log: RequestLog) => void;
  /** How often the server-time offset is re-measured; default 10 minutes. */
  clockResyncIntervalMs?: number;
  /**
   * Delays before each GET /api/v3/order look-up after an order POST with an unknown outcome.
   * Default [250, 750, 1500].
   */
  reconcileDelaysMs?: readonly number[];
  /** Prefix of generated client order ids; default "td-". */
  clientOrderIdPrefix?: string;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * The 429/418 gate. Pass one shared by every client of the same environment (the VS Code layer
   * rebuilds clients on each settings or environment change): a new client must not resume sending
   * while the Retry-After of an earlier one is still running. Default: a gate of this client alone.
   */
  backoffGate?: BackoffGate;
}

export type PlaceOrderResult =
  | { outcome: 'accepted'; clientOrderId: string; response: NewOrderResponse }
  /** POST outcome unknown (5xx/timeout/dropped), found by origClientOrderId. */
  | { outcome: 'reconciled'; clientOrderId: string; order: Order }
  /** POST outcome unknown, the look-up says -2013: it never reached the book. */
  | { outcome: 'not-placed'; clientOrderId: string; reason: string }
  /** Could not reconcile either; the user must check before retrying. */
  | { outcome: 'unknown'; clientOrderId: string; reason: string };

export type OrderRef = { orderId?: number; origClientOrderId?: string };

export const DEFAULT_RECV_WINDOW_MS = 5000;
export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RECONCILE_DELAYS_MS = [250, 750, 1500];
/** Slack after timestamp + recvWindow before a missing order counts as never placed. */
const RECV_WINDOW_MARGIN_MS = 1000;

type CallKind = 'read' | 'write' | 'order';

/** One signed REST call, as the endpoint methods describe it. */
interface SignedCall {
  method: HttpMethod;
  path: string;
  params: Params;
  /** Only reads are retried after a -1021; `order` also marks the error texts as being about an order. */
  kind: CallKind;
  /** Argument checks, run after the credential check and before anything is sent. */
  validate?: () => void;
  /** Records whether (and with which key and timestamp) the request was handed to the transport. */
  tracker?: SendTracker;
  /** Sign with this key instead of the active one: the look-ups of an order must use the key that placed it. */
  signWith?: Credential;
}

/** Set just before the request is handed to the transport: after that, an error means "outcome unknown". */
interface SendTracker {
  sent: boolean;
  /** The signed `timestamp` of the request (server time), for the recvWindow argument in #reconcile. */
  timestamp?: number;
  /**
   * The key that signed the request. Its look-ups must use the same key: another key (the active one
   * may change meanwhile) can belong to another account, whose "-2013 does not exist" proves nothing.
   */
  credential?: Credential;
}

/**
 * The Spot REST client. Signed calls go through Signer.signRest with this client's environment,
 * public ones through publicRequest; this file never builds a URL. An order POST is sent exactly
 * once: if its outcome is unknown it is looked up by client order id, never re-sent.
 */
export class SpotClient {
  readonly #environment: Environment;
  readonly recvWindow: number;
  readonly timeoutMs: number;
  readonly #transport: HttpTransport;
  readonly #credential: () => Credential | undefined;
  readonly #now: () => number;
  readonly #onRequest: ((log: RequestLog) => void) | undefined;
  readonly #clock: ServerClock;
  readonly #reconcileDelaysMs: readonly number[];
  readonly #clientOrderIdPrefix: string;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #gate: BackoffGate;
  #usage: UsageSnapshot = { usedWeight: {}, orderCount: {} };

  constructor(options: SpotClientOptions) {
    this.#environment = canonicalEnvironment(options.environment);
    this.#transport = options.transport;
    this.#credential = options.credential ?? (() => undefined);
    this.#now = options.now ?? Date.now;
    this.#onRequest = options.onRequest;
    const recvWindow = options.recvWindow ?? DEFAULT_RECV_WINDOW_MS;
    if (typeof recvWindow !== 'number' || !Number.isFinite(recvWindow) || recvWindow <= 0) {
      throw new ClientUsageError(
        `recvWindow must be a positive number of milliseconds (at most ${MAX_RECV_WINDOW_MS}); got ${String(recvWindow)}.`,
      );
    }
    // Whole milliseconds: the payload encoder accepts only safe integers for numeric parameters.
    this.recvWindow = Math.max(1, Math.min(Math.round(recvWindow), MAX_RECV_WINDOW_MS));
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new ClientUsageError(`timeoutMs must be a positive number; got ${timeoutMs}.`);
    this.timeoutMs = timeoutMs;
    this.#gate = options.backoffGate ?? new BackoffGate(this.#now);
    this.#clock = new ServerClock(this.#now, options.clockResyncIntervalMs ?? DEFAULT_RESYNC_INTERVAL_MS);
    this.#reconcileDelaysMs =
      options.reconcileDelaysMs && options.reconcileDelaysMs.length > 0
        ? [...options.reconcileDelaysMs]
        : DEFAULT_RECONCILE_DELAYS_MS;
    this.#clientOrderIdPrefix = options.clientOrderIdPrefix ?? DEFAULT_CLIENT_ORDER_ID_PREFIX;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The registry's canonical environment; every request of this client goes to its hosts or nowhere. */
  get environment(): Environment {
    return this.#environment;
  }

  /** Rate-limit usage from the X-MBX-USED-WEIGHT-* / X-MBX-ORDER-COUNT-* headers seen so far (a copy). */
  get usage(): UsageSnapshot {
    return { usedWeight: { ...this.#usage.usedWeight }, orderCount: { ...this.#usage.orderCount } };
  }

  /** Server time offset (server − local, ms) from the last sync; 0 before the first. */
  get clockOffsetMs(): number {
    return this.#clock.offsetMs;
  }

  /** Epoch ms until which requests are refused after a 429/418; 0 when not backing off. */
  get backoffUntil(): number {
    return this.#gate.until;
  }

  // ---- public endpoints ----------------------------------------------------------------------

  async ping(): Promise<void> {
    await this.#publicGet<unknown>('/api/v3/ping');
  }

  async serverTime(): Promise<number> {
    const body = await this.#publicGet<{ serverTime: number }>('/api/v3/time');
    if (typeof body?.serverTime !== 'number')
      throw new BinanceApiError({ code: 0, httpStatus: 200, binanceMessage: 'The time response had no serverTime.' });
    return body.serverTime;
  }

  /** Measures the server clock offset with GET /api/v3/time (offset = serverTime − (tSend+tRecv)/2). */
  syncClock(): Promise<ClockSync> {
    return this.#clock.sync(() => this.serverTime());
  }

  async exchangeInfo(filter: { symbol?: string; symbols?: string[] } = {}): Promise<ExchangeInfo> {
    if (filter.symbol && filter.symbols) throw new ClientUsageError('exchangeInfo takes symbol or symbols, not both.');
    const params: Record<string, string> = {};
    if (filter.symbol) params.symbol = filter.symbol;
    if (filter.symbols && filter.symbols.length > 0) params.symbols = JSON.stringify(filter.symbols);
    return this.#publicGet<ExchangeInfo>('/api/v3/exchangeInfo', params);
  }

  async tickerPrices(symbols?: string[]): Promise<TickerPrice[]> {
    if (symbols && symbols.length === 1) {
      return [await this.#publicGet<TickerPrice>('/api/v3/ticker/price', { symbol: symbols[0] })];
    }
    const params = symbols && symbols.length > 1 ? { symbols: JSON.stringify(symbols) } : {};
    return this.#publicGet<TickerPrice[]>('/api/v3/ticker/price', params);
  }

  /** Order book snapshot for a local book (weight 5 up to 100 levels, 25 to 500, 50 to 1000, 250 to 5000). */
  async depth(symbol: string, limit = 1000): Promise<OrderBookDepth> {
    requireSymbol(symbol);
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= 5000))
      throw new ClientUsageError('depth limit must be an integer from 1 to 5000.');
    return this.#publicGet<OrderBookDepth>('/api/v3/depth', { symbol, limit });
  }

  /** Candles, oldest first (weight 2); the last one is open while its interval runs. */
  async klines(
    symbol: string,
    interval: KlineInterval,
    options: { limit?: number; startTime?: number; endTime?: number } = {},
  ): Promise<Kline[]> {
    requireSymbol(symbol);
    checkLimit(options.limit);
    const rows = await this.#publicGet<unknown>('/api/v3/klines', {
      symbol,
      interval,
      ...pick(options, ['startTime', 'endTime', 'limit']),
    });
    return parseRestKlines(rows, symbol, interval, this.#now() + this.#clock.offsetMs);
  }

  /** The latest public trades, oldest first (weight 25). */
  async recentTrades(symbol: string, limit = 500): Promise<PublicTrade[]> {
    requireSymbol(symbol);
    checkLimit(limit);
    return parseRestTrades(await this.#publicGet<unknown>('/api/v3/trades', { symbol, limit }), symbol);
  }

  /** 24 h rolling statistics of one symbol (weight 2). */
  async ticker24h(symbol: string): Promise<Ticker24h> {
    requireSymbol(symbol);
    return parseRestTicker(await this.#publicGet<unknown>('/api/v3/ticker/24hr', { symbol }));
  }

  // ---- signed reads --------------------------------------------------------------------------

  account(options: { omitZeroBalances?: boolean } = {}): Promise<AccountInfo> {
    return this.#signedCall<AccountInfo>({
      method: 'GET',
      path: '/api/v3/account',
      params: options.omitZeroBalances ? { omitZeroBalances: true } : {},
      kind: 'read',
    });
  }

  openOrders(symbol?: string): Promise<Order[]> {
    return this.#signedCall<Order[]>({
      method: 'GET',
      path: '/api/v3/openOrders',
      params: symbol ? { symbol } : {},
      kind: 'read',
    });
  }

  allOrders(
    symbol: string,
    options: { limit?: number; orderId?: number; startTime?: number; endTime?: number } = {},
  ): Promise<Order[]> {
    return this.#signedCall<Order[]>({
      method: 'GET',
      path: '/api/v3/allOrders',
      params: { symbol, ...pick(options, ['orderId', 'startTime', 'endTime', 'limit']) },
      kind: 'read',
      validate: () => {
        checkLimit(options.limit);
        requireSymbol(symbol);
      },
    });
  }

  myTrades(
    symbol: string,
    options: { limit?: number; orderId?: number; fromId?: number; startTime?: number; endTime?: number } = {},
  ): Promise<Trade[]> {
    return this.#signedCall<Trade[]>({
      method: 'GET',
      path: '/api/v3/myTrades',
      params: { symbol, ...pick(options, ['orderId', 'fromId', 'startTime', 'endTime', 'limit']) },
      kind: 'read',
      validate: () => {
        checkLimit(options.limit);
        requireSymbol(symbol);
      },
    });
  }

  /** The account's commission rates on one symbol (GET /api/v3/account/commission, weight 20). */
  commissionRates(symbol: string): Promise<CommissionRates> {
    return this.#signedCall<CommissionRates>({
      method: 'GET',
      path: '/api/v3/account/commission',
      params: { symbol },
      kind: 'read',
      validate: () => requireSymbol(symbol),
    });
  }

  getOrder(symbol: string, ref: OrderRef): Promise<Order> {
    return this.#signedCall<Order>({
      method: 'GET',
      path: '/api/v3/order',
      params: { symbol, ...refParams(ref) },
      kind: 'read',
      validate: () => {
        requireSymbol(symbol);
        requireRef(ref);
      },
    });
  }

  // ---- trading -------------------------------------------------------------------------------

  /**
   * Places an order exactly once. On 5xx, timeout, dropped connection or -1006/-1007 the outcome
   * is unknown: the order is looked up by its client order id (a few short-delay attempts) and the
   * result says whether it was found, never placed, or still unknown. It is never re-sent.
   */
  async placeOrder(params: NewOrderParams): Promise<PlaceOrderResult> {
    const clientOrderId = params.newClientOrderId ?? generateClientOrderId(this.#clientOrderIdPrefix);
    const tracker: SendTracker = { sent: false };
    try {
      const response = await this.#signedCall<NewOrderResponse>({
        method: 'POST',
        path: '/api/v3/order',
        params: orderParams(params, clientOrderId),
        kind: 'order',
        validate: () => {
          if (params.newClientOrderId !== undefined) assertValidClientOrderId(params.newClientOrderId);
          validateOrderDecimals(params);
        },
        tracker,
      });
      return { outcome: 'accepted', clientOrderId, response };
    } catch (error) {
      const reason = tracker.sent ? unknownOutcomeReason(error) : undefined;
      if (reason === undefined) throw error;
      return this.#reconcile({ symbol: params.symbol, clientOrderId, reason, sent: tracker });
    }
  }

  testOrder(
    params: NewOrderParams,
    options: { computeCommissionRates?: boolean } = {},
  ): Promise<CommissionRates | Record<string, never>> {
    const body: Record<string, string | boolean | undefined> = { ...orderParams(params, params.newClientOrderId) };
    if (options.computeCommissionRates) body.computeCommissionRates = true;
    return this.#signedCall<CommissionRates | Record<string, never>>({
      method: 'POST',
      path: '/api/v3/order/test',
      params: body,
      kind: 'write',
      validate: () => {
        if (params.newClientOrderId !== undefined) assertValidClientOrderId(params.newClientOrderId);
        validateOrderDecimals(params);
      },
    });
  }

  /** Cancels one order. An unknown outcome (5xx, timeout, dropped) throws OrderOutcomeUnknownError. */
  async cancelOrder(symbol: string, ref: OrderRef): Promise<Order> {
    const tracker: SendTracker = { sent: false };
    try {
      return await this.#signedCall<Order>({
        method: 'DELETE',
        path: '/api/v3/order',
        params: { symbol, ...refParams(ref) },
        kind: 'write',
        validate: () => {
          requireSymbol(symbol);
          requireRef(ref);
        },
        tracker,
      });
    } catch (error) {
      const reason = tracker.sent ? unknownOutcomeReason(error) : undefined;
      if (reason === undefined) throw error;
      throw new OrderOutcomeUnknownError('cancel', symbol, reason, {
        clientOrderId: ref.origClientOrderId,
        orderId: ref.orderId,
      });
    }
  }

  /** Cancels every open order on the symbol. An unknown outcome throws OrderOutcomeUnknownError. */
  async cancelAllOpenOrders(symbol: string): Promise<Order[]> {
    const tracker: SendTracker = { sent: false };
    try {
      return await this.#signedCall<Order[]>({
        method: 'DELETE',
        path: '/api/v3/openOrders',
        params: { symbol },
        kind: 'write',
        validate: () => requireSymbol(symbol),
        tracker,
      });
    } catch (error) {
      const reason = tracker.sent ? unknownOutcomeReason(error) : undefined;
      if (reason === undefined) throw error;
      throw new OrderOutcomeUnknownError('cancel', symbol, `${reason} (cancel all open orders)`);
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  /** The credential for a signed call: present and of this environment, or an error before any I/O. */
  #requireCredential(): Credential {
    const credential = this.#credential();
    if (!credential) throw new NoCredentialError(this.environment.label, this.environment.keyManagementUrl);
    assertCredentialFor(credential, this.environment);
    return credential;
  }

  async #signedCall<T>(call: SignedCall): Promise<T> {
    const { kind, signWith } = call;
    const credential = signWith ?? this.#requireCredential();
    if (signWith) assertCredentialFor(signWith, this.environment);
    call.validate?.();
    this.#checkGate();
    if (this.#clock.needsSync()) await this.syncClock();
    const context: ErrorContext = {
      environmentLabel: this.environment.label,
      isOrder: kind === 'order',
      recvWindow: this.recvWindow,
    };
    try {
      return await this.#signedOnce<T>(call, credential, context);
    } catch (error) {
      if (!(error instanceof BinanceApiError) || error.code !== -1021) throw error;
      // The timestamp was outside recvWindow: re-measure the offset once.
      let sync: ClockSync;
      try {
        sync = await this.syncClock();
      } catch {
        throw withContext(error, { ...context, clockResync: { happened: false } });
      }
      // Only reads are retried; an order or cancel is never sent twice by this client.
      if (kind !== 'read')
        throw withContext(error, { ...context, clockResync: { happened: true, offsetMs: sync.offsetMs } });
      try {
        // Only a read gets here, and what a read sent is never tracked.
        return await this.#signedOnce<T>({ ...call, tracker: undefined }, credential, context);
      } catch (retryError) {
        if (retryError instanceof BinanceApiError && retryError.code === -1021) {
          throw withContext(retryError, {
            ...context,
            clockResync: { happened: true, retried: true, offsetMs: sync.offsetMs },
          });
        }
        throw retryError;
      }
    }
  }

  async #signedOnce<T>(call: SignedCall, credential: Credential, context: ErrorContext): Promise<T> {
    const { method, path, params, tracker } = call;
    const timestamp = this.#clock.now();
    const prepared = new Signer(credential).signRest(
      { environment: this.environment, method, path, params },
      { timestamp, recvWindow: this.recvWindow },
    );
    if (tracker) {
      tracker.timestamp = timestamp;
      tracker.credential = credential;
    }
    const signature = signatureOf(prepared);
    const secrets: Sensitive = { values: [signature, safeDecode(signature)], apiKeys: [credential.apiKey] };
    const response = await this.#send(prepared, context, secrets, tracker);
    return parseBody<T>(response, context);
  }

  async #publicGet<T>(path: string, params: Params = {}): Promise<T> {
    const prepared = publicRequest({ environment: this.environment, method: 'GET', path, params });
    const context: ErrorContext = { environmentLabel: this.environment.label };
    const response = await this.#send(prepared, context, NOTHING_SENSITIVE);
    return parseBody<T>(response, context);
  }

  #checkGate(): void {
    this.#gate.check(this.environment.label);
  }

  /** The one place that calls the transport. */
  async #send(
    prepared: PreparedRequest,
    context: ErrorContext,
    sensitive: Sensitive,
    tracker?: SendTracker,
  ): Promise<TransportResponse> {
    this.#checkGate();
    const started = performance.now();
    let response: TransportResponse;
    if (tracker) tracker.sent = true;
    try {
      response = await this.#transport.send(prepared, { timeoutMs: this.timeoutMs });
    } catch (error) {
      this.#log({
        method: prepared.method,
        path: prepared.path,
        status: 'error',
        latencyMs: Math.round(performance.now() - started),
      });
      if (error instanceof TransportError) throw error;
      // A transport that throws something else: keep only a scrubbed message.
      throw new TransportError(
        scrubSensitive(
          `${prepared.method} ${prepared.path} failed: ${describeError(error).message}`,
          sensitive.values,
          sensitive.apiKeys,
        ),
        'network',
      );
    }
    const latencyMs = Math.round(performance.now() - started);
    const weight = this.#recordUsage(response.headers);
    const ok = response.status >= 200 && response.status < 300;
    let error: BinanceApiError | undefined;
    if (!ok) {
      let retryAfterSeconds: number | undefined;
      if (response.status === 429 || response.status === 418) {
        retryAfterSeconds =
          parseRetryAfter(response.headers['retry-after']) ?? DEFAULT_RETRY_AFTER_SECONDS[response.status];
        this.#gate.engage(retryAfterSeconds);
      }
      error = apiErrorFromResponse({
        httpStatus: response.status,
        bodyText: response.bodyText,
        retryAfterSeconds,
        sensitive: sensitive.values,
        apiKeys: sensitive.apiKeys,
        context,
      });
    }
    this.#log({
      method: prepared.method,
      path: prepared.path,
      status: response.status,
      ...(weight !== undefined ? { usedWeight: weight } : {}),
      latencyMs,
      ...(error && error.code !== 0 ? { errorCode: error.code } : {}),
    });
    if (error) throw error;
    return response;
  }

  /** Merges the usage headers into `usage`; returns the 1-minute request weight if present. */
  #recordUsage(headers: Readonly<Record<string, string>>): number | undefined {
    const seen = readUsageHeaders(headers);
    Object.assign(this.#usage.usedWeight, seen.usedWeight);
    Object.assign(this.#usage.orderCount, seen.orderCount);
    return seen.usedWeight['1M'];
  }

  #log(entry: RequestLog): void {
    if (!this.#onRequest) return;
    try {
      this.#onRequest(entry);
    } catch {
      // A failing logger must not turn a successful request into an error.
    }
  }

  /**
   * Looks up an order whose POST had an unknown outcome. "not-placed" is only concluded once the
   * order's recvWindow has passed on the server clock: the exchange rejects an order that reaches
   * the matching engine later than timestamp + recvWindow, so after that a "-2013 does not exist"
   * is final. Before that, a slow request could still be in flight.
   */
  async #reconcile(order: {
    symbol: string;
    clientOrderId: string;
    /** Why the outcome is unknown (the transport or HTTP failure), for the result's text. */
    reason: string;
    /** The POST's timestamp and key: its look-ups use the same key, and its recvWindow decides "not placed". */
    sent: SendTracker;
  }): Promise<PlaceOrderResult> {
    const { symbol, clientOrderId, reason } = order;
    const signedTimestamp = order.sent.timestamp;
    let lastProblem = 'no look-up was possible';
    let lastWasNotFound = false;
    let attempts = 0;
    const lookUp = async (): Promise<Order | 'not-found' | 'failed' | 'stop'> => {
      attempts++;
      try {
        const ref = { origClientOrderId: clientOrderId };
        return await this.#signedCall<Order>({
          method: 'GET',
          path: '/api/v3/order',
          params: { symbol, ...refParams(ref) },
          kind: 'read',
          signWith: order.sent.credential,
        });
      } catch (error) {
        lastWasNotFound = error instanceof BinanceApiError && error.code === -2013;
        if (lastWasNotFound) return 'not-found';
        lastProblem = describeError(error).message;
        // No key, a key mismatch or a rate-limit gate: trying again cannot help.
        return error instanceof TransportError || error instanceof BinanceApiError ? 'failed' : 'stop';
      }
    };
    for (const delay of this.#reconcileDelaysMs) {
      if (delay > 0) await this.#sleep(delay);
      const found = await lookUp();
      if (typeof found === 'object') return { outcome: 'reconciled', clientOrderId, order: found };
      if (found === 'stop') break;
    }
    if (lastWasNotFound && signedTimestamp !== undefined) {
      const windowEnd = signedTimestamp + this.recvWindow + RECV_WINDOW_MARGIN_MS;
      const wait = windowEnd - this.#clock.now();
      if (wait > 0) {
        await this.#sleep(wait);
        const found = await lookUp();
        if (typeof found === 'object') return { outcome: 'reconciled', clientOrderId, order: found };
      }
    }
    if (lastWasNotFound) {
      return {
        outcome: 'not-placed',
        clientOrderId,
        reason:
          `${reason}. The order was then looked up by client order id ${clientOrderId} (${attempts} attempt${attempts === 1 ? '' : 's'}) and does not exist, ` +
          `and its recvWindow (${this.recvWindow} ms) has passed, so the exchange can no longer accept it: it never reached the order book.`,
      };
    }
    return {
      outcome: 'unknown',
      clientOrderId,
      reason: `${reason}. Looking the order up by client order id ${clientOrderId} failed (${lastProblem}). Check the open orders and order history before placing it again.`,
    };
  }
}

/** Why an error after sending means "outcome unknown", or undefined when the request was definitely rejected. */
function unknownOutcomeReason(error: unknown): string | undefined {
  if (error instanceof TransportError) {
    return error.kind === 'timeout'
      ? 'The request timed out before the server answered'
      : `The connection failed before an answer arrived (${error.message})`;
  }
  if (error instanceof BinanceApiError) {
    if (error.code === -1006 || error.code === -1007)
      return `The server reported an unknown execution status (${error.code})`;
    if (error.httpStatus >= 500)
      return `The server answered HTTP ${error.httpStatus}, so the execution status is unknown`;
    if (error.httpStatus >= 200 && error.httpStatus < 300)
      return 'The server accepted the request but its answer could not be read';
  }
  return undefined;
}

/** What must not appear in an error built from a response: the request's signature and API key. */
interface Sensitive {
  values: string[];
  apiKeys: string[];
}
const NOTHING_SENSITIVE: Sensitive = { values: [], apiKeys: [] };

function parseBody<T>(response: TransportResponse, context: ErrorContext): T {
  try {
    return JSON.parse(response.bodyText) as T;
  } catch {
    const binanceMessage = `HTTP ${response.status} with a body that is not JSON`;
    return throwUnreadable(binanceMessage, response.status, context);
  }
}

function throwUnreadable(binanceMessage: string, httpStatus: number, context: ErrorContext): never {
  throw new BinanceApiError({
    code: 0,
    httpStatus,
    binanceMessage,
    hint: context.isOrder
      ? 'The answer could not be read, so the outcome is unknown. Check the open orders and order history before trying again.'
      : 'The answer could not be read. Check that the environment URL points at a Spot API and try again.',
  });
}

function signatureOf(prepared: PreparedRequest): string {
  const source = prepared.body ?? prepared.url;
  const i = source.lastIndexOf('signature=');
  return i === -1 ? '' : source.slice(i + 'signature='.length);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function orderParams(params: NewOrderParams, clientOrderId: string | undefined): Record<string, string | undefined> {
  return {
    symbol: params.symbol,
    side: params.side,
    type: params.type,
    timeInForce: params.timeInForce,
    quantity: params.quantity,
    quoteOrderQty: params.quoteOrderQty,
    price: params.price,
    stopPrice: params.stopPrice,
    newClientOrderId: clientOrderId,
    newOrderRespType: params.newOrderRespType,
  };
}

/** Decimal fields must be plain decimals ("0.001", never "1e-3"); they are sent exactly as given. */
function validateOrderDecimals(params: NewOrderParams): void {
  for (const field of ['quantity', 'quoteOrderQty', 'price', 'stopPrice'] as const) {
    const value = params[field];
    if (value !== undefined) parseDecimal(value, { field });
  }
}

function refParams(ref: OrderRef): Record<string, string | number | undefined> {
  return { orderId: ref.orderId, origClientOrderId: ref.origClientOrderId };
}

function requireRef(ref: OrderRef): void {
  if (ref.orderId === undefined && !ref.origClientOrderId)
    throw new ClientUsageError('Give an orderId or an origClientOrderId.');
  if (ref.orderId !== undefined && !Number.isSafeInteger(ref.orderId))
    throw new ClientUsageError('orderId must be an integer.');
}

function requireSymbol(symbol: string): void {
  if (!symbol) throw new ClientUsageError('A symbol is required, e.g. BTCUSDT.');
}

function checkLimit(limit: number | undefined): void {
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000))
    throw new ClientUsageError('limit must be an integer from 1 to 1000.');
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
