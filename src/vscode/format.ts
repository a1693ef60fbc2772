/**
 * Display formatting for tree items and messages. No `vscode` import, so it is unit-tested in
 * plain mocha. Amounts stay decimal strings; nothing here goes through a JS float.
 */
import { div, formatFixed, gte, isZero, mul, normalize } from '../core/decimal';

/** "1.50000000" → "1.5"; very long fractions are cut (not rounded up) to `maxPlaces`. */
export function formatAmount(value: string, maxPlaces = 8): string {
  const text = normalize(value);
  const dot = text.indexOf('.');
  if (dot === -1 || text.length - dot - 1 <= maxPlaces) return text;
  return normalize(formatFixed(text, maxPlaces, 'down'));
}

/** A quote-currency value with two decimals: "1234.5" → "1,234.50". */
export function formatMoney(value: string): string {
  const fixed = formatFixed(value, 2, 'half-up');
  const negative = fixed.startsWith('-');
  const [whole, fraction] = (negative ? fixed.slice(1) : fixed).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}.${fraction}`;
}

/** Smallest non-zero valuation shown; anything smaller reads "< 0.00000001". */
const SMALLEST_VALUE_PLACES = 8;

/**
 * A valuation in a quote asset, exact: from 1 up, grouped with two decimals ("6,000.01"); below 1,
 * two significant digits cut down ("0.0012", "0.50"), at most 8 places; "< 0.00000001" for a
 * non-zero value below that (never a misleading "0.00").
 */
export function formatValue(value: string): string {
  const text = normalize(value);
  const negative = text.startsWith('-');
  const abs = negative ? text.slice(1) : text;
  if (isZero(abs)) return '0.00';
  if (gte(abs, '1')) return formatMoney(text);
  const fraction = abs.split('.')[1] ?? '';
  const firstDigit = fraction.search(/[1-9]/) + 1; // 1-based place of the first significant digit
  const places = Math.min(SMALLEST_VALUE_PLACES, Math.max(2, firstDigit + 1));
  const fixed = formatFixed(abs, places, 'down');
  if (isZero(fixed)) return `${negative ? '> -' : '< '}0.${'0'.repeat(SMALLEST_VALUE_PLACES - 1)}1`;
  return `${negative ? '-' : ''}${fixed}`;
}

/** Percentage of `part` in `whole` with one decimal, "0" when whole is zero. */
export function percent(part: string, whole: string): string {
  if (isZero(whole)) return '0';
  return normalize(div(mul(part, '100'), whole, 1, 'down'));
}

/** Compact age: "12s", "5m", "3h 4m", "2d 3h". */
export function formatAge(fromMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

/** "14:03:05" in local time, for "updated at" descriptions. */
export function formatClock(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** ISO-like local date and time for tooltips: "2026-11-25 14:03:05". */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${formatClock(d)}`;
}
