/**
 * The HTTP front of the sandbox: body cap, latency/failure/rate-limit faults, request weights,
 * statistics, the /api/v3 routes and the /sandbox/v1 control endpoints.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, Errors } from './errors';
import { FaultState, StatsCounter } from './faults';
import { parseRequest } from './request';
import { findRoute, runRestRoute } from './rest';
import type { RecordQuery } from './inspector/recorder';
import { durable, RestEnv, routeWeight } from './route';

export const MAX_BODY_BYTES = 64 * 1024;

export interface ControlHooks {
  createAccount(balances?: Record<string, string>): { apiKey: string; secret: string };
  deposit(apiKey: string, asset: string, amount: string): void;
  setWeightLimit(limit: number): void;
  /** Forgets request weight, order counts and IP bans (POST /sandbox/v1/faults {"clear": true}). */
  clearRateLimits(): void;
  /** GET /sandbox/v1/health (undefined before the server listens). */
  health(): object | undefined;
  /** POST /sandbox/v1/shutdown, called once the answer is sent. */
  shutdown(): void;
  /** GET /sandbox/v1/state: the whole state as a state file. */
  exportState(): Buffer;
  /** PUT /sandbox/v1/state: becomes the state of a state file (durable before it answers). */
  importState(file: Buffer): void;
  /** POST /sandbox/v1/reset: a fresh exchange (keys of the data folder kept). */
  reset(): void;
}

/** A state file can be much larger than any other request. */
const MAX_STATE_BYTES = 512 * 1024 * 1024;

export interface HttpDeps {
  readonly env: RestEnv;
  readonly faults: FaultState;
  readonly stats: StatsCounter;
  readonly control: ControlHooks;
  log(line: string): void;
}

class BodyTooLarge extends Error {}
/** The connection closed before the body was complete (the client went, or it timed out). */
class RequestAborted extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      if (!failed) resolve(Buffer.concat(chunks));
    });
    const abort = (): void => {
      if (!failed && !ended) {
        failed = true;
        reject(new RequestAborted());
      }
    };
    req.on('error', abort);
    req.on('close', abort);
  });
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function failureBody(status: number, afterProcessing: boolean): { code: number; msg: string } {
  if (status === 500) return { code: -1000, msg: 'An unknown error occurred while processing the request.' };
  if (afterProcessing)
    return {
      code: -1007,
      msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
    };
  return { code: -1008, msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.' };
}

export function createRequestHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      deps.log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      send(res, 500, Errors.unknown().toJSON());
    });
  };
}

async function handle(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { env, faults, stats } = deps;
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);

  if (path.startsWith('/sandbox/v1/')) {
    await handleControl(deps, req, res, method, path);
    return;
  }
  stats.count(method, path);
  const ip = req.socket.remoteAddress ?? 'unknown';
  const started = Date.now();
  // Method, path and status only: query strings and bodies carry keys' signatures.
  res.on('finish', () => deps.log(`${method} ${path} -> ${res.statusCode} (${Date.now() - started} ms)`));

  let body: Buffer;
  try {
    body = await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      // Answer, then close: the rest of the oversized body is never read.
      send(res, 413, Errors.payloadTooLarge().toJSON(), {
        Connection: 'close',
        'X-MBX-USED-WEIGHT-1M': String(env.weights.used(ip, env.now())),
      });
      res.on('finish', () => req.socket.destroy());
      return;
    }
    if (error instanceof RequestAborted) {
      deps.log(`${method} ${path}: the connection closed before the request body was complete`);
      return;
    }
    throw error;
  }

  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  const now = env.now();
  const rawBody = body.toString('latin1');
  /** The request and its answer, to the request inspector. */
  const inspect = (status: number, error: ApiError | undefined, weight: number): void => {
    env.inspector?.rest({
      time: started,
      method,
      path,
      rawQuery,
      rawBody,
      apiKey: req.headers['x-mbx-apikey'] as string | undefined,
      contentType: req.headers['content-type'],
      ip,
      connection: `${ip}:${req.socket.remotePort ?? 0}`,
      status,
      error,
      weight,
      latencyMs: Date.now() - started,
    });
  };

  const forced = faults.takeForcedRateLimit();
  if (forced) {
    const error =
      forced.status === 418
        ? Errors.banned(now + forced.retryAfterSeconds * 1000, forced.retryAfterSeconds)
        : Errors.tooMuchWeight(env.weights.limit, forced.retryAfterSeconds);
    error.facts = { forced: 'true' };
    inspect(forced.status, error, 0);
    send(res, forced.status, error.toJSON(), {
      ...error.headers,
      'Retry-After': String(forced.retryAfterSeconds),
      'X-MBX-USED-WEIGHT-1M': String(env.weights.used(ip, now)),
    });
    return;
  }
  const failure = faults.takeFailure();
  if (failure && !failure.afterProcessing) {
    send(res, failure.status, failureBody(failure.status, false), {
      'X-MBX-USED-WEIGHT-1M': String(env.weights.used(ip, now)),
    });
    return;
  }

  const route = findRoute(method, path);
  if (!route) {
    const used = env.weights.charge(ip, 1, now);
    send(
      res,
      404,
      { code: -1000, msg: `Unknown endpoint ${method} ${path}.` },
      { 'X-MBX-USED-WEIGHT-1M': String(used) },
    );
    return;
  }

  let status: number;
  let payload: unknown;
  let headers: Record<string, string>;
  let used = env.weights.used(ip, now);
  let weight = 0;
  let failed: ApiError | undefined;
  const journaled = env.durability?.appended;
  try {
    const parsed = parseRequest(rawQuery, rawBody);
    weight = routeWeight(route, parsed.params);
    try {
      used = env.weights.charge(ip, weight, now);
    } catch (error) {
      used = env.weights.used(ip, now);
      throw error;
    }
    const outcome = runRestRoute(env, route, parsed, req.headers['x-mbx-apikey'] as string | undefined);
    if (outcome.refundWeight) used = env.weights.refund(ip, weight, now);
    status = outcome.status;
    payload = outcome.body;
    headers = outcome.headers;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    failed = error;
    status = error.httpStatus;
    payload = error.toJSON();
    headers = { ...error.headers };
  }
  headers['X-MBX-USED-WEIGHT-1M'] = String(used);
  const notSaved = await durable(env, journaled);
  if (notSaved) {
    failed = notSaved;
    status = notSaved.httpStatus;
  }
  inspect(status, failed, weight);
  if (notSaved) {
    send(res, notSaved.httpStatus, notSaved.toJSON());
    return;
  }

  if (failure) {
    send(res, failure.status, failureBody(failure.status, true), { 'X-MBX-USED-WEIGHT-1M': String(used) });
    return;
  }
  if (method === 'POST' && path === '/api/v3/order' && faults.takeDropOrder()) {
    deps.log('fault: dropping the connection after an order');
    req.socket.destroy();
    return;
  }
  send(res, status, payload, headers);
}

/** Export, import and reset: the state file is binary, not JSON. */
function handleState(deps: HttpDeps, res: ServerResponse, route: string, body: Buffer): void {
  try {
    switch (route) {
      case 'GET /sandbox/v1/state': {
        const file = deps.control.exportState();
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': file.length });
        res.end(file);
        return;
      }
      case 'PUT /sandbox/v1/state':
        deps.control.importState(body);
        send(res, 200, { status: 'imported' });
        return;
      case 'POST /sandbox/v1/reset':
        deps.control.reset();
        send(res, 200, { status: 'reset' });
        return;
      default:
        send(res, 404, { error: `unknown control endpoint ${route}` });
    }
  } catch (error) {
    send(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}

async function handleControl(
  deps: HttpDeps,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): Promise<void> {
  const refusal = browserOrRebindingRefusal(req);
  if (refusal) {
    send(res, 403, { error: refusal });
    return;
  }
  const isState = path === '/sandbox/v1/state';
  let body: Buffer;
  try {
    body = await readBody(req, isState ? MAX_STATE_BYTES : MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) send(res, 413, { error: 'body too large' }, { Connection: 'close' });
    else if (error instanceof RequestAborted)
      deps.log(`${method} ${path}: the connection closed before the request body was complete`);
    else throw error;
    return;
  }
  if (isState || path === '/sandbox/v1/reset') {
    handleState(deps, res, `${method} ${path}`, body);
    return;
  }
  let json: unknown = {};
  if (body.length > 0) {
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      send(res, 400, { error: 'body must be JSON' });
      return;
    }
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    send(res, 400, { error: 'body must be a JSON object, e.g. {"balances": {"USDT": "100"}}' });
    return;
  }
  try {
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /sandbox/v1/health':
        send(res, 200, deps.control.health() ?? { status: 'starting' });
        return;
      case 'POST /sandbox/v1/shutdown':
        res.on('finish', () => deps.control.shutdown());
        send(res, 202, { status: 'stopping' }, { Connection: 'close' });
        return;
      case 'GET /sandbox/v1/faults':
        send(res, 200, deps.faults.snapshot());
        return;
      case 'POST /sandbox/v1/faults': {
        deps.faults.applyJson(json);
        if ((json as Record<string, unknown>).clear === true) deps.control.clearRateLimits();
        const limit = (json as Record<string, unknown>).weightPerMinute;
        if (limit !== undefined) deps.control.setWeightLimit(Number(limit));
        send(res, 200, deps.faults.snapshot());
        return;
      }
      case 'GET /sandbox/v1/requests': {
        const inspector = deps.env.inspector;
        if (!inspector) {
          send(res, 404, { error: 'this sandbox records no requests' });
          return;
        }
        send(res, 200, inspector.recorder.query(recordQuery(req.url ?? '')));
        return;
      }
      case 'GET /sandbox/v1/stats':
        send(res, 200, deps.stats.toJSON());
        return;
      case 'DELETE /sandbox/v1/stats':
      case 'POST /sandbox/v1/stats/reset':
        deps.stats.reset();
        send(res, 200, deps.stats.toJSON());
        return;
      case 'POST /sandbox/v1/accounts': {
        const balances = (json as Record<string, unknown>).balances as Record<string, string> | undefined;
        send(res, 200, deps.control.createAccount(balances));
        return;
      }
      case 'POST /sandbox/v1/deposit': {
        const b = json as Record<string, unknown>;
        deps.control.deposit(String(b.apiKey), String(b.asset), String(b.amount));
        send(res, 200, {});
        return;
      }
      default:
        send(res, 404, { error: `unknown control endpoint ${route}` });
    }
  } catch (error) {
    send(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

/**
 * The control endpoints (accounts with their secrets, deposits, faults, shutdown) are for local
 * programs, not for web pages: a page may send a request to 127.0.0.1 (a browser adds Origin to
 * any cross-site POST), or reach it under its own name after a DNS rebinding (then Host is not a
 * loopback name). Either is refused.
 */
export function browserOrRebindingRefusal(req: IncomingMessage): string | undefined {
  if (req.headers.origin !== undefined)
    return 'control endpoints do not answer browser requests (Origin header); call them from a local program';
  const host = req.headers.host;
  if (host !== undefined && !LOOPBACK_HOST.test(host))
    return `control endpoints answer only requests for 127.0.0.1, localhost or [::1] (Host: ${host.slice(0, 100)})`;
  return undefined;
}

/** The filters of GET /sandbox/v1/requests: ?status=ok|error&code=-1022&path=/api/v3/order&apiKey=vmPU&after=41&limit=50 */
function recordQuery(url: string): RecordQuery {
  const search = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  const number = (name: string): number | undefined => {
    const text = search.get(name);
    if (text === null) return undefined;
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw new Error(`${name} must be a whole number; got ${text}`);
    return n;
  };
  const status = search.get('status');
  if (status !== null && status !== 'ok' && status !== 'error')
    throw new Error(`status must be ok or error; got ${status}`);
  return {
    ...(status ? { status } : {}),
    ...(search.get('path') !== null ? { path: search.get('path')! } : {}),
    ...(search.get('apiKey') !== null ? { apiKey: search.get('apiKey')! } : {}),
    code: number('code'),
    after: number('after'),
    limit: number('limit'),
  };
}
