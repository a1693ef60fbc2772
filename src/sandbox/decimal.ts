/**
 * Exact decimal arithmetic for the sandbox: every amount is a bigint count of 10^-18 units.
 * Kept inside src/sandbox/ on purpose (the sandbox must not share code with the client it tests).
 * Amounts in the sandbox are non-negative except transient deltas.
 */

export type Dec = bigint;

export const SCALE = 18;
const ONE_UNITS = 10n ** BigInt(SCALE);
export const ONE: Dec = ONE_UNITS;
export const ZERO: Dec = 0n;

/** The syntax Binance accepts for DECIMAL parameters (and reports in -1100 messages). */
export const DECIMAL_PATTERN = /^([0-9]{1,20})(\.[0-9]{1,20})?$/;
export const DECIMAL_PATTERN_TEXT = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';

/** Parses a plain decimal string ("12", "0.001"); returns undefined for anything else (1e-3, -1, NaN, 0.1.2). */
export function tryParseDec(text: string): Dec | undefined {
  if (!DECIMAL_PATTERN.test(text)) return undefined;
  const [intPart, fracPart = ''] = text.split('.');
  if (fracPart.length > SCALE) return undefined;
  return BigInt(intPart) * ONE_UNITS + BigInt(fracPart.padEnd(SCALE, '0') || '0');
}

/** Like tryParseDec, but throws: for trusted configuration values. Accepts a leading '-'. */
export function dec(text: string): Dec {
  const negative = text.startsWith('-');
  const value = tryParseDec(negative ? text.slice(1) : text);
  if (value === undefined) throw new Error(`not a decimal: ${text}`);
  return negative ? -value : value;
}

/** Number of digits after the point in a decimal string, ignoring trailing zeros. */
export function significantDecimals(text: string): number {
  const frac = text.split('.')[1] ?? '';
  return frac.replace(/0+$/, '').length;
}

/** Recent 8-place texts: answers repeat the same few amounts (0, a bot's price and quantity) over and over. */
const fmt8Cache = new Map<Dec, string>();
const FMT8_CACHE_SIZE = 4096;

/** Fixed-point text with exactly `places` decimals, truncated toward zero. */
export function fmt(value: Dec, places = 8): string {
  if (places !== 8) return format(value, places);
  let text = fmt8Cache.get(value);
  if (text === undefined) {
    if (fmt8Cache.size >= FMT8_CACHE_SIZE) fmt8Cache.clear();
    text = format(value, 8);
    fmt8Cache.set(value, text);
  }
  return text;
}

function format(value: Dec, places: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const intPart = abs / ONE_UNITS;
  const frac = (abs % ONE_UNITS).toString().padStart(SCALE, '0').slice(0, places);
  const body = places > 0 ? `${intPart}.${frac}` : `${intPart}`;
  return negative && /[1-9]/.test(body) ? `-${body}` : body;
}

export function mul(a: Dec, b: Dec): Dec {
  return (a * b) / ONE_UNITS;
}

/** a / b truncated; b must be non-zero. */
export function div(a: Dec, b: Dec): Dec {
  return (a * ONE_UNITS) / b;
}

/** Largest multiple of `step` that is <= value (value >= 0). step 0 means "no step". */
export function floorToStep(value: Dec, step: Dec): Dec {
  if (step <= 0n) return value;
  return (value / step) * step;
}

/** Smallest multiple of `step` that is >= value (value >= 0). */
export function ceilToStep(value: Dec, step: Dec): Dec {
  if (step <= 0n) return value;
  return ((value + step - 1n) / step) * step;
}

export function isMultipleOf(value: Dec, step: Dec): boolean {
  return step <= 0n || value % step === 0n;
}

/** 10^-places as a Dec (the smallest unit of an asset with `places` decimals). */
export function unit(places: number): Dec {
  return 10n ** BigInt(SCALE - places);
}

export function min(a: Dec, b: Dec): Dec {
  return a < b ? a : b;
}

export function max(a: Dec, b: Dec): Dec {
  return a > b ? a : b;
}
