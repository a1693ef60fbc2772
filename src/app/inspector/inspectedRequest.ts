/**
 * A request as the Requests view shows it: the sandbox inspector's record (GET
 * /sandbox/v1/requests, written out here: the app layer does not import the sandbox), or one of the
 * extension's own requests to Spot Testnet, Demo or Live. Never a secret, a full key or a signature.
 */
export interface InspectedRequest {
  /** Unique in the list: "sandbox:<id>" or "own:<n>". */
  key: string;
  /** Where it went: the environment's label. */
  environment: string;
  time: number;
  transport: 'rest' | 'ws';
  /** The masked key, when known. */
  apiKey?: string;
  /** Who sent it: a connection ("127.0.0.1:53211", "ws 127.0.0.1 #3") or "Testnet Desk". */
  client: string;
  method: string;
  path?: string;
  params?: Record<string, string>;
  status: number;
  code?: number;
  msg?: string;
  weight?: number;
  latencyMs: number;
  diagnosis?: { cause: string; fix: string; details?: Record<string, string | number | boolean> };
}

/** The sandbox's record as JSON, checked field by field (it comes over the network). */
export function fromSandboxRecord(value: unknown, environment: string): InspectedRequest | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r.id !== 'number' || typeof r.time !== 'number' || typeof r.method !== 'string') return undefined;
  if (typeof r.status !== 'number' || typeof r.latencyMs !== 'number') return undefined;
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const diagnosis = r.diagnosis as InspectedRequest['diagnosis'];
  return {
    key: `sandbox:${r.id}`,
    environment,
    time: r.time,
    transport: r.transport === 'ws' ? 'ws' : 'rest',
    apiKey: text(r.apiKey),
    client: text(r.connection) ?? 'unknown',
    method: r.method,
    path: text(r.path),
    params: typeof r.params === 'object' && r.params !== null ? (r.params as Record<string, string>) : undefined,
    status: r.status,
    code: typeof r.code === 'number' ? r.code : undefined,
    msg: text(r.msg),
    weight: typeof r.weight === 'number' ? r.weight : undefined,
    latencyMs: r.latencyMs,
    diagnosis:
      diagnosis && typeof diagnosis.cause === 'string' && typeof diagnosis.fix === 'string' ? diagnosis : undefined,
  };
}
