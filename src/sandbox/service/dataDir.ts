/**
 * The sandbox's data folder (`--data DIR`): a marker naming the format and its version, the keys
 * (keys.json), the lock (sandbox.lock), the log (sandbox.log), the durable state (state/) and the
 * request inspector's records (requests.jsonl) beside them; the marker's version is where it migrates from, and a folder written by a newer format is
 * refused instead of misread.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from './atomicFile';
import { ExitCode, ServiceError } from './exitCodes';

export const DATA_FORMAT = 'testnet-desk-sandbox-data';
/** 2: the state/ folder (snapshot and journal). A version 1 folder (keys only) is taken up as is. */
export const DATA_FORMAT_VERSION = 2;

export const DataFiles = {
  marker: 'sandbox-data.json',
  keys: 'keys.json',
  lock: 'sandbox.lock',
  log: 'sandbox.log',
} as const;

export interface DataDirPaths {
  readonly dir: string;
  readonly marker: string;
  readonly keys: string;
  readonly lock: string;
  readonly log: string;
}

/** Names a new folder may already hold: a launcher opens the log before the sandbox starts. */
const ALLOWED_BEFORE_MARKER = new Set<string>([DataFiles.log, `${DataFiles.log}.1`]);

/**
 * The marker half-written by a second sandbox starting on the same new folder at the same moment
 * (atomicFile.ts writes `.sandbox-data.json.<pid>.<random>.tmp`, then renames it): not a stranger's
 * file. The lock then decides which of the two runs.
 */
const MARKER_IN_PROGRESS = /^\.sandbox-data\.json\.\d+\.[0-9a-f]+\.tmp$/;

export function dataDirPaths(dir: string): DataDirPaths {
  const absolute = resolve(dir);
  return {
    dir: absolute,
    marker: join(absolute, DataFiles.marker),
    keys: join(absolute, DataFiles.keys),
    lock: join(absolute, DataFiles.lock),
    log: join(absolute, DataFiles.log),
  };
}

/**
 * Creates the folder (0700) and its marker, or checks the marker of an existing one. Refuses a
 * folder that holds other files and no marker (so `--data ~` cannot scatter files into a home
 * folder), a marker of another format, and a newer format version. Nothing is changed when it refuses.
 */
export function openDataDir(dir: string): DataDirPaths {
  const paths = dataDirPaths(dir);
  try {
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ServiceError(
      `Cannot create the data folder ${paths.dir}: ${(error as Error).message}. Choose a folder you can write to (--data DIR).`,
      ExitCode.dataDirUnusable,
    );
  }
  if (existsSync(paths.marker)) {
    // An older folder is taken up by marking it with this version, so an older sandbox then refuses
    // it instead of running without the state this one keeps there.
    if (checkMarker(paths) < DATA_FORMAT_VERSION) writeMarker(paths);
    return paths;
  }
  const names = readdirSync(paths.dir);
  // Another sandbox starting at the same moment may have written the marker since we looked.
  if (names.includes(DataFiles.marker)) {
    checkMarker(paths);
    return paths;
  }
  const foreign = names.filter((name) => !ALLOWED_BEFORE_MARKER.has(name) && !MARKER_IN_PROGRESS.test(name));
  if (foreign.length > 0)
    throw new ServiceError(
      `${paths.dir} is not a sandbox data folder (no ${DataFiles.marker}) and is not empty ` +
        `(${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}). Nothing was changed. ` +
        'Use a new or empty folder for --data.',
      ExitCode.dataDirUnusable,
    );
  writeMarker(paths);
  return paths;
}

function writeMarker(paths: DataDirPaths): void {
  writeFileAtomic(
    paths.marker,
    `${JSON.stringify({ format: DATA_FORMAT, version: DATA_FORMAT_VERSION, createdAt: new Date().toISOString() }, null, 2)}\n`,
    0o600,
  );
}

/** The folder's format version; throws (nothing changed) for a marker that is not ours or is newer. */
function checkMarker(paths: DataDirPaths): number {
  let marker: unknown;
  try {
    marker = JSON.parse(readFileSync(paths.marker, 'utf8'));
  } catch (error) {
    throw new ServiceError(
      `${paths.marker} cannot be read (${(error as Error).message}). Nothing was changed. ` +
        'Restore it, or use another --data folder.',
      ExitCode.dataDirUnusable,
    );
  }
  const { format, version } = (marker ?? {}) as { format?: unknown; version?: unknown };
  if (format !== DATA_FORMAT)
    throw new ServiceError(
      `${paths.marker} does not describe a Testnet Desk sandbox folder (format ${JSON.stringify(format)}). Nothing was changed. Use another --data folder.`,
      ExitCode.dataDirUnusable,
    );
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new ServiceError(
      `${paths.marker} has no valid format version. Nothing was changed. Restore it, or use another --data folder.`,
      ExitCode.dataDirUnusable,
    );
  if (version > DATA_FORMAT_VERSION)
    throw new ServiceError(
      `${paths.dir} was written by a newer sandbox (data format ${version}; this one reads up to ${DATA_FORMAT_VERSION}). ` +
        'Nothing was changed. Update Testnet Desk, or use another --data folder.',
      ExitCode.dataDirUnusable,
    );
  return version;
}
