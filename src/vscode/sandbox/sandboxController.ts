import * as vscode from 'vscode';
import { Environment, localSandbox, SPOT_TESTNET } from '../../core/environments';
import { describeError } from '../../core/errors';
import { startSandbox, SandboxHandle } from '../../sandbox';
import { setContext, ContextKeys } from '../shared/contextKeys';
import type { ClientFactory } from '../../app/exchange';
import type { Log } from '../../app/log';
import type { EnvironmentService } from '../environment/environmentService';
import type { SecretCredentialStore } from '../keys/secretCredentialStore';
import type { PrompterHolder } from '../shared/prompter';

export interface SandboxInfo {
  environmentId: string;
  baseUrl: string;
  wsApiUrl: string;
}

export interface SandboxControllerDeps {
  store: Pick<SecretCredentialStore, 'list' | 'add' | 'removeWhere'>;
  environments: Pick<EnvironmentService, 'active' | 'setActive' | 'setRunningSandbox'>;
  /** Builds the client that pings a stored sandbox, to prune the keys of one that stopped. */
  clients: ClientFactory;
  prompter: PrompterHolder;
  log: Log;
}

/**
 * Starts and stops the in-process sandbox exchange. Its keys are generated per start, stored under
 * its own Local environment (a sandbox on another port is another environment) and removed when it
 * stops; keys of sandboxes that no longer answer are pruned at start-up.
 */
export class SandboxController implements vscode.Disposable {
  #handle: SandboxHandle | undefined;
  #environment: Environment | undefined;
  #starting: Promise<SandboxInfo> | undefined;

  constructor(private readonly deps: SandboxControllerDeps) {
    void setContext(ContextKeys.sandboxRunning, false);
  }

  get running(): SandboxInfo | undefined {
    return this.#handle && this.#environment
      ? {
          environmentId: this.#environment.id,
          baseUrl: this.#environment.restBaseUrl,
          wsApiUrl: this.#environment.wsApiUrl,
        }
      : undefined;
  }

  /** Starts the sandbox (or reuses the running one), stores its key and switches to it. */
  start(): Promise<SandboxInfo> {
    if (this.running) return this.#switchTo(this.running);
    this.#starting ??= this.#start().finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  async stop(): Promise<void> {
    const handle = this.#handle;
    const environment = this.#environment;
    if (!handle || !environment) {
      void this.deps.prompter.current.showInformationMessage('The local sandbox is not running in this window.', {});
      return;
    }
    this.#handle = undefined;
    this.#environment = undefined;
    this.deps.environments.setRunningSandbox(undefined);
    void setContext(ContextKeys.sandboxRunning, false);
    await handle.close();
    await this.deps.store.removeWhere((c) => c.environment.id === environment.id);
    this.deps.log.info(`Stopped ${environment.label}; its generated key was removed.`);
    if (this.deps.environments.active.id === environment.id) await this.deps.environments.setActive(SPOT_TESTNET);
  }

  /** Removes stored keys of local sandboxes that do not answer a ping (stopped, or from an old session). */
  async pruneStaleKeys(): Promise<void> {
    const locals = new Map<string, Environment>();
    for (const c of this.deps.store.list())
      if (c.environment.kind === 'local' && c.environment.id !== this.#environment?.id)
        locals.set(c.environment.id, c.environment);
    for (const environment of locals.values()) {
      try {
        await this.deps.clients(environment, () => undefined).ping();
      } catch {
        const removed = await this.deps.store.removeWhere((c) => c.environment.id === environment.id);
        this.deps.log.info(`Removed ${removed.length} key(s) of ${environment.label}, which is no longer running.`);
        if (this.deps.environments.active.id === environment.id) await this.deps.environments.setActive(SPOT_TESTNET);
      }
    }
  }

  /** For deactivate: closes the server and removes its keys. */
  async shutdown(): Promise<void> {
    const handle = this.#handle;
    const environment = this.#environment;
    this.#handle = undefined;
    this.#environment = undefined;
    if (!handle || !environment) return;
    await handle.close().catch(() => undefined);
    await this.deps.store.removeWhere((c) => c.environment.id === environment.id).catch(() => undefined);
  }

  dispose(): void {
    void this.shutdown();
  }

  async #start(): Promise<SandboxInfo> {
    const handle = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Starting the local sandbox exchange…' },
      () => startSandbox({ port: 0, log: (line) => this.deps.log.debug(`[sandbox] ${line}`) }),
    );
    const environment = localSandbox(handle.baseUrl);
    this.#handle = handle;
    this.#environment = environment;
    this.deps.environments.setRunningSandbox(environment);
    void setContext(ContextKeys.sandboxRunning, true);
    await this.deps.store.removeWhere((c) => c.environment.id === environment.id); // a previous sandbox on the same port
    await this.deps.store.add(
      {
        environment,
        keyType: 'ed25519',
        label: 'Sandbox key',
        apiKey: handle.ed25519.apiKey,
        privateKeyPem: handle.ed25519.privateKeyPem,
      },
      { makeActive: true },
    );
    this.deps.log.info(
      `Started ${environment.label} at ${handle.baseUrl}; its generated key is stored for this environment only.`,
    );
    // Not awaited (pings may take a while); a failure is logged, never an unhandled rejection.
    this.pruneStaleKeys().catch((error: unknown) =>
      this.deps.log.warn(`Pruning keys of stopped sandboxes failed: ${describeError(error).message}`),
    );
    return this.#switchTo({
      environmentId: environment.id,
      baseUrl: environment.restBaseUrl,
      wsApiUrl: environment.wsApiUrl,
    });
  }

  async #switchTo(info: SandboxInfo): Promise<SandboxInfo> {
    if (this.#environment && this.deps.environments.active.id !== this.#environment.id)
      await this.deps.environments.setActive(this.#environment);
    return info;
  }
}
