/**
 * Redaction for anything that may reach a log line, an error message or a notification.
 * Secrets never get here in the first place (Credential keeps them private); these helpers cover
 * the request-shaped data that passes through logs: API keys, signatures, query strings.
 */

/** "vmPU…Eh8A": enough to tell keys apart, too little to use one. */
export function maskApiKey(apiKey: string): string {
  if (apiKey.length <= 8) return '…';
  return `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`;
}

const SENSITIVE_PARAMS = new Set(['signature', 'apikey', 'secret', 'secretkey', 'privatekey']);

/** Replaces the values of sensitive parameters in a query string or form body. */
export function redactQuery(query: string): string {
  if (!query) return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return SENSITIVE_PARAMS.has(name.toLowerCase()) ? `${name}=<redacted>` : pair;
    })
    .join('&');
}

/** A URL (path and query) safe to log. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  return `${url.slice(0, q)}?${redactQuery(url.slice(q + 1))}`;
}
