/**
 * What a failed view refresh means for the view: which welcome it shows, or how long it waits
 * before it loads again by itself. Pure (no `vscode`), so every case is unit-tested.
 */
import type { Environment } from '../core/environments';
import {
  BinanceApiError,
  describeError,
  KEY_REFUSED_CODES,
  NoCredentialError,
  RateLimitBackoffError,
} from '../core/errors';
import { DEFAULT_RETRY_AFTER_SECONDS } from '../core/rateLimits';
import { EnvironmentMismatchError } from '../core/signer';
import { TransportError } from '../core/transport';

/**
 * Which short sentence the `error` welcome shows (package.json `viewsWelcome`, context keys
 * testnetDesk.balancesError / testnetDesk.ordersError); the details go to the log.
 */
export type ViewErrorKind = 'key' | 'connection' | 'server' | 'other';

export type ViewFailure =
  | { state: 'noKey' }
  | { state: 'sandboxStopped' }
  /** A 429/418 Retry-After is running: nothing may be sent before `untilMs`, then the view reloads. */
  | { state: 'rateLimited'; untilMs: number }
  | { state: 'error'; kind: ViewErrorKind };

/** The exchange refused the key itself (or the signer refused to send it to another environment). */
export function isKeyRefused(error: unknown): boolean {
  return (
    error instanceof EnvironmentMismatchError || (error instanceof BinanceApiError && KEY_REFUSED_CODES.has(error.code))
  );
}

export function classifyFailure(environment: Environment, error: unknown, nowMs: number): ViewFailure {
  if (error instanceof NoCredentialError) return { state: 'noKey' };
  if (error instanceof RateLimitBackoffError) return { state: 'rateLimited', untilMs: error.untilMs };
  if (error instanceof BinanceApiError && (error.httpStatus === 429 || error.httpStatus === 418)) {
    // The client closed its gate for this long when the answer arrived, a moment before now.
    const seconds = error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS[error.httpStatus];
    return { state: 'rateLimited', untilMs: nowMs + seconds * 1000 };
  }
  if (error instanceof TransportError && error.kind !== 'aborted') {
    return environment.kind === 'local' && error.kind === 'network'
      ? { state: 'sandboxStopped' }
      : { state: 'error', kind: 'connection' };
  }
  if (isKeyRefused(error)) return { state: 'error', kind: 'key' };
  if (error instanceof BinanceApiError && error.httpStatus >= 500) return { state: 'error', kind: 'server' };
  return { state: 'error', kind: 'other' };
}

/** The view message while a rate-limit wait runs: one short sentence with the seconds left. */
export function pausedMessage(environment: Environment, secondsLeft: number): string {
  const when = secondsLeft > 0 ? `in ${secondsLeft} s` : 'now';
  return `${environment.label} limits the request rate, so requests are paused. Resuming ${when}.`;
}

/** A failed refresh for the log, where "Show Log" leads: the message and what to do (scrubbed). */
export function describeForLog(error: unknown): string {
  const { message, hint } = describeError(error);
  return hint ? `${message} ${hint}` : message;
}
