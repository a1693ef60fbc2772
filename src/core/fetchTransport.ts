import fetch, { RequestInit as FetchInit, Response as FetchResponse } from 'node-fetch';
import type { PreparedRequest } from './signer';
import { HttpTransport, TransportError, TransportResponse } from './transport';

export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

export interface FetchTransportOptions {
  /** Injected for tests; defaults to node-fetch v2. */
  fetch?: FetchLike;
  /** Largest response body accepted, in bytes; default 64 MiB (the full live exchangeInfo is a few MiB). */
  maxResponseBytes?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * HttpTransport over node-fetch v2. The timeout covers the whole exchange (headers and body).
 * Errors never carry node-fetch's own message or cause: those quote the full URL, and the URL of a
 * signed GET contains the signature. Only the method and path are named.
 */
export class FetchTransport implements HttpTransport {
  readonly #fetch: FetchLike;
  readonly #maxResponseBytes: number;

  constructor(options: FetchTransportOptions = {}) {
    this.#fetch = options.fetch ?? (fetch as unknown as FetchLike);
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  async send(
    request: PreparedRequest,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<TransportResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        controller.abort();
      },
      Math.max(1, options.timeoutMs),
    );
    const onCallerAbort = (): void => controller.abort();
    if (options.signal?.aborted) controller.abort();
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const what = `${request.method} ${request.path}`;
    try {
      const response = await this.#fetch(request.url, {
        method: request.method,
        headers: { ...request.headers },
        body: request.body,
        // node-fetch v2 types its own AbortSignal; the WHATWG one is compatible at runtime.
        signal: controller.signal as unknown as FetchInit['signal'],
        redirect: 'error', // a redirect could move a signed request to another host
        compress: true,
        // A misbehaving server must not be able to exhaust the extension host's memory.
        size: this.#maxResponseBytes,
      });
      const bodyText = await response.text();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      return { status: response.status, headers, bodyText };
    } catch (error) {
      if (error instanceof TransportError) throw error;
      if (timedOut)
        throw new TransportError(
          `${what} timed out after ${options.timeoutMs} ms with no complete response.`,
          'timeout',
        );
      if (controller.signal.aborted || isAbortError(error))
        throw new TransportError(`${what} was cancelled before a response arrived.`, 'aborted');
      if (isMaxSizeError(error)) {
        throw new TransportError(
          `${what} failed: the response was larger than ${this.#maxResponseBytes} bytes and was dropped.`,
          'network',
        );
      }
      throw new TransportError(`${what} failed: ${networkReason(error)}.`, 'network');
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}

function isMaxSizeError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'max-size';
}

function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** A short reason from a system error code only; never the underlying message (it quotes the URL). */
function networkReason(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null
      ? ((error as { code?: unknown; errno?: unknown }).code ?? (error as { errno?: unknown }).errno)
      : undefined;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is the server running?)',
    ECONNRESET: 'connection reset by the server',
    EPIPE: 'connection closed by the server',
    ETIMEDOUT: 'connection timed out',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'DNS lookup failed',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    UND_ERR_SOCKET: 'connection closed by the server',
    ERR_STREAM_PREMATURE_CLOSE: 'connection closed before the response completed',
  };
  if (typeof code === 'string') return known[code] ?? `network error ${code}`;
  const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
  if (type === 'invalid-json') return 'malformed response';
  if (type === 'no-redirect' || type === 'max-redirect') return 'the server answered with a redirect, which is refused';
  return 'connection closed or failed before a response arrived';
}
