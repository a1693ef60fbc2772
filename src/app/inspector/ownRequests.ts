/**
 * The extension's own requests to Spot Testnet, Demo and Live, as the Requests view lists them
 * (a local sandbox records them itself). From the client's request log entry: method, path,
 * status, weight, latency, error code; never a query string, a key or a signature.
 */
import type { Environment } from '../../core/environments';
import type { RequestLogEntry } from '../requestLog';
import type { InspectedRequest } from './inspectedRequest';

let counter = 0;

export function ownRequest(entry: RequestLogEntry, environment: Environment, now = Date.now()): InspectedRequest {
  const weight = typeof entry.usedWeight === 'number' ? entry.usedWeight : undefined;
  return {
    key: `own:${++counter}`,
    environment: environment.label,
    time: now - Math.round(entry.latencyMs),
    transport: 'rest',
    client: 'Testnet Desk',
    method: entry.method,
    path: entry.path.split('?')[0].split('#')[0],
    status: entry.status === 'error' ? 0 : entry.status,
    ...(entry.errorCode !== undefined ? { code: entry.errorCode } : {}),
    ...(weight !== undefined ? { weight } : {}),
    latencyMs: Math.round(entry.latencyMs),
  };
}
