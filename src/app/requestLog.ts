/**
 * One log line per REST request, from the client's onRequest callback. Pure (no `vscode`).
 * Only method, path, status, weight and latency are printed: never a query string, header, key
 * or signature (the path is cut at "?" in case a caller ever passes a full URL).
 */
export interface RequestLogEntry {
  method: string;
  path: string;
  status: number | 'error';
  usedWeight?: number | string | Record<string, number>;
  latencyMs: number;
  errorCode?: number;
}

export function formatRequestLog(entry: RequestLogEntry, environmentLabel?: string): string {
  const path = entry.path.split('?')[0].split('#')[0];
  const parts = [
    `${entry.method} ${path}`,
    entry.status === 'error' || entry.status === 0 ? 'no response' : String(entry.status),
  ];
  const weight = formatWeight(entry.usedWeight);
  if (weight) parts.push(`weight ${weight}`);
  parts.push(`${Math.round(entry.latencyMs)} ms`);
  if (entry.errorCode !== undefined) parts.push(`code ${entry.errorCode}`);
  return `${environmentLabel ? `[${environmentLabel}] ` : ''}${parts.join(' · ')}`;
}

function formatWeight(weight: RequestLogEntry['usedWeight']): string | undefined {
  if (weight === undefined) return undefined;
  if (typeof weight === 'object') {
    const entries = Object.entries(weight);
    return entries.length === 0 ? undefined : entries.map(([interval, value]) => `${value}/${interval}`).join(', ');
  }
  return String(weight);
}
