// Child processes of the harness. Each one starts in its own process group so that stopping it also
// stops whatever it spawned (code-server forks the VS Code server, which forks extension hosts,
// pty hosts and file watchers). Everything still running is killed when the harness exits.
import { ChildProcess, spawn, SpawnOptions } from 'child_process';
import * as fs from 'fs';
import { killWatchedSandboxes } from './sandboxes';

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

export function killAll(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
  live.clear();
  // The extension's sandboxes run detached, outside code-server's process group (sandboxes.ts).
  killWatchedSandboxes();
}

/** Set by runLane: prints the lane's summary line when a signal ends the run. */
let onSignal: ((signal: NodeJS.Signals) => void) | undefined;

process.on('exit', killAll);
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
] as const) {
  process.on(signal, () => {
    onSignal?.(signal);
    killAll();
    process.exit(128 + number);
  });
}

/** Spawns a tracked child whose stdout and stderr go to `logFile`. */
export function startLogged(
  command: string,
  args: string[],
  logFile: string,
  options: SpawnOptions = {},
): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

/** Stops a child and its group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, 'SIGKILL'); // grandchildren may outlive the leader
    live.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs));
  await Promise.race([exited, timer]);
  killGroup(child, 'SIGKILL');
  live.delete(child);
}

/** Runs a command to completion with a time limit; rejects on a non-zero exit or on time-out. */
export function runToCompletion(
  command: string,
  args: string[],
  logFile: string,
  options: SpawnOptions & { timeoutMs: number },
): Promise<void> {
  const child = startLogged(command, args, logFile, options);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(child, 1000);
      reject(new Error(`${command} ${args.join(' ')} timed out after ${options.timeoutMs} ms (log: ${logFile})`));
    }, options.timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal} (log: ${logFile})`));
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * Runs a lane's `main` to its exit code with a hard deadline, and always kills every child on the
 * way out. A crash or a missed deadline prints the lane's summary line as one failure, so CI's log
 * never ends without a count.
 */
export function runLane(label: string, main: () => Promise<number>, deadlineMs: number): void {
  const fail = (why: string): never => {
    console.error(`${label}: ${why}`);
    console.log(`${label}: 0 passed, 1 failed`);
    killAll();
    process.exit(1);
  };
  onSignal = (signal) => {
    console.error(`${label}: stopped by ${signal}`);
    console.log(`${label}: 0 passed, 1 failed`);
  };
  const guard = setTimeout(() => fail(`gave up after ${deadlineMs} ms`), deadlineMs);
  main()
    .then((code) => {
      clearTimeout(guard);
      killAll();
      process.exit(code);
    })
    .catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
}
