import type { PreparedRequest } from '../../src/core/signer';
import { HttpTransport, TransportResponse } from '../../src/core/transport';

export type Handler = (request: PreparedRequest) => TransportResponse | Promise<TransportResponse>;

/** A JSON response with lower-cased headers, as a transport returns it. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): TransportResponse {
  const lower: Record<string, string> = { 'content-type': 'application/json' };
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  return { status, headers: lower, bodyText: JSON.stringify(body) };
}

/**
 * An in-memory transport that records every request and answers from routes ("GET /api/v3/time")
 * or a fallback handler. Routes may queue several answers; the last one repeats.
 */
export class RecordingTransport implements HttpTransport {
  readonly calls: PreparedRequest[] = [];
  readonly #routes = new Map<string, Handler[]>();

  constructor(
    private readonly fallback: Handler = (r) => json(404, { code: -1, msg: `no route for ${r.method} ${r.path}` }),
  ) {}

  /** Answers for `METHOD /path`, used in order; the last one repeats. */
  on(route: string, ...handlers: Array<Handler | TransportResponse>): this {
    this.#routes.set(
      route,
      handlers.map((h) => (typeof h === 'function' ? h : () => h)),
    );
    return this;
  }

  callsTo(route: string): PreparedRequest[] {
    return this.calls.filter((c) => `${c.method} ${c.path}` === route);
  }

  async send(request: PreparedRequest): Promise<TransportResponse> {
    this.calls.push(request);
    const queue = this.#routes.get(`${request.method} ${request.path}`);
    if (!queue || queue.length === 0) return this.fallback(request);
    const handler = queue.length > 1 ? queue.shift()! : queue[0];
    return handler(request);
  }
}

/** Parameters of a prepared request (query string or form body) as a map. */
export function paramsOf(request: PreparedRequest): Record<string, string> {
  const source = request.body ?? (request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
  const out: Record<string, string> = {};
  for (const pair of source.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    out[decodeURIComponent(pair.slice(0, eq))] = decodeURIComponent(pair.slice(eq + 1));
  }
  return out;
}
