// Local sandboxes that the extension under test started. They are detached processes of their own
// (a window reload must not stop them), so stopping code-server does not stop them: the harness
// finds them through the files each one writes in the lane's folders (the discovery file and the
// data folder's lock, both naming the pid) and stops them at the end of the lane, and at exit.
// Only a pid whose command line runs a sandbox.js is signalled, so a reused pid is never hit.
import * as fs from 'fs';
import * as path from 'path';

/** Folders whose sandboxes the harness stops (the lanes' code-server user-data folders). */
const roots = new Set<string>();

export function watchSandboxesUnder(root: string): void {
  roots.add(root);
}

interface Found {
  pid: number;
  port?: number;
  file: string;
}

function filesNamed(root: string, names: Set<string>, depth = 8): string[] {
  if (depth === 0 || !fs.existsSync(root)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...filesNamed(full, names, depth - 1));
    else if (entry.isFile() && names.has(entry.name)) found.push(full);
  }
  return found;
}

function sandboxesUnder(root: string): Found[] {
  const byPid = new Map<number, Found>();
  for (const file of filesNamed(root, new Set(['sandbox.json', 'sandbox.lock']))) {
    try {
      const { pid, port } = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown; port?: unknown };
      if (typeof pid === 'number' && runsSandbox(pid))
        byPid.set(pid, { pid, port: typeof port === 'number' ? port : undefined, file });
    } catch {
      // half-written or gone
    }
  }
  return [...byPid.values()];
}

/** Whether `pid` is alive and runs a sandbox.js (Linux /proc; elsewhere only alive). */
function runsSandbox(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sandbox.js');
  } catch {
    return process.platform !== 'linux';
  }
}

/** Stops every sandbox the watched folders name: a clean shutdown request, then SIGKILL. Returns their pids. */
export async function stopWatchedSandboxes(): Promise<number[]> {
  const found = [...roots].flatMap(sandboxesUnder);
  await Promise.all(
    found.map(async ({ pid, port }) => {
      if (port !== undefined)
        await fetch(`http://127.0.0.1:${port}/sandbox/v1/shutdown`, {
          method: 'POST',
          signal: AbortSignal.timeout(2000),
        }).catch(() => undefined);
      const deadline = Date.now() + 5000;
      while (runsSandbox(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (runsSandbox(pid)) process.kill(pid, 'SIGKILL');
    }),
  );
  return found.map((f) => f.pid);
}

/** At exit (no time to wait): SIGKILL for every sandbox the watched folders name. */
export function killWatchedSandboxes(): void {
  for (const { pid } of [...roots].flatMap(sandboxesUnder)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
