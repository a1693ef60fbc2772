/** Reading a sandbox data folder from the extension: its keys and its lock (who holds it). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeys, parseLock, SandboxFiles, type SandboxKeyPair, type SandboxLock } from './protocol';

export class SandboxKeysError extends Error {
  override readonly name = 'SandboxKeysError';
}

/** The folder's keys.json; a SandboxKeysError says what is wrong and what to do. */
export function readSandboxKeys(dataDir: string): SandboxKeyPair {
  const file = join(dataDir, SandboxFiles.keys);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SandboxKeysError(
      missing
        ? `${file} does not exist: this is not the data folder of a sandbox started with --data, or it has never run. ` +
            'Pick the folder given to --data, or add the key by hand.'
        : `${file} cannot be read (${(error as Error).message}).`,
    );
  }
  const keys = parseKeys(text);
  if (typeof keys === 'string') throw new SandboxKeysError(`${file} cannot be used: ${keys}.`);
  return keys;
}

/** The folder's lock, if a sandbox holds (or held and died holding) it. */
export function readSandboxLock(dataDir: string): SandboxLock | undefined {
  try {
    return parseLock(readFileSync(join(dataDir, SandboxFiles.lock), 'utf8'));
  } catch {
    return undefined;
  }
}
