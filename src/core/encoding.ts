/**
 * Payload encoding for REST requests. Since the 2025-12 change (testnet) / 2026-01-15 (live), the
 * REST signature is computed over the percent-encoded payload, so the string built here is both
 * what is signed and what is sent, byte for byte.
 */

export type ParamValue = string | number | boolean | bigint;
export type Params = Readonly<Record<string, ParamValue | undefined>>;

/**
 * RFC 3986 percent-encoding: everything except the unreserved set [A-Za-z0-9-_.~] is encoded as
 * UTF-8 bytes. This matches the reference's shell example; encodeURIComponent alone leaves
 * !'()* unencoded.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function formatParamValue(value: ParamValue): string {
  if (typeof value === 'number') {
    // Binary floats must never carry prices or quantities; integers (timestamps, ids, limits) are fine.
    if (!Number.isSafeInteger(value)) {
      throw new TypeError(`Numeric parameter ${value} is not a safe integer; pass decimals as strings.`);
    }
    return String(value);
  }
  return String(value);
}

/** `a=1&b=x%20y`, in insertion order, skipping undefined values. */
export function encodeParams(params: Params): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    pairs.push(`${percentEncode(name)}=${percentEncode(formatParamValue(value))}`);
  }
  return pairs.join('&');
}

/**
 * The WebSocket API payload: parameters sorted by name, `name=value` joined with `&`, values as raw
 * UTF-8 (the WS API does not percent-encode). `signature` itself is never part of the payload.
 */
export function wsSignaturePayload(params: Params): string {
  return Object.keys(params)
    .filter((name) => name !== 'signature' && params[name] !== undefined)
    .sort()
    .map((name) => `${name}=${formatParamValue(params[name] as ParamValue)}`)
    .join('&');
}
