import * as vscode from 'vscode';
import { Environment, EnvironmentError, environmentFromId } from '../../core/environments';
import type { Credential } from '../../core/credentials';
import type { EnvironmentService } from './environmentService';
import { PrompterHolder, required, UserCancelled } from '../shared/prompter';

/** What switching reads and changes of the environment service. */
export type SwitchableEnvironments = Pick<EnvironmentService, 'active' | 'available' | 'canTrade' | 'setActive'>;

/** "Switch Environment": Spot Testnet, Demo, Live (only when enabled, after a modal) and local sandboxes. */
export class EnvironmentCommands {
  constructor(
    private readonly environments: SwitchableEnvironments,
    /** Names each environment's active key in the list. */
    private readonly keys: { activeFor(environmentId: string): Pick<Credential, 'label'> | undefined },
    private readonly prompter: PrompterHolder,
  ) {}

  async switch(args: { environmentId?: string } = {}): Promise<string> {
    const environmentId = (args ?? {}).environmentId;
    if (environmentId !== undefined && typeof environmentId !== 'string') {
      throw new EnvironmentError('environmentId must be a string: testnet, demo, live or local@http://127.0.0.1:PORT.');
    }
    const target = environmentId ? environmentFromId(environmentId) : await this.#pick();
    if (!this.environments.available().some((env) => env.id === target.id)) {
      throw new Error(
        target.kind === 'live'
          ? 'Live is turned off. Enable "testnetDesk.live.enabled" in your user settings first.'
          : `${target.label} is not available: start the local sandbox first.`,
      );
    }
    await confirmSwitchToLive(this.prompter, this.environments, target);
    await this.environments.setActive(target);
    return target.id;
  }

  async #pick(): Promise<Environment> {
    const active = this.environments.active;
    const items = this.environments.available().map((env) => {
      const key = this.keys.activeFor(env.id);
      return {
        label: env.label,
        iconPath: new vscode.ThemeIcon(
          env.kind === 'live' ? 'warning' : env.kind === 'local' ? 'server-process' : 'beaker',
        ),
        description: `${env.id === active.id ? 'active · ' : ''}${key ? `key "${key.label}"` : 'no key'}`,
        detail:
          env.kind === 'live'
            ? `${env.restBaseUrl}: real money${this.environments.canTrade(env) ? '' : ' (read-only)'}`
            : env.restBaseUrl,
        env,
      };
    });
    return required(
      await this.prompter.current.showQuickPick(items, {
        title: 'Switch Binance environment',
        placeHolder: `Active: ${active.label}`,
      }),
    ).env;
  }
}

/**
 * Every way into Live (this command, selecting a live key) asks first, in a modal. Throws
 * UserCancelled unless confirmed; does nothing for other environments or when Live is active already.
 */
export async function confirmSwitchToLive(
  prompter: PrompterHolder,
  environments: Pick<EnvironmentService, 'active' | 'canTrade'>,
  target: Environment,
): Promise<void> {
  if (target.kind !== 'live' || environments.active.kind === 'live') return;
  const readOnly = !environments.canTrade(target);
  const answer = await prompter.current.showWarningMessage(
    'Switch to LIVE Binance?',
    {
      modal: true,
      detail: readOnly
        ? 'Live uses real accounts. Testnet Desk keeps Live read-only (no orders) unless "testnetDesk.live.allowTrading" is on.'
        : 'Live uses real money, and trading on Live is allowed by your settings. Every order still asks for confirmation.',
    },
    'Switch to Live',
  );
  if (answer !== 'Switch to Live') throw new UserCancelled();
}
