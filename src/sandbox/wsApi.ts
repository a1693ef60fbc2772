/**
 * WebSocket API at /ws-api/v3: ping, time, session.logon/status/logout (Ed25519 only),
 * userDataStream.subscribe (after logon), userDataStream.subscribe.signature (any key type),
 * userDataStream.unsubscribe, session.subscriptions. User data events are pushed as
 * {"subscriptionId": n, "event": {...}} whenever the subscribed account changes.
 *
 * Trading, account and market data methods (order.place, order.test, order.status, order.cancel,
 * order.cancelReplace, openOrders.status, openOrders.cancelAll, account.status, ...) run the very
 * REST handlers of rest.ts (same parameter checks, engine calls, error codes and weights). SIGNED
 * methods are authorized per request (apiKey + signature over the sorted params, raw UTF-8,
 * reference §3.3) or by the session's Ed25519 logon (then only `timestamp` is needed, §3.4).
 */
import { WebSocket } from 'ws';
import { ApiKeyRecord, checkTimestamp, verifySignature, wsPayload } from './auth';
import { EngineEvent } from './engine';
import { ApiError, Errors } from './errors';
import { userEventJson } from './format';
import { paramsFromJson } from './request';
import { findRoute } from './rest';
import { durable, RestEnv, Route, routeWeight, runRoute } from './route';

/** WebSocket API method -> the REST endpoint whose handler it shares (public WS API docs). */
const ROUTED_TABLE: Record<string, string> = {
  'order.place': 'POST /api/v3/order',
  'order.test': 'POST /api/v3/order/test',
  'order.status': 'GET /api/v3/order',
  'order.cancel': 'DELETE /api/v3/order',
  'order.cancelReplace': 'POST /api/v3/order/cancelReplace',
  'openOrders.status': 'GET /api/v3/openOrders',
  'openOrders.cancelAll': 'DELETE /api/v3/openOrders',
  allOrders: 'GET /api/v3/allOrders',
  myTrades: 'GET /api/v3/myTrades',
  'account.status': 'GET /api/v3/account',
  'account.commission': 'GET /api/v3/account/commission',
  'account.rateLimits.orders': 'GET /api/v3/rateLimit/order',
  exchangeInfo: 'GET /api/v3/exchangeInfo',
  depth: 'GET /api/v3/depth',
  'trades.recent': 'GET /api/v3/trades',
  'trades.aggregate': 'GET /api/v3/aggTrades',
  'trades.historical': 'GET /api/v3/historicalTrades',
  klines: 'GET /api/v3/klines',
  uiKlines: 'GET /api/v3/uiKlines',
  avgPrice: 'GET /api/v3/avgPrice',
  'ticker.24hr': 'GET /api/v3/ticker/24hr',
  'ticker.price': 'GET /api/v3/ticker/price',
  'ticker.book': 'GET /api/v3/ticker/bookTicker',
};
/** Looked up in a Map, so a method named after an Object.prototype member (`constructor`) is just unknown. */
const ROUTED: ReadonlyMap<string, string> = new Map(Object.entries(ROUTED_TABLE));

/** Methods that count against the ORDERS limits; their answers carry the ORDERS rateLimits. */
const ORDER_METHODS = new Set(['order.place', 'order.cancelReplace']);

/** The REST handlers' environment, plus a log. */
export interface WsEnv extends RestEnv {
  log(line: string): void;
}

/** A request as the inspector records it once answered. */
interface WsRequest {
  time: number;
  method: string;
  params: Record<string, unknown>;
  weight: number;
}

interface Session {
  readonly ws: WebSocket;
  readonly ip: string;
  /** "ws 127.0.0.1:53211 #3": the connection, as the request log names it. */
  readonly connection: string;
  readonly connectedSince: number;
  logon?: { record: ApiKeyRecord; since: number };
  /** subscriptionId -> accountId */
  readonly subscriptions: Map<number, number>;
  nextSubscriptionId: number;
}

const MAX_FRAME_BYTES = 64 * 1024;
/** Unsent bytes allowed per connection before it is dropped. */
const MAX_QUEUED_BYTES = 1024 * 1024;

export class WsApi {
  private readonly sessions = new Set<Session>();
  /** Connections accepted so far, to name each one in the request log. */
  private connections = 0;
  private readonly unsubscribeEngine: () => void;
  private readonly pinger: NodeJS.Timeout;

  constructor(private readonly env: WsEnv) {
    this.unsubscribeEngine = env.engine.onEvent((event) => this.push(event));
    // Like the real server: a ping frame every 20 s (clients' WebSocket stacks answer with pong).
    this.pinger = setInterval(() => {
      for (const s of this.sessions) if (s.ws.readyState === WebSocket.OPEN) s.ws.ping();
    }, 20_000);
    this.pinger.unref();
  }

  accept(ws: WebSocket, ip: string): void {
    const session: Session = {
      ws,
      ip,
      connection: `ws ${ip} #${++this.connections}`,
      connectedSince: this.env.now(),
      subscriptions: new Map(),
      nextSubscriptionId: 0,
    };
    this.sessions.add(session);
    ws.on('message', (data, isBinary) => {
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
      if (isBinary || size > MAX_FRAME_BYTES) {
        this.reply(session, null, new ApiError(-1000, 'Frames must be JSON text of at most 64 KiB.'));
        return;
      }
      this.onMessage(
        session,
        Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'),
      );
    });
    ws.on('close', () => this.sessions.delete(session));
    ws.on('error', () => this.sessions.delete(session));
  }

  close(): void {
    clearInterval(this.pinger);
    this.unsubscribeEngine();
    for (const s of this.sessions) s.ws.terminate();
    this.sessions.clear();
  }

  private onMessage(session: Session, text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      this.reply(session, null, new ApiError(-1000, 'Malformed request: not valid JSON.'));
      return;
    }
    if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
      this.reply(session, null, new ApiError(-1000, 'Malformed request: expected a JSON object.'));
      return;
    }
    const { id = null, method, params = {} } = frame as { id?: unknown; method?: unknown; params?: unknown };
    const safeId = typeof id === 'string' || typeof id === 'number' ? id : null;
    const request: WsRequest = {
      time: Date.now(),
      method: typeof method === 'string' ? method : '(no method)',
      params:
        params !== null && typeof params === 'object' && !Array.isArray(params)
          ? (params as Record<string, unknown>)
          : {},
      weight: 0,
    };
    try {
      if (typeof method !== 'string') throw Errors.mandatory('method');
      if (params === null || typeof params !== 'object' || Array.isArray(params)) throw Errors.malformed();
      const routeKey = ROUTED.get(method);
      const route = routeKey === undefined ? undefined : findRoute(routeKey.split(' ')[0], routeKey.split(' ')[1]);
      if (route) {
        this.runRouted(session, safeId, method, route, params as Record<string, unknown>, request);
        return;
      }
      const weight = method === 'ping' || method === 'time' ? 1 : 2;
      request.weight = weight;
      this.env.weights.charge(session.ip, weight, this.env.now());
      const result = this.dispatch(session, method, params as Record<string, unknown>);
      this.reply(session, safeId, undefined, result, undefined, request);
    } catch (error) {
      if (error instanceof ApiError) this.reply(session, safeId, error, undefined, undefined, request);
      else {
        this.env.log(`ws-api internal error: ${error instanceof Error ? error.message : String(error)}`);
        this.reply(session, safeId, Errors.unknown(), undefined, undefined, request);
      }
    }
  }

  /** A method shared with REST: weight, authorization, the REST handler, ORDERS rate limits. */
  private runRouted(
    session: Session,
    id: string | number | null,
    method: string,
    route: Route,
    raw: Record<string, unknown>,
    request: WsRequest,
  ): void {
    const params = paramsFromJson(raw);
    const weight = routeWeight(route, params);
    request.weight = weight;
    const now = this.env.now();
    this.env.weights.charge(session.ip, weight, now);
    let accountId: number | undefined;
    const journaled = this.env.durability?.appended;
    let error: ApiError | undefined;
    let body: unknown;
    try {
      const outcome = runRoute(this.env, route, params, () => {
        const auth = this.authorize(session, raw);
        accountId = auth.accountId;
        return auth;
      });
      if (outcome.refundWeight) this.env.weights.refund(session.ip, weight, this.env.now());
      body = outcome.body;
    } catch (thrown) {
      if (!(thrown instanceof ApiError)) throw thrown;
      error = thrown;
    }
    const answer = (): void =>
      this.reply(session, id, error, body, ORDER_METHODS.has(method) ? accountId : undefined, request);
    if (this.env.durability?.appended === journaled) return answer();
    // Answered once what it changed is on disk (see durable() in httpServer.ts).
    void durable(this.env, journaled).then((notSaved) => {
      if (notSaved) {
        error = notSaved;
        body = undefined;
      }
      answer();
    });
  }

  /**
   * SIGNED methods: a request carrying apiKey/signature is checked on its own (even on a logged-on
   * session); otherwise the session's logon authorizes it, and only timestamp/recvWindow are checked.
   */
  private authorize(session: Session, params: Record<string, unknown>): ApiKeyRecord {
    if (params.signature !== undefined || params.apiKey !== undefined || !session.logon)
      return this.verifySigned(params);
    this.checkTiming(params);
    return session.logon.record;
  }

  private dispatch(session: Session, method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case 'ping':
        return {};
      case 'time':
        return { serverTime: this.env.now() };
      case 'session.logon': {
        const record = this.verifySigned(params);
        if (record.kind !== 'ed25519')
          throw new ApiError(-4056, `${record.kind === 'hmac' ? 'HMAC_SHA256' : 'RSA'} API key is not supported.`);
        session.logon = { record, since: this.env.now() };
        return this.sessionStatus(session);
      }
      case 'session.status':
        return this.sessionStatus(session);
      case 'session.logout':
        session.logon = undefined;
        return this.sessionStatus(session);
      case 'userDataStream.subscribe': {
        if (!session.logon) throw Errors.rejectedApiKey();
        return { subscriptionId: this.subscribe(session, session.logon.record.accountId) };
      }
      case 'userDataStream.subscribe.signature': {
        const record = this.verifySigned(params);
        return { subscriptionId: this.subscribe(session, record.accountId) };
      }
      case 'userDataStream.unsubscribe': {
        const wanted = params.subscriptionId;
        const ids = wanted === undefined ? [...session.subscriptions.keys()] : [Number(wanted)];
        for (const subscriptionId of ids) {
          if (!session.subscriptions.delete(subscriptionId)) throw new ApiError(-2011, 'Unknown subscription.');
          this.sendFrame(session, { subscriptionId, event: { e: 'eventStreamTerminated', E: this.env.now() } });
        }
        return {};
      }
      case 'session.subscriptions':
        return [...session.subscriptions.keys()].map((subscriptionId) => ({ subscriptionId }));
      default:
        throw new ApiError(-1000, `Unknown method '${method}'.`);
    }
  }

  private sessionStatus(session: Session): Record<string, unknown> {
    return {
      apiKey: session.logon?.record.apiKey ?? null,
      authorizedSince: session.logon?.since ?? null,
      connectedSince: session.connectedSince,
      returnRateLimits: true,
      serverTime: this.env.now(),
      userDataStream: session.subscriptions.size > 0,
    };
  }

  private subscribe(session: Session, accountId: number): number {
    for (const existing of session.subscriptions.values()) {
      if (existing === accountId) throw new ApiError(-2035, 'User Data Stream subscription already active.');
    }
    const id = session.nextSubscriptionId++;
    session.subscriptions.set(id, accountId);
    return id;
  }

  /** Checks apiKey, timestamp/recvWindow and the sorted-params signature (raw UTF-8, not percent-encoded). */
  private verifySigned(params: Record<string, unknown>): ApiKeyRecord {
    const apiKey = params.apiKey;
    if (typeof apiKey !== 'string' || apiKey === '') throw Errors.mandatory('apiKey');
    const record = this.env.keys.get(apiKey);
    if (!record) throw Errors.rejectedApiKey();
    const timestamp = Number(params.timestamp);
    if (params.timestamp === undefined || !Number.isInteger(timestamp)) throw Errors.mandatory('timestamp');
    const signature = params.signature;
    if (typeof signature !== 'string' || signature === '') throw Errors.mandatory('signature');
    this.checkTiming(params);
    if (!verifySignature(record, wsPayload(params), signature)) throw Errors.badSignature();
    return record;
  }

  /** timestamp (ms or µs) and recvWindow (at most 60000) against the server clock. */
  private checkTiming(params: Record<string, unknown>): void {
    const timestamp = Number(params.timestamp);
    if (
      params.timestamp === undefined ||
      params.timestamp === null ||
      params.timestamp === '' ||
      !Number.isInteger(timestamp)
    )
      throw Errors.mandatory('timestamp');
    const recvWindow = params.recvWindow === undefined ? 5000 : Number(params.recvWindow);
    if (!Number.isFinite(recvWindow) || recvWindow <= 0) throw Errors.mandatory('recvWindow');
    if (recvWindow > 60000) throw Errors.cannotBeGreater('recvWindow', '60000');
    checkTimestamp(timestamp, recvWindow, this.env.now());
  }

  private push(event: EngineEvent): void {
    if (this.sessions.size === 0) return;
    let payload: Record<string, unknown> | undefined;
    for (const session of this.sessions) {
      // Most sessions (order traffic) subscribe to nothing: skip them without walking their map.
      if (session.subscriptions.size === 0) continue;
      for (const [subscriptionId, accountId] of session.subscriptions) {
        if (accountId !== event.accountId) continue;
        payload ??= userEventJson(event, this.env.engine.account(event.accountId));
        if (payload) this.sendFrame(session, { subscriptionId, event: payload });
      }
    }
  }

  private reply(
    session: Session,
    id: string | number | null,
    error?: ApiError,
    result?: unknown,
    ordersOf?: number,
    request?: WsRequest,
  ): void {
    const status = error ? (error.httpStatus >= 500 ? 500 : error.httpStatus) : 200;
    if (request)
      this.env.inspector?.ws({
        time: request.time,
        method: request.method,
        params: request.params,
        ip: session.ip,
        connection: session.connection,
        status,
        error,
        weight: request.weight,
        latencyMs: Date.now() - request.time,
      });
    const now = this.env.now();
    const rateLimits: Record<string, unknown>[] = [
      {
        rateLimitType: 'REQUEST_WEIGHT',
        interval: 'MINUTE',
        intervalNum: 1,
        limit: this.env.weights.limit,
        count: this.env.weights.used(session.ip, now),
      },
    ];
    if (ordersOf !== undefined) {
      const counts = this.env.orders.counts(ordersOf, now);
      rateLimits.push(
        {
          rateLimitType: 'ORDERS',
          interval: 'SECOND',
          intervalNum: 10,
          limit: this.env.orders.per10s,
          count: counts.tenSeconds,
        },
        { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: this.env.orders.perDay, count: counts.day },
      );
    }
    this.sendFrame(
      session,
      error ? { id, status, error: wsError(error, now), rateLimits } : { id, status, result, rateLimits },
    );
  }

  private sendFrame(session: Session, frame: unknown): void {
    if (session.ws.readyState !== WebSocket.OPEN) return;
    if (session.ws.bufferedAmount > MAX_QUEUED_BYTES) {
      // A client that stopped reading (e.g. a busy user data stream) must not grow our memory.
      this.env.log('ws-api: disconnecting a client that does not read its answers');
      session.ws.terminate();
      return;
    }
    session.ws.send(JSON.stringify(frame));
  }
}

/**
 * An error frame's `error`: a 429 or 418 also says when to come back, as `data.retryAfter` (epoch
 * ms) with the server time, where REST sends a Retry-After header.
 */
function wsError(error: ApiError, now: number): object {
  const seconds = error.headers['Retry-After'];
  if (seconds === undefined) return error.toJSON();
  const retryAfter = error.facts?.bannedUntil ? Number(error.facts.bannedUntil) : now + Number(seconds) * 1000;
  return { ...error.toJSON(), data: { serverTime: now, retryAfter } };
}
