/**
 * The request inspector: every REST request and WebSocket API message of every client becomes a
 * RequestRecord (masked key, redacted signature, status, error, weight, latency) in a bounded
 * recorder, a failure with its diagnosis. The servers call rest() and ws() once per answer; the
 * control API and the CLI's --log-requests read from here.
 */
import type { KeyStore } from '../auth';
import type { Engine } from '../engine';
import type { ApiError } from '../errors';
import type { WeightLimiter } from '../rateLimits';
import { cutSignature } from '../request';
import { diagnose } from './diagnose';
import type { Traffic } from './limitDiagnosis';
import type { KeyOwnership } from './keyOwnership';
import type { Diagnosis, RequestRecord } from './record';
import { RequestRecorder, type StoredRecord } from './recorder';
import { formPairs, maskKey, redactParams } from './redact';

export interface RestExchange {
  time: number;
  method: string;
  path: string;
  rawQuery: string;
  rawBody: string;
  apiKey: string | undefined;
  contentType: string | undefined;
  /** The client's address (rate limits are per IP). */
  ip: string;
  connection: string;
  status: number;
  /** The error answered, if any (its code and message are in the record). */
  error?: ApiError;
  weight: number;
  latencyMs: number;
}

export interface WsExchange {
  time: number;
  method: string;
  params: Record<string, unknown>;
  ip: string;
  connection: string;
  status: number;
  error?: ApiError;
  weight: number;
  latencyMs: number;
}

export interface InspectorOptions {
  keys: KeyStore;
  /** The request-weight limiter, for what a 429 says about the minute's traffic. */
  weights?: WeightLimiter;
  engine: Engine;
  now: () => number;
  capacity?: number;
  /** The per-user key registry, for a -2015 diagnosis naming the data folder a key belongs to. */
  keyOwnership?: KeyOwnership;
  /** One line per request (CLI --log-requests). */
  logLine?: (line: string) => void;
}

export class Inspector {
  readonly recorder: RequestRecorder;

  constructor(private readonly options: InspectorOptions) {
    this.recorder = new RequestRecorder(options.capacity);
  }

  /** One REST request, answered. Its parameters are decoded only when the record is read. */
  rest(exchange: RestExchange): StoredRecord {
    const { rawQuery, rawBody, error } = exchange;
    // One object literal, no spreads: this runs for every request (fields left undefined are not
    // in the JSON a reader gets).
    return this.#add({
      id: 0,
      time: exchange.time,
      transport: 'rest',
      apiKey: exchange.apiKey ? maskKey(exchange.apiKey) : undefined,
      connection: exchange.connection,
      method: exchange.method,
      path: exchange.path,
      params: () => redactParams([...formPairs(rawQuery), ...formPairs(rawBody)]),
      status: exchange.status,
      code: error?.code,
      msg: error?.message,
      weight: exchange.weight,
      latencyMs: exchange.latencyMs,
      diagnosis: error ? this.#diagnoseRest(exchange, error) : undefined,
    });
  }

  /** One WebSocket API request, answered. */
  ws(exchange: WsExchange): StoredRecord {
    const apiKey = typeof exchange.params.apiKey === 'string' ? exchange.params.apiKey : undefined;
    const text = (): [string, string][] =>
      Object.entries(exchange.params).map(([name, value]): [string, string] => [
        name,
        typeof value === 'object' ? JSON.stringify(value) : String(value),
      ]);
    const diagnosis =
      exchange.error &&
      diagnose({
        error: exchange.error,
        params: new Map(text()),
        apiKey,
        keys: this.options.keys,
        keyOwnership: this.options.keyOwnership,
        engine: this.options.engine,
        serverTime: this.options.now(),
        traffic:
          exchange.error.code === -1003
            ? this.#traffic(exchange.ip, endpointOf({ transport: 'ws', method: exchange.method }), exchange.weight)
            : undefined,
        ws: { params: exchange.params },
      });
    return this.#add({
      id: 0,
      time: exchange.time,
      transport: 'ws',
      apiKey: apiKey ? maskKey(apiKey) : undefined,
      connection: exchange.connection,
      method: exchange.method,
      params: () => redactParams(text()),
      status: exchange.status,
      code: exchange.error?.code,
      msg: exchange.error?.message,
      weight: exchange.weight,
      latencyMs: exchange.latencyMs,
      diagnosis,
    });
  }

  #diagnoseRest(exchange: RestExchange, error: ApiError): Diagnosis | undefined {
    const params = new Map<string, string>();
    for (const [name, value] of formPairs(exchange.rawBody)) params.set(name, value);
    for (const [name, value] of formPairs(exchange.rawQuery)) params.set(name, value); // the query string wins
    // The signature and the signed parts exactly as the request parser cut them.
    const query = cutSignature(exchange.rawQuery);
    const body = cutSignature(exchange.rawBody);
    const carrier = query.signature !== undefined ? query : body;
    return diagnose({
      error,
      params,
      apiKey: exchange.apiKey,
      keys: this.options.keys,
      keyOwnership: this.options.keyOwnership,
      engine: this.options.engine,
      serverTime: this.options.now(),
      traffic:
        error.code === -1003
          ? this.#traffic(exchange.ip, endpointOf({ transport: 'rest', ...exchange }), exchange.weight)
          : undefined,
      rest: {
        rawQuery: query.rest,
        rawBody: body.rest,
        signature: carrier.last ? carrier.signature : undefined,
        contentType: exchange.contentType,
      },
    });
  }

  /** This IP's request weight this minute, and where it went (the records kept and this request). */
  #traffic(ip: string, endpoint: string, weight: number): Traffic {
    const now = this.options.now();
    const minuteStart = now - (now % 60_000);
    const byEndpoint = new Map<string, number>([[endpoint, weight]]);
    for (const record of this.recorder.newestFirst()) {
      if (record.time < minuteStart) break;
      // A record names its client by connection: "IP:port" (REST) or "ws IP #n" (WebSocket API).
      if (!record.connection.startsWith(`${ip}:`) && !record.connection.startsWith(`ws ${ip} `)) continue;
      const name = endpointOf(record);
      byEndpoint.set(name, (byEndpoint.get(name) ?? 0) + record.weight);
    }
    return {
      ip,
      used: this.options.weights?.used(ip, now) ?? 0,
      byEndpoint: [...byEndpoint].sort((a, b) => b[1] - a[1]).slice(0, 3),
    };
  }

  #add(record: StoredRecord): StoredRecord {
    const stored = this.recorder.add(record);
    this.options.logLine?.(logLine(stored));
    return stored;
  }
}

/** One line: time, client, request, answer, and for a failure its diagnosis. */
export function logLine(r: Omit<RequestRecord, 'params'>): string {
  const what = endpointOf(r);
  const answer = r.code === undefined ? `${r.status}` : `${r.status} ${r.code}`;
  const base = `${what} ${answer} ${r.latencyMs} ms w${r.weight} ${r.apiKey ?? '-'} ${r.connection}`;
  return r.diagnosis ? `${base} — ${r.diagnosis.cause} Fix: ${r.diagnosis.fix}` : base;
}

/** "POST /api/v3/order" or "ws order.place": how a log line and a 429's traffic name a request. */
function endpointOf(r: Pick<RequestRecord, 'transport' | 'method' | 'path'>): string {
  return r.transport === 'rest' ? `${r.method} ${r.path}` : `ws ${r.method}`;
}
