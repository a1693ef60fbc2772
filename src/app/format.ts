/**
 * Display formatting for every view, tooltip and message: ONE way to write a number (digits grouped
 * by thousands with ",", "." for the fraction) and ONE way to write a point in time. No `vscode`
 * import, so it is unit-tested in plain mocha. Amounts stay decimal strings; nothing here goes
 * through a JS float. Values a person may edit (an input box prefilled with a price) are not
 * display text: they stay plain decimals (core/decimal's normalize), since "60,000" is no number.
 */
import { div, formatFixed, gte, isZero, mul, normalize } from '../core/decimal';

/** "1234567.5" → "1,234,567.5"; the sign and the fraction are kept as they are. */
export function groupThousands(decimal: string): string {
  const negative = decimal.startsWith('-');
  const [whole, fraction] = (negative ? decimal.slice(1) : decimal).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/**
 * A quantity or price as the exchange gave it: "10000.50000000" → "10,000.5"; very long fractions
 * are cut (not rounded up) to `maxPlaces`.
 */
export function formatAmount(value: string, maxPlaces = 8): string {
  const text = normalize(value);
  const dot = text.indexOf('.');
  if (dot === -1 || text.length - dot - 1 <= maxPlaces) return groupThousands(text);
  return groupThousands(normalize(formatFixed(text, maxPlaces, 'down')));
}

/** A quote-currency value with two decimals: "1234.5" → "1,234.50". */
export function formatMoney(value: string): string {
  return groupThousands(formatFixed(value, 2, 'half-up'));
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

const UNIT_WORDS = { s: 'second', m: 'minute', h: 'hour', d: 'day' } as const;

/**
 * How long ago: compact for row descriptions ("12s", "5m", "3h 4m", "2d 3h"), or spelled out for
 * screen readers with `style: 'words'` ("12 seconds", "3 hours 4 minutes", "1 day").
 */
export function formatAge(fromMs: number, nowMs: number, style: 'compact' | 'words' = 'compact'): string {
  const seconds = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  const parts: [number, keyof typeof UNIT_WORDS][] =
    seconds < 60
      ? [[seconds, 's']]
      : minutes < 60
        ? [[minutes, 'm']]
        : hours < 24
          ? [
              [hours, 'h'],
              [minutes % 60, 'm'],
            ]
          : [
              [days, 'd'],
              [hours % 24, 'h'],
            ];
  const shown = parts.filter(([n], i) => i === 0 || n > 0);
  if (style === 'compact') return shown.map(([n, unit]) => `${n}${unit}`).join(' ');
  return shown.map(([n, unit]) => `${n} ${UNIT_WORDS[unit]}${n === 1 ? '' : 's'}`).join(' ');
}

/**
 * A point in time, local: "14:03:05" on the same day as `nowMs`, "2026-11-25 14:03:05" on another
 * day. Every "updated", "created", "generated" and trade time goes through here.
 */
export function formatTimestamp(ms: number, nowMs: number = Date.now()): string {
  const d = new Date(ms);
  const now = new Date(nowMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? time : `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${time}`;
}
