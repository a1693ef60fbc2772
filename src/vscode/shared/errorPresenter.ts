import * as vscode from 'vscode';
import { BinanceApiError, describeError, NoCredentialError } from '../../core/errors';
import { Environment } from '../../core/environments';
import { TransportError } from '../../core/transport';
import type { ShowableLog } from './log';
import { PrompterHolder, UserCancelled } from './prompter';
import { isKeyRefused } from '../../app/viewError';

export interface PresentOptions {
  /** Offered as "Retry" (omit for actions that must never be repeated automatically). */
  retry?: () => unknown;
  /** The environment the failed action talked to, for the message. */
  environment?: Environment;
  /** Offer "Add Key" for key problems (default). Off where Retry already reopens the key prompts. */
  offerAddKey?: boolean;
}

const RETRY = 'Retry';
const SHOW_LOG = 'Show Log';
const ADD_KEY = 'Add Key';

/**
 * The one place errors reach the user: what happened + what to do, with actions. The details go
 * to the log; a dismissed prompt (UserCancelled / CancellationError) is not an error and is
 * swallowed silently.
 */
export class ErrorPresenter {
  constructor(
    private readonly prompter: PrompterHolder,
    private readonly log: ShowableLog,
    /** The environment named in messages when the caller does not pass one. */
    private readonly activeEnvironment: () => Environment | undefined = () => undefined,
  ) {}

  /** True for errors that only mean "the user dismissed something". */
  static isCancellation(error: unknown): boolean {
    return error instanceof UserCancelled || error instanceof vscode.CancellationError;
  }

  /** Builds the text shown for `error` after "`what` failed". Exposed for tests. */
  static compose(what: string, error: unknown, environment?: Environment): string {
    const { message, hint } = describeError(error);
    let lead = `${what}: ${message}`;
    if (error instanceof BinanceApiError && error.code === -2015 && environment) {
      lead = `${what}: ${environment.label} refused the API key (-2015).`;
    }
    // The local sandbox is named only when the action talked to one.
    const local =
      environment?.kind === 'local' && error instanceof TransportError && error.kind !== 'aborted'
        ? `${environment.label} is not answering: start it with "Binance: Start Local Sandbox", or switch environment.`
        : '';
    return [lead, hint, local].filter(Boolean).join(' ');
  }

  async show(what: string, error: unknown, options: PresentOptions = {}): Promise<void> {
    if (ErrorPresenter.isCancellation(error)) return;
    const environment = options.environment ?? this.activeEnvironment();
    const text = ErrorPresenter.compose(what, error, environment);
    this.log.error(text);
    const actions: string[] = [];
    if (options.retry) actions.push(RETRY);
    if (options.offerAddKey !== false && isKeyProblem(error)) actions.push(ADD_KEY);
    actions.push(SHOW_LOG);
    const choice = await this.prompter.current.showErrorMessage(text, {}, ...actions);
    if (choice === RETRY) {
      try {
        await options.retry?.();
      } catch (retryError) {
        // The retry's own failure gets the same treatment (a dismissed prompt stays silent).
        await this.show(what, retryError, options);
      }
    } else if (choice === SHOW_LOG) this.log.show(true);
    else if (choice === ADD_KEY)
      await vscode.commands.executeCommand('testnetDesk.keys.add', { environmentId: environment?.id });
  }
}

/** No key, or a key that does not work here: offer to add a key for this environment. */
function isKeyProblem(error: unknown): boolean {
  return error instanceof NoCredentialError || isKeyRefused(error);
}
