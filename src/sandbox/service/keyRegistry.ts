/**
 * Which sandbox data folder an API key belongs to, per user, so a sandbox that answers -2015 to an
 * unknown key can say "this key is the data folder X's" (the bot's .env points at another folder's
 * sandbox, or at one whose state was reset). One small file per key, named by a hash of the key:
 * it holds the folder's path and never the key. A cache, not state: losing it loses a hint, and a
 * failure to write it is logged and otherwise ignored.
 *
 * Where: $TESTNET_DESK_KEY_REGISTRY, else $XDG_CACHE_HOME/testnet-desk/sandbox-keys, else
 * ~/.cache/testnet-desk/sandbox-keys (the test lanes point the variable at a temporary folder).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KeyRegistry } from '../inspector/keyOwnership';
import { writeFileAtomic } from './atomicFile';

export const KEY_REGISTRY_FORMAT = 'testnet-desk-sandbox-key';
const IN_MEMORY = 'in-memory';

export function defaultKeyRegistryDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TESTNET_DESK_KEY_REGISTRY) return env.TESTNET_DESK_KEY_REGISTRY;
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'testnet-desk', 'sandbox-keys');
}

/** The entry's name: a hash, so the folder lists no key. */
function entryName(apiKey: string): string {
  return `${createHash('sha256').update(apiKey).digest('hex').slice(0, 40)}.json`;
}

/**
 * The registry as this sandbox uses it: with a data folder it records the folder's keys; in memory
 * (`dataDir` "in-memory") it only reads, its keys being gone when it stops.
 */
export function openKeyRegistry(registryDir: string, dataDir: string, log: (line: string) => void): KeyRegistry {
  const remembered = new Set<string>();
  let failed = false;
  return {
    dataDir,
    remember(apiKey) {
      if (failed || dataDir === IN_MEMORY || remembered.has(apiKey)) return;
      remembered.add(apiKey);
      const file = join(registryDir, entryName(apiKey));
      try {
        if (readOwner(file) === dataDir) return;
        mkdirSync(registryDir, { recursive: true, mode: 0o700 });
        writeFileAtomic(file, `${JSON.stringify({ format: KEY_REGISTRY_FORMAT, dataDir })}\n`, 0o600);
      } catch (error) {
        failed = true; // one line, not one per key
        log(
          `the key registry ${registryDir} cannot be written (${(error as Error).message}); -2015 diagnoses will not name other data folders`,
        );
      }
    },
    ownerOf(apiKey) {
      return readOwner(join(registryDir, entryName(apiKey)));
    },
  };
}

function readOwner(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown; dataDir?: unknown };
    return entry.format === KEY_REGISTRY_FORMAT && typeof entry.dataDir === 'string' ? entry.dataDir : undefined;
  } catch {
    return undefined; // unreadable or torn: no hint
  }
}
