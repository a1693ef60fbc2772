/**
 * Whether a file is tracked by git, asked of git itself: `git ls-files --error-unmatch` succeeds
 * exactly when the path is in the index (committed or staged). The built-in git extension's API
 * would need that extension enabled and activated (it is off in some setups, and `git.enabled:
 * false` is common); the command answers the one question asked, in any folder, in well under a
 * second. `core.fsmonitor` is turned off for the call: a repository's own config could otherwise
 * name a program for git to run. (The caller also requires a trusted workspace.)
 */
import { execFile } from 'node:child_process';

export type GitTracking =
  | { kind: 'tracked' }
  | { kind: 'untracked'; ignored: boolean }
  | { kind: 'noRepository' }
  | { kind: 'noGit' }
  /** git answered something else (e.g. "dubious ownership"): the question stays open. */
  | { kind: 'unknown'; message: string };

interface GitResult {
  code: number | null;
  stderr: string;
  missing: boolean;
}

function git(folder: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.fsmonitor=false', ...args],
      { cwd: folder, timeout: 10_000, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' } },
      (error, _stdout, stderr) => {
        const errno = error as (NodeJS.ErrnoException & { code?: unknown }) | null;
        if (errno?.code === 'ENOENT') resolve({ code: null, stderr: '', missing: true });
        else
          resolve({ code: error ? (typeof errno?.code === 'number' ? errno.code : null) : 0, stderr, missing: false });
      },
    );
  });
}

export async function gitTracking(folder: string, relativePath: string): Promise<GitTracking> {
  const listed = await git(folder, ['ls-files', '--error-unmatch', '--', relativePath]);
  if (listed.missing) return { kind: 'noGit' };
  if (listed.code === 0) return { kind: 'tracked' };
  if (/not a git repository/i.test(listed.stderr)) return { kind: 'noRepository' };
  if (listed.code === 1 && /did not match any file/i.test(listed.stderr)) {
    const ignored = await git(folder, ['check-ignore', '-q', '--', relativePath]);
    return { kind: 'untracked', ignored: ignored.code === 0 };
  }
  return { kind: 'unknown', message: listed.stderr.trim().split('\n')[0] || `git exited with ${listed.code}` };
}
