/**
 * The discovery file (`--discovery FILE`; the extension passes one in its global storage): where a
 * running sandbox can be found, for the next window and for other tools. No secret is in it. It
 * is written once the sandbox listens and removed on a clean stop (only if it still names this
 * sandbox); a crash leaves it behind, and a reader tells that from a live one with the health
 * endpoint (same pid and start time).
 */
import { readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from './atomicFile';

export const DISCOVERY_FORMAT = 'testnet-desk-sandbox-discovery';
export const DISCOVERY_FORMAT_VERSION = 1;

export interface DiscoveryInfo {
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  readonly startedAt: string;
  /** The data folder, or "in-memory". */
  readonly dataDir: string;
  /** The sandbox's version. */
  readonly version: string;
}

export function writeDiscovery(file: string, info: DiscoveryInfo): void {
  const body = { format: DISCOVERY_FORMAT, formatVersion: DISCOVERY_FORMAT_VERSION, ...info };
  writeFileAtomic(file, `${JSON.stringify(body, null, 2)}\n`, 0o600);
}

/** Removes the file if it still describes this sandbox (a newer one may have replaced it). */
export function removeDiscovery(file: string, info: Pick<DiscoveryInfo, 'pid' | 'startedAt'>): void {
  try {
    const current = JSON.parse(readFileSync(file, 'utf8')) as Partial<DiscoveryInfo>;
    if (current.pid === info.pid && current.startedAt === info.startedAt) rmSync(file, { force: true });
  } catch {
    // Gone or unreadable: nothing of ours to remove.
  }
}
