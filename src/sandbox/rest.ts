/**
 * The /api/v3 endpoints over HTTP: the route table (public market data and signed trading
 * routes) and REST authentication (API key header, timestamp/recvWindow, signature). Handlers are
 * synchronous, so an order's balance check and its mutation are atomic.
 */
import { API_KEY_FORMAT, ApiKeyRecord, checkTimestamp, verifySignature } from './auth';
import { Errors } from './errors';
import { MARKET_ROUTES } from './marketRoutes';
import { ParsedRequest } from './request';
import { RestEnv, RestOutcome, Route, runRoute } from './route';
import { TRADE_ROUTES } from './tradeRoutes';

const MAX_RECV_WINDOW = 60_000n * 10n ** 18n;

/** "METHOD /path" -> route, in a Map: no method or path from the wire can reach an Object.prototype member. */
const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ...Object.entries(MARKET_ROUTES),
  ...Object.entries(TRADE_ROUTES),
]);

export function findRoute(method: string, path: string): Route | undefined {
  return ROUTES.get(`${method} ${path}`);
}

/** Runs a matched route for an HTTP request; throws ApiError for every rejection. */
export function runRestRoute(
  env: RestEnv,
  route: Route,
  parsed: ParsedRequest,
  apiKeyHeader: string | undefined,
): RestOutcome {
  return runRoute(env, route, parsed.params, () => authenticate(env, parsed, apiKeyHeader));
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
  checkTimestamp(timestamp, windowMs, env.now());
  if (!parsed.signatureLast || !verifySignature(record, parsed.signedPayload, parsed.signature))
    throw Errors.badSignature();
  return record;
}
