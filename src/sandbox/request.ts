/**
 * Turns a raw REST request (query string + x-www-form-urlencoded body, as bytes received) into
 * parameters, following the real API: the query string wins on duplicates across the two, a name
 * repeated inside one of them is -1101, and the signed payload is the raw query string followed
 * directly by the raw body with the trailing `signature` pair cut out.
 */
import { tryParseDec, Dec, DECIMAL_PATTERN_TEXT, significantDecimals } from './decimal';
import { ApiError, Errors } from './errors';

interface RawPair {
  name: string;
  value: string;
}

export interface ParsedRequest {
  readonly params: Params;
  /** Percent-decoded signature, if one was sent. */
  readonly signature?: string;
  /** The exact bytes the client had to sign (only meaningful when a signature was sent). */
  readonly signedPayload: Buffer;
  /** False when `signature` was not the last parameter of the part that carried it. */
  readonly signatureLast: boolean;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw Errors.illegalCharsGeneric();
  }
}

function splitPairs(raw: string): RawPair[] {
  if (raw === '') return [];
  return raw.split('&').map((part) => {
    const eq = part.indexOf('=');
    const name = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : part.slice(eq + 1);
    return { name, value };
  });
}

/** Removes a trailing `&signature=...` (or a lone `signature=...`) from a raw part. */
export function cutSignature(raw: string): { rest: string; signature?: string; last: boolean } {
  const pairs = raw === '' ? [] : raw.split('&');
  const index = pairs.findIndex((p) => p.startsWith('signature='));
  if (index < 0) return { rest: raw, last: true };
  const value = pairs[index].slice('signature='.length);
  pairs.splice(index, 1);
  // Form decoding like every other value: a base64 signature sent without percent-encoding has
  // its '+' turned into ' ' and fails, as on the real API (it must be percent-encoded).
  let signature: string;
  try {
    signature = decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    signature = value;
  }
  return { rest: pairs.join('&'), signature, last: index === pairs.length };
}

export function parseRequest(rawQuery: string, rawBody: string): ParsedRequest {
  const query = cutSignature(rawQuery);
  const body = cutSignature(rawBody);
  const values = new Map<string, string>();
  const bodyNames = new Set<string>();
  for (const { name, value } of splitPairs(body.rest)) {
    if (bodyNames.has(name)) throw Errors.duplicateParam();
    bodyNames.add(name);
    values.set(name, decodeComponent(value));
  }
  const queryNames = new Set<string>();
  for (const { name, value } of splitPairs(query.rest)) {
    if (queryNames.has(name)) throw Errors.duplicateParam();
    queryNames.add(name);
    values.set(name, decodeComponent(value)); // the query string wins
  }
  const fromQuery = query.signature !== undefined;
  const signature = fromQuery ? query.signature : body.signature;
  const signatureLast = fromQuery ? query.last : body.last;
  const signedPayload = Buffer.from(query.rest + body.rest, 'latin1');
  return { params: new Params(values, signature !== undefined ? 1 : 0), signature, signedPayload, signatureLast };
}

const LONG_RANGE = '^[0-9]{1,20}$';

/** Typed access to request parameters with Binance's error codes. Empty values count as not sent. */
export class Params {
  /** `uncounted`: parameters sent but not kept here (the REST `signature`), for -1104's count. */
  constructor(
    private readonly values: Map<string, string>,
    readonly uncounted = 0,
  ) {}

  /** Number of parameters the request carried (the "was sent" of -1104). */
  sentCount(): number {
    return this.values.size + this.uncounted;
  }

  has(name: string): boolean {
    return this.str(name) !== undefined;
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  str(name: string): string | undefined {
    const v = this.values.get(name);
    return v === undefined || v === '' ? undefined : v;
  }

  required(name: string): string {
    const v = this.str(name);
    if (v === undefined) throw Errors.mandatory(name);
    return v;
  }

  /** DECIMAL parameter; `maxDecimals` gives -1111 when exceeded. */
  decimal(name: string, maxDecimals = 8): Dec | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const parsed = tryParseDec(v);
    if (parsed === undefined) throw Errors.illegalChars(name, DECIMAL_PATTERN_TEXT);
    if (significantDecimals(v) > maxDecimals) throw Errors.badPrecision(name);
    return parsed;
  }

  /** LONG / INT parameter. */
  int(name: string): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (!/^[0-9]{1,20}$/.test(v)) throw Errors.illegalChars(name, LONG_RANGE);
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw Errors.illegalChars(name, LONG_RANGE);
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const lower = v.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw new ApiError(-1100, `Illegal characters found in parameter '${name}'; legal range is 'true, false'.`);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], error: () => ApiError): T | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) throw error();
    return v as T;
  }
}

/**
 * Parameters of a WebSocket API request (JSON values) as REST-style text parameters, so the same
 * typed checks and error codes apply: numbers and booleans as their text, arrays and objects (e.g.
 * `symbols`) as JSON, null as not sent.
 */
export function paramsFromJson(params: Record<string, unknown>): Params {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    values.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return new Params(values);
}
