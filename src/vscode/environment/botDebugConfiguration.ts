import * as vscode from 'vscode';
import { debugEnvironment, readDebugEnvRequest } from '../../app/debugEnv';
import type { Log } from '../../app/log';
import type { Environment } from '../../core/environments';
import type { PrompterHolder } from '../shared/prompter';
import type { BotKeys } from './botCommands';

/**
 * A bot started with F5 gets the active environment's URLs and key in its process environment,
 * with nothing written to disk. Any debug type (node, python, go, …): the launch configuration asks
 * for it with `"testnetDesk": true`, and for the secret with `"testnetDesk": { "includeSecret": true }`.
 * Variables already in the configuration's `env` with the same names are replaced (the active
 * environment wins; other variables stay). Refused for Live unless Live trading is enabled.
 */
export class BotDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly session: { readonly environment: Environment },
    private readonly store: BotKeys,
    private readonly environments: { canTrade(environment: Environment): boolean },
    private readonly prompter: PrompterHolder,
    private readonly log: Log,
  ) {}

  async resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const request = readDebugEnvRequest(config.testnetDesk);
    if (request === undefined) return config;
    const refuse = (message: string): undefined => {
      this.log.warn(`Debug session "${config.name}": ${message}`);
      void this.prompter.current.showErrorMessage(`Testnet Desk: ${message}`, {});
      return undefined; // stops the launch
    };
    if (typeof request === 'string') return refuse(request);
    const environment = this.session.environment;
    const credential = this.store.activeFor(environment.id);
    // The secret is read only when asked for, and only if the environment may be used at all.
    let variables: Record<string, string>;
    try {
      debugEnvironment({ environment }, this.environments.canTrade(environment));
      const secret =
        request.includeSecret && credential ? await this.store.readSecretMaterial(credential.id) : undefined;
      variables = debugEnvironment(
        {
          environment,
          keyType: credential?.keyType,
          apiKey: credential?.apiKey,
          secret: secret?.secret,
          privateKeyPem: secret?.privateKeyPem,
        },
        this.environments.canTrade(environment),
      );
    } catch (error) {
      return refuse((error as Error).message);
    }
    const env: unknown = config.env;
    const base = env !== null && typeof env === 'object' && !Array.isArray(env) ? (env as Record<string, unknown>) : {};
    this.log.info(
      `Debug session "${config.name}" gets the ${environment.label} settings${credential ? ` and key "${credential.label}"` : ' (no key yet)'}` +
        `${variables.BINANCE_API_SECRET || variables.BINANCE_PRIVATE_KEY ? ', with its secret' : ''} in its environment.`,
    );
    return { ...config, env: { ...base, ...variables } };
  }
}
