/**
 * What an /api/v3 endpoint is: its weight and its handler, public or signed. A signed handler
 * receives the caller's key record; a public one never sees any. REST (rest.ts) and the WebSocket
 * API (wsApi.ts) run the same routes, each authorizing in its own way.
 */
import { ApiKeyRecord, KeyStore } from './auth';
import type { Inspector } from './inspector/inspector';
import { Engine } from './engine';
import { OrderLimiter, WeightLimiter } from './rateLimits';
import { ApiError, Errors } from './errors';
import { Params } from './request';

/** What a handler may use: the engine, keys and limits, and the (fault-skewed) clock. */
export interface RestEnv {
  readonly engine: Engine;
  readonly keys: KeyStore;
  readonly weights: WeightLimiter;
  readonly orders: OrderLimiter;
  now(): number;
  /** With a data folder: lets an answer wait until what its request changed is on disk. */
  readonly durability?: Durability;
  /** Records every request and its answer, a failure with its diagnosis (inspector/). */
  readonly inspector?: Inspector;
}

/** The durable store as the request paths see it (persistence/durableStore.ts). */
export interface Durability {
  /** Records journaled so far; a request that changed something has raised it. */
  readonly appended: number;
  /** Settles when the first `count` records are on disk (undefined if they are); rejects if they never will be. */
  whenDurable(count: number): Promise<void> | undefined;
}

export interface RestOutcome {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Successful order endpoints cost 0 weight (testnet since 2026-03-27). */
  refundWeight: boolean;
}

interface RouteBase {
  weight(p: Params): number;
  /** Weight is refunded when the call succeeds. */
  readonly zeroOnSuccess?: boolean;
}

export interface PublicRoute extends RouteBase {
  readonly signed: false;
  handle(env: RestEnv, p: Params, out: RestOutcome): unknown;
}

export interface SignedRoute extends RouteBase {
  readonly signed: true;
  handle(env: RestEnv, p: Params, auth: ApiKeyRecord, out: RestOutcome): unknown;
}

export type Route = PublicRoute | SignedRoute;

/**
 * The weight a request is charged before it runs. Never throws: parameters the weight depends on
 * are checked by the handler, which then answers the error (charged 1).
 */
export function routeWeight(route: Route, p: Params): number {
  try {
    return route.weight(p);
  } catch {
    return 1;
  }
}

/**
 * Runs a route; `authorize` is called only for a signed route, before its handler. Throws
 * ApiError for every rejection.
 */
export function runRoute(env: RestEnv, route: Route, p: Params, authorize: () => ApiKeyRecord): RestOutcome {
  const out: RestOutcome = { status: 200, body: {}, headers: {}, refundWeight: false };
  out.body = route.signed ? route.handle(env, p, authorize(), out) : route.handle(env, p, out);
  out.refundWeight = route.zeroOnSuccess === true;
  return out;
}

/**
 * Waits until what this request changed (journal records after `journaled`) is on disk, so no
 * answer names an order a crash could lose. Resolves with the error to answer instead if it never
 * will be (the disk failed), undefined when it is durable.
 */
export async function durable(env: RestEnv, journaled: number | undefined): Promise<ApiError | undefined> {
  const store = env.durability;
  if (!store || store.appended === journaled) return undefined;
  try {
    await store.whenDurable(store.appended);
    return undefined;
  } catch (error) {
    return Errors.notSaved((error as Error).message);
  }
}
