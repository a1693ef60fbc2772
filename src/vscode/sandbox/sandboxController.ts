import * as vscode from 'vscode';
import type { ClientFactory } from '../../app/exchange';
import type { Log } from '../../app/log';
import { readSandboxKeys } from '../../app/sandbox/dataFolder';
import { DEFAULT_SANDBOX_PORT } from '../../app/sandbox/protocol';
import {
  SandboxStartError,
  type RunningSandbox,
  type SandboxService,
  type SandboxState,
} from '../../app/sandbox/sandboxService';
import type { Credential } from '../../core/credentials';
import { Environment, localSandbox } from '../../core/environments';
import { describeError } from '../../core/errors';
import type { EnvironmentService } from '../environment/environmentService';
import type { AddKeyArgs, KeyRef } from '../keys/keyCommands';
import type { SecretCredentialStore } from '../keys/secretCredentialStore';
import { setContext, ContextKeys } from '../shared/contextKeys';
import { PrompterHolder, required } from '../shared/prompter';

export interface SandboxInfo {
  environmentId: string;
  baseUrl: string;
  wsApiUrl: string;
  port: number;
  pid: number;
  /** The data folder, or "in-memory". */
  dataDir: string;
}

/** The label of the key the extension stores for its own sandbox (from the data folder's keys.json). */
export const SANDBOX_KEY_LABEL = 'Sandbox key';

export interface SandboxControllerDeps {
  service: SandboxService;
  store: Pick<SecretCredentialStore, 'list' | 'add' | 'removeWhere' | 'activeFor'>;
  environments: Pick<EnvironmentService, 'active' | 'setActive' | 'setRunningSandbox'>;
  /** Builds the clients that ask a sandbox for open orders (before Stop) and ping old ones. */
  clients: ClientFactory;
  prompter: PrompterHolder;
  log: Log;
  /** The port to start on (testnetDesk.sandbox.port). */
  port: () => number;
  /** Saves another port in testnetDesk.sandbox.port (offered when the port is taken). */
  savePort: (port: number) => Thenable<void>;
  /** A free port on 127.0.0.1 to offer instead of a taken one. */
  freePort: () => Promise<number>;
  /** The keys feature's Add API Key (checked with a signed call before it is saved). */
  addKey: (args: AddKeyArgs) => Promise<KeyRef | undefined>;
  /** Reloads balances and orders and reconnects the live updates (after a start or stop on the active environment). */
  reloadAccount: () => Promise<void>;
  /** Opens a file in an editor (the sandbox log). */
  openFile: (file: string) => Thenable<unknown>;
  /** Runs a task under a progress notification. */
  withProgress: <T>(title: string, task: () => Promise<T>) => Thenable<T>;
}

const RESTART = 'Restart';
const OPEN_LOG = 'Open Sandbox Log';
const STOP = 'Stop Sandbox';

/**
 * The local sandbox from VS Code: Start (attach if one runs), Stop (asking first when orders are
 * open), Restart, Attach to one started from the command line, and what each window shows when the
 * sandbox starts, stops or goes. The sandbox is a process of its own (src/app/sandbox): a window
 * reload or close leaves it running, and its keys belong to its data folder, so the key stored here
 * for its environment stays valid across restarts and is kept when it stops.
 */
export class SandboxController implements vscode.Disposable {
  readonly #deps: SandboxControllerDeps;
  readonly #subscription: { dispose(): void };
  /** The environment of the sandbox this window uses, running or not. */
  #environment: Environment | undefined;
  /** While this window starts or attaches, it shows the result itself (the state event is not followed). */
  #operating = 0;

  constructor(deps: SandboxControllerDeps) {
    this.#deps = deps;
    void setContext(ContextKeys.sandboxRunning, false);
    this.#subscription = deps.service.onDidChange((state) => void this.#onStateChange(state));
  }

  get service(): SandboxService {
    return this.#deps.service;
  }

  get running(): SandboxInfo | undefined {
    const sandbox = this.#deps.service.running;
    return sandbox && infoOf(sandbox);
  }

  /**
   * At activation: uses a sandbox that outlived the last window (or runs for another one), without
   * switching environment or starting one, then watches it.
   */
  async initialize(): Promise<void> {
    try {
      const found = await this.#operate(() => this.#deps.service.reconnect());
      if (found) {
        this.#show(found);
        if (found.managed) await this.#storeManagedKey(localSandbox(found.baseUrl), found);
        this.#deps.log.info(`Found the local sandbox at ${found.baseUrl} (pid ${found.pid}) still running.`);
      }
    } catch (error) {
      this.#deps.log.warn(`Looking for a running local sandbox failed: ${describeError(error).message}`);
    }
    this.#deps.service.watch();
  }

  /** Starts the sandbox (or attaches to the running one), stores its key and switches to it. */
  async start(): Promise<SandboxInfo | undefined> {
    const port = this.#deps.port();
    let sandbox: RunningSandbox;
    try {
      sandbox = await this.#operate(() =>
        this.#deps.withProgress('Starting the local sandbox exchange…', () => this.#deps.service.start(port)),
      );
    } catch (error) {
      if (!(error instanceof SandboxStartError)) throw error;
      return this.#startFailed(error);
    }
    return this.#operate(() => this.#use(sandbox, 'started'));
  }

  /** Asks first when the sandbox has open orders; afterwards the views say it stopped and offer Start. */
  async stop(): Promise<boolean> {
    // Another window may have started it a moment ago, before this window's watch saw it.
    if (this.#deps.service.state.kind === 'stopped') await this.#operate(() => this.#deps.service.reconnect());
    const state = this.#deps.service.state;
    if (state.kind === 'stopped') {
      void this.#deps.prompter.current.showInformationMessage('No local sandbox is running.', {});
      return false;
    }
    if (state.kind === 'running' && !(await this.#confirmStop(state.sandbox, 'Stop'))) return false;
    await this.#deps.withProgress('Stopping the local sandbox…', () => this.#deps.service.stop());
    return true;
  }

  /** Stops (asking first when orders are open) and starts again on the configured port. */
  async restart(): Promise<SandboxInfo | undefined> {
    const state = this.#deps.service.state;
    if (state.kind === 'running' && !(await this.#confirmStop(state.sandbox, 'Restart'))) return undefined;
    if (state.kind !== 'stopped') await this.#deps.service.stop();
    return this.start();
  }

  /**
   * A sandbox started from the command line (`npm run sandbox`), by its URL: loopback only (the
   * environment registry refuses anything else). Its key comes from its data folder's keys.json or
   * from Add API Key.
   */
  async attach(args: { url?: string; dataDir?: string } = {}): Promise<SandboxInfo | undefined> {
    const ui = this.#deps.prompter.current;
    const url =
      args.url ??
      required(
        await ui.showInputBox({
          title: 'Attach to a local sandbox: its URL',
          prompt: 'The baseUrl the sandbox printed (npm run sandbox), e.g. http://127.0.0.1:27182. Loopback only.',
          value: `http://127.0.0.1:${this.#deps.port() || DEFAULT_SANDBOX_PORT}`,
          validateInput: (value) => {
            try {
              localSandbox(value.trim());
              return undefined;
            } catch (error) {
              return (error as Error).message;
            }
          },
        }),
      );
    const environment = localSandbox(url.trim());
    return this.#operate(async () => {
      const sandbox = await this.#deps.service.attach(environment.restBaseUrl);
      this.#show(sandbox, environment);
      if (!this.#deps.store.activeFor(environment.id)) {
        const added = await this.#addKeyFor(environment, sandbox, args.dataDir);
        if (!added) return undefined;
      }
      return this.#use(sandbox, 'attached');
    });
  }

  async openLog(): Promise<void> {
    await this.#deps.openFile(this.#deps.service.logFile);
  }

  /**
   * Removes keys the extension generated for local sandboxes that no longer answer: older versions
   * started each sandbox on a new port with new keys. Keys added by hand, and the key of the
   * sandbox on the configured port (stopped or not: its keys survive restarts), are kept.
   */
  async pruneStaleKeys(): Promise<void> {
    const keep = new Set<string>();
    if (this.#environment) keep.add(this.#environment.id);
    const port = this.#deps.port();
    if (port > 0) keep.add(localSandbox(`http://127.0.0.1:${port}`).id);
    const candidates = new Map<string, Environment>();
    for (const c of this.#deps.store.list())
      if (c.environment.kind === 'local' && c.label === SANDBOX_KEY_LABEL && !keep.has(c.environment.id))
        candidates.set(c.environment.id, c.environment);
    for (const environment of candidates.values()) {
      try {
        await this.#deps.clients(environment, () => undefined).ping();
      } catch {
        const removed = await this.#deps.store.removeWhere(
          (c) => c.environment.id === environment.id && c.label === SANDBOX_KEY_LABEL,
        );
        this.#deps.log.info(
          `Removed ${removed.length} generated key(s) of ${environment.label}, which no longer runs.`,
        );
      }
    }
  }

  dispose(): void {
    // The sandbox keeps running: it belongs to no window (Stop stops it).
    this.#subscription.dispose();
    this.#deps.service.dispose();
  }

  async #operate<T>(operation: () => PromiseLike<T>): Promise<T> {
    this.#operating++;
    try {
      return await operation();
    } finally {
      this.#operating--;
    }
  }

  async #use(sandbox: RunningSandbox, how: 'started' | 'attached'): Promise<SandboxInfo> {
    const environment = localSandbox(sandbox.baseUrl);
    this.#show(sandbox, environment);
    if (sandbox.managed) await this.#storeManagedKey(environment, sandbox);
    this.#deps.log.info(
      `${how === 'started' ? 'Using' : 'Attached to'} ${environment.label} at ${sandbox.baseUrl} (pid ${sandbox.pid}, data ${sandbox.dataDir}).`,
    );
    if (this.#deps.environments.active.id !== environment.id) await this.#deps.environments.setActive(environment);
    // Same environment and key as before a stop: nothing else reloads the views.
    else await this.#deps.reloadAccount();
    return infoOf(sandbox);
  }

  #show(sandbox: RunningSandbox, environment = localSandbox(sandbox.baseUrl)): void {
    this.#environment = environment;
    this.#deps.environments.setRunningSandbox(environment);
    void setContext(ContextKeys.sandboxRunning, true);
  }

  /** The data folder's Ed25519 key, stored once for the environment (a stale generated one is replaced). */
  async #storeManagedKey(environment: Environment, sandbox: RunningSandbox): Promise<void> {
    const keys = readSandboxKeys(sandbox.dataDir);
    const stored = this.#deps.store.list(environment.id);
    if (stored.some((c) => c.apiKey === keys.ed25519.apiKey || c.apiKey === keys.hmac.apiKey)) return;
    await this.#deps.store.removeWhere((c) => c.environment.id === environment.id && c.label === SANDBOX_KEY_LABEL);
    await this.#deps.store.add(
      {
        environment,
        keyType: 'ed25519',
        label: SANDBOX_KEY_LABEL,
        apiKey: keys.ed25519.apiKey,
        privateKeyPem: keys.ed25519.privateKeyPem,
      },
      { makeActive: !this.#deps.store.activeFor(environment.id) },
    );
    this.#deps.log.info(
      `Stored the key of ${environment.label} (from its data folder); it stays valid across restarts.`,
    );
  }

  async #addKeyFor(environment: Environment, sandbox: RunningSandbox, dataDir?: string): Promise<boolean> {
    const fromFolder = async (folder: string): Promise<boolean> => {
      const keys = readSandboxKeys(folder);
      const saved = await this.#deps.addKey({
        environmentId: environment.id,
        keyType: 'ed25519',
        label: SANDBOX_KEY_LABEL,
        apiKey: keys.ed25519.apiKey,
        privateKeyPem: keys.ed25519.privateKeyPem,
      });
      return saved !== undefined;
    };
    if (dataDir) return fromFolder(dataDir);
    type Choice = vscode.QuickPickItem & { action: 'reported' | 'choose' | 'enter' };
    const items: Choice[] = [];
    if (sandbox.dataDir !== 'in-memory')
      items.push({
        label: 'Use the keys in its data folder',
        detail: `${sandbox.dataDir}/keys.json`,
        action: 'reported',
      });
    items.push(
      {
        label: 'Choose its data folder…',
        detail: 'The folder given to --data; its keys.json is read.',
        action: 'choose',
      },
      {
        label: 'Enter an API key…',
        detail: 'For example the ed25519 apiKey and privateKeyPem the sandbox printed.',
        action: 'enter',
      },
    );
    const pick = required(
      await this.#deps.prompter.current.showQuickPick(items, {
        title: `Attach to ${environment.label}: which key?`,
        placeHolder: 'The key is checked with one signed call, then kept in secret storage.',
      }),
    );
    if (pick.action === 'reported') return fromFolder(sandbox.dataDir);
    if (pick.action === 'enter') return (await this.#deps.addKey({ environmentId: environment.id })) !== undefined;
    const folders = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: 'Use Keys of This Folder',
      title: 'The sandbox data folder (--data DIR)',
    });
    return folders?.[0] ? fromFolder(folders[0].fsPath) : false;
  }

  /** The symbols of the running sandbox's open orders (of the key stored for it); none when it is not running. */
  async openOrderSymbols(): Promise<string[]> {
    const sandbox = this.#deps.service.running;
    return sandbox ? this.#openOrders(localSandbox(sandbox.baseUrl)) : [];
  }

  /** True to go ahead. Counts the open orders of the key stored for it; asks only when there are some. */
  async #confirmStop(sandbox: RunningSandbox, verb: 'Stop' | 'Restart'): Promise<boolean> {
    const environment = localSandbox(sandbox.baseUrl);
    const open = await this.#openOrders(environment);
    if (open.length === 0) return true;
    const symbols = [...new Set(open)].join(', ');
    const button = verb === 'Stop' ? STOP : 'Restart Sandbox';
    const answer = await this.#deps.prompter.current.showWarningMessage(
      `${verb} the local sandbox? It has ${open.length} open order${open.length === 1 ? '' : 's'} (${symbols}).`,
      {
        modal: true,
        detail:
          sandbox.dataDir === 'in-memory'
            ? 'This sandbox keeps nothing on disk (--in-memory): its accounts, balances and orders will be gone, and a bot using it gets connection errors until it runs again.'
            : 'Its accounts, balances and orders stay in its data folder and are back when it starts again; until then they do not trade, and a bot using it gets connection errors. Its keys stay the same.',
      },
      button,
    );
    return answer === button;
  }

  /** The symbols of the open orders of the key stored for `environment` (none if there is no key or no answer). */
  async #openOrders(environment: Environment): Promise<string[]> {
    const key: Credential | undefined = this.#deps.store.activeFor(environment.id);
    if (!key) return [];
    try {
      const orders = await this.#deps.clients(environment, () => key).openOrders();
      return orders.map((o) => o.symbol);
    } catch (error) {
      this.#deps.log.warn(`Could not count the open orders before stopping: ${describeError(error).message}`);
      return [];
    }
  }

  async #startFailed(error: SandboxStartError): Promise<SandboxInfo | undefined> {
    for (const line of error.logTail) this.#deps.log.info(`[sandbox log] ${line}`);
    const ui = this.#deps.prompter.current;
    if (error.reason === 'portInUse') {
      const free = await this.#deps.freePort();
      const use = `Use Port ${free}`;
      const attach = 'Attach to It';
      const actions = error.holder ? [attach, use] : [use, 'Open Settings'];
      const answer = await ui.showErrorMessage(
        `${error.message} Start the sandbox on port ${free} instead (saved in testnetDesk.sandbox.port; bots configured for port ${error.port} then need the new URL)?`,
        {},
        ...actions,
      );
      if (answer === use) {
        await this.#deps.savePort(free);
        return this.start();
      }
      if (answer === attach) return this.attach({ url: `http://127.0.0.1:${error.port}` });
      if (answer === 'Open Settings')
        await vscode.commands.executeCommand('workbench.action.openSettings', 'testnetDesk.sandbox.port');
      return undefined;
    }
    this.#deps.log.error(`Starting the local sandbox failed: ${error.message}`);
    const answer = await ui.showErrorMessage(`Starting the local sandbox failed: ${error.message}`, {}, OPEN_LOG);
    if (answer === OPEN_LOG) await this.openLog();
    return undefined;
  }

  async #onStateChange(state: SandboxState): Promise<void> {
    try {
      if (state.kind === 'running') {
        if (this.#operating > 0) return; // this window's own start or attach shows it
        // Started by another window (which stored its key): follow it here.
        const environment = localSandbox(state.sandbox.baseUrl);
        this.#show(state.sandbox, environment);
        if (this.#deps.environments.active.id === environment.id) await this.#deps.reloadAccount();
        return;
      }
      this.#deps.environments.setRunningSandbox(undefined);
      void setContext(ContextKeys.sandboxRunning, false);
      if (this.#environment && this.#deps.environments.active.id === this.#environment.id)
        await this.#deps.reloadAccount();
      if (state.kind === 'lost') await this.#reportLoss(state);
    } catch (error) {
      this.#deps.log.warn(`Following the local sandbox failed: ${describeError(error).message}`);
    }
  }

  async #reportLoss(state: Extract<SandboxState, { kind: 'lost' }>): Promise<void> {
    const { sandbox, reason, logTail } = state;
    const what =
      reason === 'crashed'
        ? `The local sandbox (port ${sandbox.port}) stopped unexpectedly.`
        : `The local sandbox (port ${sandbox.port}, pid ${sandbox.pid}) is not answering.`;
    this.#deps.log.error(what);
    for (const line of logTail) this.#deps.log.error(`[sandbox log] ${line}`);
    const last = logTail.slice(-3).join(' · ');
    const answer = await this.#deps.prompter.current.showErrorMessage(
      `${what}${last ? ` Last log lines: ${last}` : ''}`,
      {},
      RESTART,
      OPEN_LOG,
    );
    // Another window may have restarted it while the message was open: then there is nothing to do.
    if (this.#deps.service.state !== state) return;
    if (answer === RESTART) await this.restart();
    else {
      this.#deps.service.acknowledgeLoss();
      if (answer === OPEN_LOG) await this.openLog();
    }
  }
}

function infoOf(sandbox: RunningSandbox): SandboxInfo {
  const environment = localSandbox(sandbox.baseUrl);
  return {
    environmentId: environment.id,
    baseUrl: environment.restBaseUrl,
    wsApiUrl: environment.wsApiUrl,
    port: sandbox.port,
    pid: sandbox.pid,
    dataDir: sandbox.dataDir,
  };
}
