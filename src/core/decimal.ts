/**
 * Exact decimal arithmetic on the strings the API uses for prices and quantities. A value is held
 * as a BigInt scaled by a power of ten, so "0.1" + "0.2" is exactly "0.3" and a tick-size check is
 * an integer remainder, never a float comparison.
 */

export class DecimalError extends Error {
  override readonly name = 'DecimalError';
}

/** Longest digit string accepted (all digits, including leading zeros). */
export const MAX_DIGITS = 40;
/** Most significant digits accepted (leading zeros and trailing fraction zeros do not count). */
export const MAX_SIGNIFICANT_DIGITS = 30;

export type Rounding = 'down' | 'up' | 'half-up';

export interface ParseOptions {
  /** Name used in messages, e.g. "price". */
  field?: string;
  /** Negative values are refused unless this is true (prices and quantities are never negative). */
  allowNegative?: boolean;
}

/** value = n / 10^s */
interface Scaled {
  n: bigint;
  s: number;
}

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal written out in plain digits ("0.00100000", "42", "-1.5" where allowed).
 * Refuses exponent notation, NaN/Infinity, signs other than a leading "-", stray spaces, several
 * decimal points and absurdly long inputs, with a message that says what to write instead.
 */
function parseScaled(text: unknown, options: ParseOptions = {}): Scaled {
  const what = options.field ? `${options.field} ` : '';
  if (typeof text !== 'string') {
    throw new DecimalError(`${what}must be a decimal string such as "0.001"; got ${typeof text}.`.trimStart());
  }
  const shown = text.length > 50 ? `${text.slice(0, 47)}...` : text;
  if (text === '') throw new DecimalError(`${what}is empty; enter a number such as 0.001.`.trimStart());
  if (/\s/.test(text)) throw new DecimalError(`${what}"${shown}" contains spaces; enter only the number.`.trimStart());
  if (/^[-+]?(nan|infinity|inf)$/i.test(text)) throw new DecimalError(`${what}"${shown}" is not a number.`.trimStart());
  if (/^[-+]?[\d.]*e[-+]?\d*$/i.test(text)) {
    throw new DecimalError(
      `${what}"${shown}" uses exponent notation; write the digits out, e.g. 0.001 instead of 1e-3.`.trimStart(),
    );
  }
  if ((text.match(/\./g) ?? []).length > 1)
    throw new DecimalError(`${what}"${shown}" has more than one decimal point.`.trimStart());
  if (text.startsWith('+'))
    throw new DecimalError(`${what}"${shown}" has a "+" sign; write the number without it.`.trimStart());
  const m = PLAIN_DECIMAL.exec(text);
  if (!m) {
    if (/^-?\.\d+$/.test(text))
      throw new DecimalError(`${what}"${shown}" needs a digit before the point, e.g. 0.5.`.trimStart());
    if (/^-?\d+\.$/.test(text))
      throw new DecimalError(
        `${what}"${shown}" ends with a point; write ${text.slice(0, -1)} or add decimals.`.trimStart(),
      );
    throw new DecimalError(
      `${what}"${shown}" is not a decimal number (digits with an optional ".", e.g. 0.001).`.trimStart(),
    );
  }
  const [, sign, intPart, fracPart = ''] = m;
  const digits = intPart + fracPart;
  if (digits.length > MAX_DIGITS) {
    throw new DecimalError(
      `${what}"${shown}" has ${digits.length} digits; at most ${MAX_DIGITS} are supported.`.trimStart(),
    );
  }
  const significant = (intPart + fracPart.replace(/0+$/, '')).replace(/^0+/, '').length;
  if (significant > MAX_SIGNIFICANT_DIGITS) {
    throw new DecimalError(
      `${what}"${shown}" has ${significant} significant digits; at most ${MAX_SIGNIFICANT_DIGITS} are supported.`.trimStart(),
    );
  }
  let n = BigInt(digits);
  if (sign === '-') {
    if (!options.allowNegative && n !== 0n)
      throw new DecimalError(`${what}"${shown}" must not be negative.`.trimStart());
    n = -n;
  }
  return { n, s: fracPart.length };
}

function toText(v: Scaled): string {
  const neg = v.n < 0n;
  let digits = (neg ? -v.n : v.n).toString();
  if (v.s > 0) {
    digits = digits.padStart(v.s + 1, '0');
    const int = digits.slice(0, digits.length - v.s);
    const frac = digits.slice(digits.length - v.s).replace(/0+$/, '');
    digits = frac ? `${int}.${frac}` : int;
  }
  if (/^0(\.0*)?$/.test(digits)) return '0';
  return neg ? `-${digits}` : digits;
}

const POW10: bigint[] = [];
function pow10(k: number): bigint {
  if (k < 0) throw new RangeError('negative power');
  return (POW10[k] ??= 10n ** BigInt(k));
}

function rescale(v: Scaled, s: number): bigint {
  if (s < v.s) throw new RangeError('cannot rescale down without rounding');
  return v.n * pow10(s - v.s);
}

function align(a: Scaled, b: Scaled): [bigint, bigint, number] {
  const s = Math.max(a.s, b.s);
  return [rescale(a, s), rescale(b, s), s];
}

/** Integer division of bigints with an explicit rounding mode (works for any signs). */
function divRound(num: bigint, den: bigint, rounding: Rounding | 'floor' | 'ceil'): bigint {
  if (den === 0n) throw new DecimalError('Division by zero.');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den; // truncates toward zero
  const r = num % den;
  if (r === 0n) return q;
  const positive = num > 0n;
  switch (rounding) {
    case 'down': // toward zero
      return q;
    case 'up': // away from zero
      return positive ? q + 1n : q - 1n;
    case 'floor':
      return positive ? q : q - 1n;
    case 'ceil':
      return positive ? q + 1n : q;
    case 'half-up': {
      const twice = 2n * (r < 0n ? -r : r);
      if (twice >= den) return positive ? q + 1n : q - 1n;
      return q;
    }
  }
}

const any = (text: string): Scaled => parseScaled(text, { allowNegative: true });

/** Parses and returns the canonical form ("0010.500" → "10.5"); throws DecimalError with a clear message. */
export function parseDecimal(text: string, options: ParseOptions = {}): string {
  return toText(parseScaled(text, options));
}

/** The DecimalError message for `text`, or undefined when it is a valid decimal. */
export function decimalProblem(text: string, options: ParseOptions = {}): string | undefined {
  try {
    parseScaled(text, options);
    return undefined;
  } catch (error) {
    if (error instanceof DecimalError) return error.message;
    throw error;
  }
}

export function isDecimal(text: string, options: ParseOptions = {}): boolean {
  return decimalProblem(text, options) === undefined;
}

/** Canonical text: no leading zeros, no trailing fraction zeros, "-0" → "0". */
export function normalize(text: string): string {
  return toText(any(text));
}

export function compare(a: string, b: string): -1 | 0 | 1 {
  const [x, y] = align(any(a), any(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

export const eq = (a: string, b: string): boolean => compare(a, b) === 0;
export const lt = (a: string, b: string): boolean => compare(a, b) < 0;
export const lte = (a: string, b: string): boolean => compare(a, b) <= 0;
export const gt = (a: string, b: string): boolean => compare(a, b) > 0;
export const gte = (a: string, b: string): boolean => compare(a, b) >= 0;
export const isZero = (a: string): boolean => any(a).n === 0n;
export const isPositive = (a: string): boolean => any(a).n > 0n;
export const isNegative = (a: string): boolean => any(a).n < 0n;
export const min = (a: string, b: string): string => (lte(a, b) ? normalize(a) : normalize(b));
export const max = (a: string, b: string): string => (gte(a, b) ? normalize(a) : normalize(b));

export function add(a: string, b: string): string {
  const [x, y, s] = align(any(a), any(b));
  return toText({ n: x + y, s });
}

export function sub(a: string, b: string): string {
  const [x, y, s] = align(any(a), any(b));
  return toText({ n: x - y, s });
}

export function mul(a: string, b: string): string {
  const x = any(a);
  const y = any(b);
  return toText({ n: x.n * y.n, s: x.s + y.s });
}

/** a / b with `scale` fraction digits, rounded as asked (default: toward zero). */
export function div(a: string, b: string, scale: number, rounding: Rounding = 'down'): string {
  if (!Number.isInteger(scale) || scale < 0 || scale > 60)
    throw new RangeError(`scale must be an integer 0..60; got ${scale}`);
  const x = any(a);
  const y = any(b);
  if (y.n === 0n) throw new DecimalError('Division by zero.');
  // a/b = (x.n / 10^x.s) / (y.n / 10^y.s); result scaled by 10^scale.
  const num = x.n * pow10(y.s + scale);
  const den = y.n * pow10(x.s);
  return toText({ n: divRound(num, den, rounding), s: scale });
}

/** Number of fraction digits of the canonical form ("0.00100000" → 3). */
export function decimalPlaces(text: string): number {
  const t = normalize(text);
  const dot = t.indexOf('.');
  return dot === -1 ? 0 : t.length - dot - 1;
}

/** Whether value is an exact multiple of step. A zero step means "no step rule" and is always true. */
export function isMultipleOf(value: string, step: string): boolean {
  const [x, y] = align(any(value), any(step));
  if (y === 0n) return true;
  return x % y === 0n;
}

function toStep(value: string, step: string, rounding: 'floor' | 'ceil' | 'half-up'): string {
  const [x, y, s] = align(any(value), any(step));
  if (y === 0n) return normalize(value);
  if (y < 0n) throw new DecimalError('A step must be positive.');
  const k = divRound(x, y, rounding);
  return toText({ n: k * y, s });
}

/** Largest multiple of step ≤ value (step 0: value unchanged). */
export const floorToStep = (value: string, step: string): string => toStep(value, step, 'floor');
/** Smallest multiple of step ≥ value (step 0: value unchanged). */
export const ceilToStep = (value: string, step: string): string => toStep(value, step, 'ceil');
/** Nearest multiple of step, halves away from zero (step 0: value unchanged). */
export const roundToStep = (value: string, step: string): string => toStep(value, step, 'half-up');

/**
 * Fixed number of fraction digits: formatFixed("1.5", 8) → "1.50000000". Extra digits are rounded
 * as asked (default toward zero, which never inflates a quantity).
 */
export function formatFixed(value: string, scale: number, rounding: Rounding = 'down'): string {
  if (!Number.isInteger(scale) || scale < 0 || scale > 60)
    throw new RangeError(`scale must be an integer 0..60; got ${scale}`);
  const v = any(value);
  const n = v.s <= scale ? v.n * pow10(scale - v.s) : divRound(v.n, pow10(v.s - scale), rounding);
  const neg = n < 0n;
  let digits = (neg ? -n : n).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return neg && n !== 0n ? `-${digits}` : digits;
}

/** Canonical form with trailing zeros stripped ("1.50000000" → "1.5"); same as normalize. */
export const stripTrailingZeros = normalize;
