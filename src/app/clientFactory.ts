import { SpotClient } from '../core/client';
import { canonicalEnvironment } from '../core/environments';
import { FetchTransport } from '../core/fetchTransport';
import { BackoffGate } from '../core/rateLimits';
import type { HttpTransport } from '../core/transport';
import type { Credential } from '../core/credentials';
import type { Environment } from '../core/environments';
import type { Log } from './log';
import { formatRequestLog, type RequestLogEntry } from './requestLog';

/**
 * Builds real SpotClients over node-fetch. Each request is logged from onRequest (method, path,
 * status, weight, latency; the client never passes a query string, key or signature).
 */
/** A ClientFactory whose clients are whole SpotClients (the market panel also reads klines, trades and depth). */
export type SpotClientFactory = (environment: Environment, credential: () => Credential | undefined) => SpotClient;

export function createClientFactory(
  log: Pick<Log, 'info'>,
  /** The `testnetDesk.recvWindow` setting, read for each client built. */
  settings: () => { recvWindow: number },
  transport: HttpTransport = new FetchTransport(),
  /** Also told of every request (the Requests view), with the environment it went to. */
  observe?: (entry: RequestLogEntry, environment: Environment) => void,
): SpotClientFactory {
  // One rate-limit gate per environment, shared by every client built for it: the session rebuilds
  // its client on each settings or environment change, and key checks build their own; none of them
  // may send while a 429/418 Retry-After from another is still running.
  const gates = new Map<string, BackoffGate>();
  return (requested, credential) => {
    // Resolved once, so the gate and the client are keyed by the same (canonical) environment.
    const environment = canonicalEnvironment(requested);
    let gate = gates.get(environment.id);
    if (!gate) gates.set(environment.id, (gate = new BackoffGate()));
    return new SpotClient({
      environment,
      transport,
      credential,
      recvWindow: settings().recvWindow,
      backoffGate: gate,
      onRequest: (entry) => {
        log.info(formatRequestLog(entry, environment.label));
        observe?.(entry, environment);
      },
    });
  };
}
