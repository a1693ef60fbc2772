/**
 * The local sandbox as a service shared by every window (no `vscode`): find the running one, start
 * one detached, attach to one started from the command line, stop it, and notice when it goes.
 *
 * One sandbox per data folder; the extension's lives in its global storage and says where it
 * listens in the discovery file. Any window may start it (a second start attaches), any window may
 * stop it, and each window watches it: a run that vanishes while its lock is still in the data
 * folder died without stopping (crashed); one whose lock is gone stopped cleanly; one whose process
 * runs but does not answer for a while is reported as not answering.
 */
import type { ChildProcess } from 'node:child_process';
import { Emitter, type Event } from '../../core/events';
import { readSandboxLock } from './dataFolder';
import { discover } from './discovery';
import { fetchHealth, requestShutdown, type HealthProbe } from './health';
import { launchSandbox, logFileOf, type SandboxPlaces, type Spawn } from './launch';
import { readLogTail } from './logTail';
import { isProcessAlive, signalProcess } from './processes';
import { sameRun, SandboxExitCode, type SandboxDiscovery, type SandboxHealth } from './protocol';

/** A sandbox this window talks to. `managed`: the one of the extension's own data folder. */
export interface RunningSandbox extends SandboxDiscovery {
  readonly managed: boolean;
}

export type SandboxState =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'running'; readonly sandbox: RunningSandbox }
  /** It went without a clean stop (crashed), or its process stopped answering. */
  | {
      readonly kind: 'lost';
      readonly sandbox: RunningSandbox;
      readonly reason: 'crashed' | 'notAnswering';
      /** The last lines of its log, redacted. */
      readonly logTail: readonly string[];
    };

export type StartFailure = 'portInUse' | 'unusableDataDir' | 'failed' | 'timeout';

export class SandboxStartError extends Error {
  override readonly name = 'SandboxStartError';
  constructor(
    message: string,
    readonly reason: StartFailure,
    readonly port: number,
    readonly logTail: readonly string[],
    /** For portInUse: the Testnet Desk sandbox on that port, if it is one. */
    readonly holder?: SandboxHealth,
  ) {
    super(message);
  }
}

export interface SandboxServiceOptions {
  readonly places: SandboxPlaces;
  readonly health?: HealthProbe;
  readonly alive?: (pid: number) => boolean;
  readonly spawn?: Spawn;
  /** How often the running sandbox (or the discovery file) is checked. */
  readonly pollMs?: number;
  /** How long a start may take before it is given up. */
  readonly startTimeoutMs?: number;
  /** Closed orders and trades a started sandbox keeps (read at each start); its default when undefined. */
  readonly keepHistory?: () => number | undefined;
}

/** Polls in a row without an answer from a live process before it counts as not answering. */
const UNANSWERED_POLLS = 3;
const LOG_TAIL_LINES = 12;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class SandboxService {
  readonly #places: SandboxPlaces;
  readonly #health: HealthProbe;
  readonly #alive: (pid: number) => boolean;
  readonly #spawn: Spawn | undefined;
  readonly #pollMs: number;
  readonly #startTimeoutMs: number;
  readonly #keepHistory: () => number | undefined;
  readonly #onDidChange = new Emitter<SandboxState>();
  #state: SandboxState = { kind: 'stopped' };
  /** One start, attach or stop at a time; the watch skips its turn meanwhile. */
  #busy: Promise<unknown> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #unanswered = 0;
  #polling = false;
  #disposed = false;

  /** Fires with every new state. */
  readonly onDidChange: Event<SandboxState> = this.#onDidChange.event;

  constructor(options: SandboxServiceOptions) {
    this.#places = options.places;
    this.#health = options.health ?? fetchHealth;
    this.#alive = options.alive ?? isProcessAlive;
    this.#spawn = options.spawn;
    this.#pollMs = options.pollMs ?? 2000;
    this.#startTimeoutMs = options.startTimeoutMs ?? 20_000;
    this.#keepHistory = options.keepHistory ?? ((): undefined => undefined);
  }

  get state(): SandboxState {
    return this.#state;
  }

  get running(): RunningSandbox | undefined {
    return this.#state.kind === 'running' ? this.#state.sandbox : undefined;
  }

  get places(): SandboxPlaces {
    return this.#places;
  }

  get logFile(): string {
    return logFileOf(this.#places.dataDir);
  }

  /** Starts watching (and finds a sandbox already running). */
  watch(): void {
    if (this.#timer || this.#disposed) return;
    this.#timer = setInterval(() => void this.#poll(), this.#pollMs);
    this.#timer.unref?.();
  }

  /** Finds the extension's running sandbox from the discovery file; a stale file is removed. */
  async findManaged(): Promise<RunningSandbox | undefined> {
    const found = await discover(this.#places.discoveryFile, this.#health, this.#alive);
    return found.kind === 'running' ? { ...found.sandbox, managed: true } : undefined;
  }

  /** Uses the extension's sandbox if one runs (after a window reload, or for another window); never starts one. */
  reconnect(): Promise<RunningSandbox | undefined> {
    return this.#exclusive(async () => {
      const found = await this.findManaged();
      return found ? this.#set({ kind: 'running', sandbox: found }, found) : undefined;
    });
  }

  /** Attaches to the extension's running sandbox, or starts it on `port`. */
  start(port: number): Promise<RunningSandbox> {
    return this.#exclusive(async () => {
      const current = this.running;
      if (current?.managed && (await this.#answers(current))) return current;
      const found = await this.findManaged();
      if (found) return this.#set({ kind: 'running', sandbox: found }, found);
      const started = await this.#launch(port);
      return this.#set({ kind: 'running', sandbox: started }, started);
    });
  }

  /** A sandbox started elsewhere (e.g. `npm run sandbox`), by its loopback URL. */
  attach(baseUrl: string): Promise<RunningSandbox> {
    return this.#exclusive(async () => {
      const health = await this.#health(baseUrl);
      if (!health)
        throw new Error(
          `No Testnet Desk sandbox answers at ${baseUrl} (GET /sandbox/v1/health). Start one with ` +
            '"npm run sandbox", or check the port it printed.',
        );
      const sandbox: RunningSandbox = {
        ...health,
        baseUrl,
        managed: health.dataDir === this.#places.dataDir,
      };
      return this.#set({ kind: 'running', sandbox }, sandbox);
    });
  }

  /** Stops the current sandbox: a clean shutdown request, then signals if it does not go. */
  stop(): Promise<void> {
    return this.#exclusive(async () => {
      const state = this.#state;
      if (state.kind === 'stopped') return;
      const sandbox = state.sandbox;
      if (state.kind === 'running' || this.#alive(sandbox.pid)) await this.#terminate(sandbox);
      this.#set({ kind: 'stopped' }, undefined);
    });
  }

  /** Forgets a lost sandbox (after its report was shown), so the next poll may find a new one. */
  acknowledgeLoss(): void {
    if (this.#state.kind === 'lost') this.#set({ kind: 'stopped' }, undefined);
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#onDidChange.dispose();
  }

  #set<T>(state: SandboxState, result: T): T {
    this.#unanswered = 0;
    const before = this.#state;
    this.#state = state;
    const same =
      before.kind === state.kind &&
      (state.kind === 'stopped' || ('sandbox' in before && sameRun(before.sandbox, state.sandbox)));
    if (!same && !this.#disposed) this.#onDidChange.fire(state);
    return result;
  }

  async #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    while (this.#busy) await this.#busy.catch(() => undefined);
    const running = operation();
    this.#busy = running;
    try {
      return await running;
    } finally {
      this.#busy = undefined;
    }
  }

  async #answers(sandbox: RunningSandbox): Promise<boolean> {
    const health = await this.#health(sandbox.baseUrl);
    return health !== undefined && sameRun(health, sandbox);
  }

  async #launch(port: number): Promise<RunningSandbox> {
    const child = launchSandbox(this.#places, port, this.#spawn, this.#keepHistory());
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', () => resolve(SandboxExitCode.failed));
    });
    let exitCode: number | null | undefined;
    void exited.then((code) => (exitCode = code));
    const deadline = Date.now() + this.#startTimeoutMs;
    while (Date.now() < deadline) {
      if (exitCode !== undefined) return this.#afterEarlyExit(exitCode, port);
      const found = await discover(this.#places.discoveryFile, this.#health, this.#alive);
      if (found.kind === 'running' && found.sandbox.pid === child.pid) return { ...found.sandbox, managed: true };
      await sleep(100);
    }
    killChild(child);
    throw new SandboxStartError(
      `The local sandbox did not start within ${Math.round(this.#startTimeoutMs / 1000)} s. Its log says why.`,
      'timeout',
      port,
      this.#tail(),
    );
  }

  /** The program exited before it served: why, and what to do (or the sandbox that holds the folder). */
  async #afterEarlyExit(code: number | null, port: number): Promise<RunningSandbox> {
    const tail = this.#tail();
    if (code === SandboxExitCode.dataDirLocked) {
      // Another window (or a terminal) started it at the same moment: use that one.
      const holder = await this.#folderHolder();
      if (holder) return holder;
    }
    if (code === SandboxExitCode.portInUse) {
      const holder = await this.#health(`http://127.0.0.1:${port}`);
      throw new SandboxStartError(
        holder
          ? `Port ${port} is taken by another Testnet Desk sandbox (pid ${holder.pid}, data ${holder.dataDir}).`
          : `Port ${port} on 127.0.0.1 is in use by another program.`,
        'portInUse',
        port,
        tail,
        holder,
      );
    }
    const last = tail.at(-1)?.replace(/^.*?failed to start: /, '');
    if (code === SandboxExitCode.dataDirUnusable)
      throw new SandboxStartError(
        `The sandbox data folder cannot be used: ${last ?? 'see its log'}`,
        'unusableDataDir',
        port,
        tail,
      );
    throw new SandboxStartError(
      `The local sandbox stopped while starting (exit code ${code ?? 'none'})${last ? `: ${last}` : '.'}`,
      'failed',
      port,
      tail,
    );
  }

  /** The live sandbox named by the data folder's lock, once it listens (it may still be starting). */
  async #folderHolder(): Promise<RunningSandbox | undefined> {
    const deadline = Date.now() + this.#startTimeoutMs;
    while (Date.now() < deadline) {
      const lock = readSandboxLock(this.#places.dataDir);
      if (!lock || !this.#alive(lock.pid)) return undefined;
      if (lock.port !== null) {
        const baseUrl = `http://127.0.0.1:${lock.port}`;
        const health = await this.#health(baseUrl);
        if (health && sameRun(health, lock)) return { ...health, baseUrl, managed: true };
      }
      await sleep(200);
    }
    return undefined;
  }

  async #terminate(sandbox: RunningSandbox): Promise<void> {
    const accepted = await requestShutdown(sandbox.baseUrl);
    if (accepted && (await this.#gone(sandbox.pid, 10_000))) return;
    // No clean stop: signal it, but only a pid known to be that run (pids are reused): it just
    // accepted the request or answers as that run, or it holds the data folder's lock.
    const known = accepted || (await this.#answers(sandbox)) || this.#holdsFolder(sandbox);
    if (!known) return;
    signalProcess(sandbox.pid, 'SIGTERM');
    if (await this.#gone(sandbox.pid, 3000)) return;
    signalProcess(sandbox.pid, 'SIGKILL');
    await this.#gone(sandbox.pid, 3000);
  }

  #holdsFolder(sandbox: RunningSandbox): boolean {
    const lock = sandbox.managed ? readSandboxLock(sandbox.dataDir) : undefined;
    return lock !== undefined && sameRun(lock, sandbox);
  }

  async #gone(pid: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.#alive(pid)) return true;
      await sleep(50);
    }
    return !this.#alive(pid);
  }

  /** The last lines of a sandbox's log: the extension's, or that of the folder a sandbox reported. */
  #tail(sandbox?: RunningSandbox): string[] {
    const dir = sandbox && sandbox.dataDir !== 'in-memory' ? sandbox.dataDir : this.#places.dataDir;
    return sandbox && sandbox.dataDir === 'in-memory' ? [] : readLogTail(logFileOf(dir), LOG_TAIL_LINES);
  }

  async #poll(): Promise<void> {
    if (this.#busy || this.#polling || this.#disposed) return;
    this.#polling = true;
    try {
      await this.#check();
    } finally {
      this.#polling = false;
    }
  }

  async #check(): Promise<void> {
    const state = this.#state;
    if (state.kind !== 'running') {
      // A sandbox started by another window (or after a restart) shows up here.
      const found = await this.findManaged();
      if (found && !this.#busy && this.#state === state) this.#set({ kind: 'running', sandbox: found }, undefined);
      return;
    }
    const sandbox = state.sandbox;
    if (await this.#answers(sandbox)) {
      this.#unanswered = 0;
      return;
    }
    if (this.#busy || this.#state !== state) return;
    if (this.#alive(sandbox.pid)) {
      if (++this.#unanswered >= UNANSWERED_POLLS)
        this.#set({ kind: 'lost', sandbox, reason: 'notAnswering', logTail: this.#tail(sandbox) }, undefined);
      return;
    }
    // Gone. Its lock still in the folder means it never reached its clean stop.
    if (this.#holdsFolder(sandbox))
      this.#set({ kind: 'lost', sandbox, reason: 'crashed', logTail: this.#tail(sandbox) }, undefined);
    else this.#set({ kind: 'stopped' }, undefined);
  }
}

function killChild(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) signalProcess(child.pid, 'SIGKILL');
}
