/**
 * Writes the bot's variables into a folder's `.env` (Write Environment to .env): refuses a file
 * that git tracks (its secret would be committed) and Live keys, merges with what is there
 * (mergeDotenv), and replaces the file atomically (a temporary file beside it, flushed, renamed),
 * so an editor or a bot reading it meanwhile sees the old file or the new one. A new file is
 * readable by its owner only; an existing one keeps its mode.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalEnvironment } from '../core/environments';
import { BOT_ENV_NAMES, botEnvHeader, botEnvVariables, type BotEnvInput } from './botEnv';
import { mergeDotenv, type DotenvChange } from './dotenv';
import { gitTracking, type GitTracking } from './gitTracking';

export const ENV_FILE_NAME = '.env';

export class EnvFileRefused extends Error {
  override readonly name = 'EnvFileRefused';
}

export interface EnvFileResult extends DotenvChange {
  readonly file: string;
  /** Whether git would pick the file up (not ignored), so the message can say to ignore it. */
  readonly notIgnored: boolean;
}

export async function writeEnvFile(
  folder: string,
  input: BotEnvInput,
  check: (folder: string, path: string) => Promise<GitTracking> = gitTracking,
): Promise<EnvFileResult> {
  const file = join(folder, ENV_FILE_NAME);
  if (canonicalEnvironment(input.environment).kind === 'live')
    throw new EnvFileRefused(
      'Live keys are never written to a file from here. Set them in your bot’s environment yourself, or use Spot Testnet or a local sandbox.',
    );
  const tracking = await check(folder, ENV_FILE_NAME);
  if (tracking.kind === 'tracked')
    throw new EnvFileRefused(
      `${file} is tracked by git, so a key written there would be committed. Nothing was written. ` +
        'Remove it from git (git rm --cached .env) and add it to .gitignore, then try again.',
    );
  if (tracking.kind === 'unknown')
    throw new EnvFileRefused(
      `Could not check whether ${file} is tracked by git (${tracking.message}). Nothing was written.`,
    );
  const existing = readExisting(file);
  const change = mergeDotenv(existing?.text, botEnvVariables(input), {
    header: botEnvHeader(input),
    managed: BOT_ENV_NAMES,
  });
  replaceFile(file, change.text, existing?.mode ?? 0o600);
  return { ...change, file, notIgnored: tracking.kind === 'untracked' && !tracking.ignored };
}

function readExisting(file: string): { text: string; mode: number } | undefined {
  try {
    return { text: readFileSync(file, 'utf8'), mode: statSync(file).mode & 0o777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function replaceFile(file: string, text: string, mode: number): void {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
