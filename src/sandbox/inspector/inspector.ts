/**
 * The request inspector: every REST request and WebSocket API message of every client becomes a
 * RequestRecord (masked key, redacted signature, status, error, weight, latency) in a bounded
 * recorder, a failure with its diagnosis. The servers call rest() and ws() once per answer; the
 * control API and the CLI's --log-requests read from here.
 */
import type { KeyStore } from '../auth';
import type { Engine } from '../engine';
import type { ApiError } from '../errors';
import { diagnose } from './diagnose';
import type { RequestRecord } from './record';
import { RequestRecorder } from './recorder';
import { formPairs, maskKey, redactParams } from './redact';

export interface RestExchange {
  time: number;
  method: string;
  path: string;
  rawQuery: string;
  rawBody: string;
  apiKey: string | undefined;
  contentType: string | undefined;
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
  connection: string;
  status: number;
  error?: ApiError;
  weight: number;
  latencyMs: number;
}

export interface InspectorOptions {
  keys: KeyStore;
  engine: Engine;
  now: () => number;
  capacity?: number;
  /** One line per request (CLI --log-requests). */
  logLine?: (line: string) => void;
}

export class Inspector {
  readonly recorder: RequestRecorder;

  constructor(private readonly options: InspectorOptions) {
    this.recorder = new RequestRecorder(options.capacity);
  }

  rest(exchange: RestExchange): RequestRecord {
    const pairs = [...formPairs(exchange.rawQuery), ...formPairs(exchange.rawBody)];
    const params = new Map<string, string>();
    for (const [name, value] of formPairs(exchange.rawBody)) params.set(name, value);
    for (const [name, value] of formPairs(exchange.rawQuery)) params.set(name, value); // the query string wins
    const signature = params.get('signature');
    const diagnosis =
      exchange.error &&
      diagnose({
        error: exchange.error,
        params,
        apiKey: exchange.apiKey,
        keys: this.options.keys,
        engine: this.options.engine,
        serverTime: this.options.now(),
        rest: {
          rawQuery: exchange.rawQuery,
          rawBody: exchange.rawBody,
          signature: lastIsSignature(exchange.rawQuery, exchange.rawBody) ? signature : undefined,
          contentType: exchange.contentType,
        },
      });
    return this.#add({
      time: exchange.time,
      transport: 'rest',
      ...(exchange.apiKey ? { apiKey: maskKey(exchange.apiKey) } : {}),
      connection: exchange.connection,
      method: exchange.method,
      path: exchange.path,
      params: redactParams(pairs),
      status: exchange.status,
      ...errorFields(exchange.error),
      weight: exchange.weight,
      latencyMs: exchange.latencyMs,
      ...(diagnosis ? { diagnosis } : {}),
    });
  }

  ws(exchange: WsExchange): RequestRecord {
    const apiKey = typeof exchange.params.apiKey === 'string' ? exchange.params.apiKey : undefined;
    const text = Object.entries(exchange.params).map(([name, value]): [string, string] => [
      name,
      typeof value === 'object' ? JSON.stringify(value) : String(value),
    ]);
    const diagnosis =
      exchange.error &&
      diagnose({
        error: exchange.error,
        params: new Map(text),
        apiKey,
        keys: this.options.keys,
        engine: this.options.engine,
        serverTime: this.options.now(),
        ws: { params: exchange.params },
      });
    return this.#add({
      time: exchange.time,
      transport: 'ws',
      ...(apiKey ? { apiKey: maskKey(apiKey) } : {}),
      connection: exchange.connection,
      method: exchange.method,
      params: redactParams(text),
      status: exchange.status,
      ...errorFields(exchange.error),
      weight: exchange.weight,
      latencyMs: exchange.latencyMs,
      ...(diagnosis ? { diagnosis } : {}),
    });
  }

  #add(record: Omit<RequestRecord, 'id'>): RequestRecord {
    const stored = this.recorder.add(record);
    this.options.logLine?.(logLine(stored));
    return stored;
  }
}

/** One line: time, client, request, answer, and for a failure its diagnosis. */
export function logLine(r: RequestRecord): string {
  const what = r.transport === 'rest' ? `${r.method} ${r.path}` : `ws ${r.method}`;
  const answer = r.code === undefined ? `${r.status}` : `${r.status} ${r.code}`;
  const base = `${what} ${answer} ${r.latencyMs} ms w${r.weight} ${r.apiKey ?? '-'} ${r.connection}`;
  return r.diagnosis ? `${base} — ${r.diagnosis.cause} Fix: ${r.diagnosis.fix}` : base;
}

function errorFields(error: ApiError | undefined): Pick<RequestRecord, 'code' | 'msg'> {
  return error ? { code: error.code, msg: error.message } : {};
}

/** Whether the signature pair ends the part that carries it (else -1022 says so first). */
function lastIsSignature(rawQuery: string, rawBody: string): boolean {
  const part = rawQuery.includes('signature=') ? rawQuery : rawBody;
  const pairs = part.split('&');
  return pairs[pairs.length - 1]?.startsWith('signature=') ?? false;
}
