// Starts the real VS Code server that code-server embeds, on 127.0.0.1 only, with fresh user-data
// and extensions folders, and installs extensions into it from .vsix files.
import { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runToCompletion, startLogged, stop } from './children';
import { watchSandboxesUnder } from './sandboxes';
import { CODE_SERVER_ENTRY, NODE24 } from './paths';
import { freePort, waitFor } from './waits';

export interface CodeServerDirs {
  /** Root of everything this instance writes (user data, extensions, logs, XDG homes). */
  root: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  child: ChildProcess;
  dirs: CodeServerDirs;
  stop(): Promise<void>;
}

export function assertCodeServerInstalled(): void {
  for (const file of [NODE24, CODE_SERVER_ENTRY]) {
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing: run 'bash scripts/install-code-server.sh' first`);
    }
  }
}

/**
 * Fresh folders for one instance; anything left from an earlier run is removed. `settings` are
 * added to the user settings (e.g. the sandbox port). Sandboxes the extension starts under these
 * folders are stopped at the end of the lane (sandboxes.ts).
 */
export function freshDirs(root: string, extraSettings: Record<string, unknown> = {}): CodeServerDirs {
  fs.rmSync(root, { recursive: true, force: true });
  watchSandboxesUnder(root);
  const dirs = {
    root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    logFile: path.join(root, 'code-server.log'),
  };
  fs.mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(dirs.extensionsDir, { recursive: true });
  // Quiet, offline, deterministic workbench: nothing to update, no welcome page, no trust prompt.
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    'chat.disableAIFeatures': true,
    'window.commandCenter': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.reduceMotion': 'on', // no fades half-way through a screenshot
    // Lanes of several clones may run at once on one machine: no fixed sandbox port.
    'testnetDesk.sandbox.port': 0,
    ...extraSettings,
  };
  fs.writeFileSync(path.join(dirs.userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // Machine-scoped settings (the sandbox port) count in a remote window only from the remote's own
  // settings, which code-server keeps in Machine/ under its user data folder: written there too.
  const machine = Object.fromEntries(
    Object.entries(settings).filter(([name]) => name.startsWith('testnetDesk.sandbox.')),
  );
  fs.mkdirSync(path.join(dirs.userDataDir, 'Machine'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userDataDir, 'Machine', 'settings.json'), JSON.stringify(machine, null, 2));
  return dirs;
}

/** Environment for the server: its own XDG homes, so it never writes to the user's ~/.config. */
function serverEnv(dirs: CodeServerDirs, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(dirs.root, 'xdg-config'),
    XDG_DATA_HOME: path.join(dirs.root, 'xdg-data'),
    XDG_CACHE_HOME: path.join(dirs.root, 'xdg-cache'),
    // No extension gallery: code-server defaults to open-vsx.org; '{}' leaves VS Code without a
    // gallery service URL, so neither the server nor the workbench tries to reach one.
    EXTENSIONS_GALLERY: '{}',
    // npm sets these for scripts; they must not leak into the extension host's environment.
    npm_config_nodedir: undefined,
    ...extra,
  };
}

function baseArgs(dirs: CodeServerDirs): string[] {
  return [
    CODE_SERVER_ENTRY,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    dirs.userDataDir,
    '--extensions-dir',
    dirs.extensionsDir,
  ];
}

/** `code-server --install-extension x.vsix`: the same path a user takes with a downloaded .vsix. */
export async function installVsix(dirs: CodeServerDirs, vsix: string): Promise<void> {
  await runToCompletion(NODE24, [...baseArgs(dirs), '--install-extension', vsix], dirs.logFile, {
    env: serverEnv(dirs, {}),
    timeoutMs: 120_000,
  });
}

export async function startCodeServer(
  dirs: CodeServerDirs,
  options: { env?: NodeJS.ProcessEnv; vscodeOptions?: string[]; folder?: string } = {},
): Promise<RunningCodeServer> {
  assertCodeServerInstalled();
  // freePort() releases the port before code-server binds it; if something else took it meanwhile,
  // code-server exits with EADDRINUSE and is started again on another port (a bounded number of times).
  for (let attempt = 1; ; attempt++) {
    const logOffset = fs.existsSync(dirs.logFile) ? fs.statSync(dirs.logFile).size : 0;
    try {
      return await startOnFreePort(dirs, options);
    } catch (error) {
      const log = fs.existsSync(dirs.logFile) ? fs.readFileSync(dirs.logFile, 'utf8').slice(logOffset) : '';
      if (attempt >= 3 || !/EADDRINUSE/.test(log)) throw error;
    }
  }
}

async function startOnFreePort(
  dirs: CodeServerDirs,
  options: { env?: NodeJS.ProcessEnv; vscodeOptions?: string[]; folder?: string },
): Promise<RunningCodeServer> {
  const port = await freePort();
  const args = [...baseArgs(dirs), '--bind-addr', `127.0.0.1:${port}`];
  for (const option of options.vscodeOptions ?? []) args.push('--vscode-option', option);
  if (options.folder) args.push(options.folder);
  const child = startLogged(NODE24, args, dirs.logFile, { env: serverEnv(dirs, options.env ?? {}) });
  const url = `http://127.0.0.1:${port}`;
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `code-server exited early with ${code ?? signal}`));
  try {
    await waitFor(
      `code-server on ${url}/healthz (log: ${dirs.logFile})`,
      async () => {
        if (exited) throw new Error(exited);
        const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        return response.ok ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 300, stopOn: () => exited },
    );
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { url, port, child, dirs, stop: () => stop(child) };
}
