/**
 * One request as the inspector keeps it: who sent what, what the sandbox answered and, for a
 * failure, why. It never holds a secret, a full API key or a signature: keys are masked, the
 * signature is replaced by its length, and nothing is copied from a request without going
 * through redact.ts.
 */

export interface Diagnosis {
  /** What went wrong, in one sentence naming the cause. */
  cause: string;
  /** What to change, in one sentence. */
  fix: string;
  /** Facts behind it (the payload the sandbox verified, the clock skew, the limit): never a secret. */
  details?: Record<string, string | number | boolean>;
}

export interface RequestRecord {
  id: number;
  /** When it arrived (ms since the epoch). */
  time: number;
  transport: 'rest' | 'ws';
  /** The masked API key ("vmPU…1a2b"), when the request named one. */
  apiKey?: string;
  /** Where it came from: "127.0.0.1:53211" (REST) or the WebSocket connection. */
  connection: string;
  /** HTTP method and path, or the WebSocket API method. */
  method: string;
  path?: string;
  /** Parameters as received, decoded; the signature as "(redacted, N characters)". */
  params: Record<string, string>;
  status: number;
  code?: number;
  msg?: string;
  /** Request weight charged. */
  weight: number;
  latencyMs: number;
  diagnosis?: Diagnosis;
}
