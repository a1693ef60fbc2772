import type { PreparedRequest } from './signer';

/** What came back over the wire. Headers are lower-cased. */
export interface TransportResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
}

/**
 * The only thing that does network I/O for the REST client. It receives a PreparedRequest, which
 * only the signer (or publicRequest) can produce, and sends it as is.
 */
export interface HttpTransport {
  send(request: PreparedRequest, options: { timeoutMs: number; signal?: AbortSignal }): Promise<TransportResponse>;
}

/** The transport failed before a response arrived; for an order this means "outcome unknown". */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    readonly kind: 'timeout' | 'network' | 'aborted',
  ) {
    super(message);
  }
}
