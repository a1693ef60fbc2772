/**
 * Finding the running sandbox of this extension's data folder from the discovery file: the file
 * says where to look, the health endpoint confirms it is that run (same pid and start time). A
 * file is stale when its process is gone or another run answers on its port; a stale file is
 * removed, but only if it is still the file that was read. A live process that does not answer
 * (busy, or hung) keeps its file: it may answer the next time.
 */
import { readFileSync, rmSync } from 'node:fs';
import type { HealthProbe } from './health';
import { parseDiscovery, sameRun, type SandboxDiscovery } from './protocol';

export type Discovered =
  | { kind: 'running'; sandbox: SandboxDiscovery }
  | { kind: 'none' }
  /** Its process runs but does not answer. */
  | { kind: 'unanswered'; sandbox: SandboxDiscovery }
  /** A file was there but no run answers for it (now removed). */
  | { kind: 'stale'; sandbox: SandboxDiscovery | undefined };

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export async function discover(
  file: string,
  health: HealthProbe,
  alive: (pid: number) => boolean,
): Promise<Discovered> {
  const text = readText(file);
  if (text === undefined) return { kind: 'none' };
  const found = parseDiscovery(text);
  if (found) {
    const answer = await health(found.baseUrl);
    if (answer && sameRun(answer, found)) return { kind: 'running', sandbox: found };
    if (!answer && alive(found.pid)) return { kind: 'unanswered', sandbox: found };
  }
  if (readText(file) === text) rmSync(file, { force: true });
  return { kind: 'stale', sandbox: found };
}
