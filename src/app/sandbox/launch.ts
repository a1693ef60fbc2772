/**
 * Starting the sandbox program as a detached child of the extension host, so it outlives a window
 * reload or close: its own process group (session on POSIX), stdout and stderr to the data folder's
 * log (a file, never a pipe: a pipe to a host that is gone would break its writes), `unref()` so
 * the host does not wait for it. It runs on the host's own runtime: `process.execPath` with
 * ELECTRON_RUN_AS_NODE=1, which is Node in desktop VS Code (Electron) and is ignored by Node in a
 * remote or code-server extension host.
 */
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxFiles } from './protocol';

/** Where the program and its files are. */
export interface SandboxPlaces {
  /** The bundled program, dist/sandbox.js of this extension. */
  readonly program: string;
  /** The runtime to run it with (process.execPath of the extension host). */
  readonly runtime: string;
  /** The data folder: keys.json, the lock, the log. */
  readonly dataDir: string;
  /** Where the running sandbox says where it is. */
  readonly discoveryFile: string;
}

export interface LaunchCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** The log of the folder's sandbox. */
export function logFileOf(dataDir: string): string {
  return join(dataDir, SandboxFiles.log);
}

/**
 * The command line. The keys stay out of the JSON line (--no-keys-on-stdout): stdout goes to the
 * log. The working folder is the data folder, so the sandbox never holds a workspace folder open.
 */
export function launchCommand(
  places: SandboxPlaces,
  port: number,
  hostEnv: NodeJS.ProcessEnv,
  keepHistory?: number,
): LaunchCommand {
  // Closed orders and trades kept (testnetDesk.sandbox.keepHistory); the sandbox's defaults otherwise.
  const history =
    keepHistory === undefined
      ? []
      : ['--keep-closed-orders', String(keepHistory), '--keep-trades', String(keepHistory)];
  return {
    command: places.runtime,
    args: [
      places.program,
      '--port',
      String(port),
      '--data',
      places.dataDir,
      '--discovery',
      places.discoveryFile,
      '--no-keys-on-stdout',
      ...history,
    ],
    env: childEnvironment(hostEnv),
    cwd: places.dataDir,
  };
}

/**
 * The host's environment without what belongs to this window (VS Code's IPC handles, which go
 * stale when the window closes) or to the host's runtime (NODE_OPTIONS may hold --inspect for the
 * extension host's debugger, whose port a second process cannot take).
 */
export function childEnvironment(hostEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(hostEnv)) {
    if (name.startsWith('VSCODE_') || name.startsWith('ELECTRON_') || name === 'NODE_OPTIONS') continue;
    env[name] = value;
  }
  env.ELECTRON_RUN_AS_NODE = '1';
  return env;
}

/** The log is kept under 10 MB by the sandbox itself; this keeps an old one from the start small too. */
const LAUNCH_ROTATE_BYTES = 10 * 1024 * 1024;

export type Spawn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/** Starts the sandbox detached; the caller waits for it with waitUntilServing. */
export function launchSandbox(
  places: SandboxPlaces,
  port: number,
  spawn: Spawn = nodeSpawn,
  keepHistory?: number,
): ChildProcess {
  mkdirSync(places.dataDir, { recursive: true, mode: 0o700 });
  const log = logFileOf(places.dataDir);
  rotateIfLarge(log);
  const { command, args, env, cwd } = launchCommand(places, port, process.env, keepHistory);
  const out = openSync(log, 'a', 0o600);
  try {
    const child = spawn(command, args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', out, out],
      windowsHide: true,
    });
    child.unref();
    return child;
  } finally {
    closeSync(out); // the child has its own copy
  }
}

function rotateIfLarge(file: string): void {
  try {
    if (statSync(file).size < LAUNCH_ROTATE_BYTES) return;
    copyFileSync(file, `${file}.1`);
    truncateSync(file, 0);
  } catch {
    // No log yet.
  }
}
