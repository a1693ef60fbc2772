/**
 * Which sandbox data folder an API key belongs to: what a -2015 diagnosis asks of the per-user key
 * registry (../service/keyRegistry.ts) when a key is unknown here. Absent for an in-memory sandbox.
 */
export interface KeyOwnership {
  /** This sandbox's data folder. */
  readonly dataDir: string;
  /** The data folder a sandbox registered `apiKey` for, if any (perhaps this one, before a reset). */
  ownerOf(apiKey: string): string | undefined;
}

export interface KeyRegistry extends KeyOwnership {
  /** Records that `apiKey` belongs to this data folder (once per key and run). */
  remember(apiKey: string): void;
}
