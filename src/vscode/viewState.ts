import * as vscode from 'vscode';
import { Environment } from '../core/environments';
import { describeError, NoCredentialError } from '../core/errors';
import { TransportError } from '../core/transport';
import { setContext, ViewState } from './contextKeys';

/**
 * The state of one tree view, mirrored into a context key so `viewsWelcome` can show the right
 * empty/signed-out/error content (instead of pop-ups), and the error text into `view.message`.
 */
export class ViewStatus implements vscode.Disposable {
  readonly #onDidChange = new vscode.EventEmitter<ViewState>();
  /** Fires with the new state (the status bar uses it to say a local sandbox has stopped). */
  readonly onDidChange = this.#onDidChange.event;
  #state: ViewState = 'loading';
  #view: vscode.TreeView<unknown> | undefined;
  #message: string | undefined;

  constructor(private readonly contextKey: string) {
    void setContext(contextKey, this.#state);
  }

  get state(): ViewState {
    return this.#state;
  }

  attach(view: vscode.TreeView<unknown>): void {
    this.#view = view;
    view.message = this.#message;
  }

  set(state: ViewState, message?: string): void {
    this.#state = state;
    this.#message = message;
    if (this.#view) this.#view.message = message;
    void setContext(this.contextKey, state);
    this.#onDidChange.fire(state);
  }

  /** Sets the state an error calls for; a stopped local sandbox and a missing key get their own welcome. */
  fail(environment: Environment, error: unknown): void {
    if (error instanceof NoCredentialError) {
      this.set('noKey');
    } else if (environment.kind === 'local' && error instanceof TransportError && error.kind === 'network') {
      this.set('sandboxStopped', `${environment.label} is not answering.`);
    } else {
      const { message, hint } = describeError(error);
      this.set('error', hint ? `${message} ${hint}` : message);
    }
  }

  setDescription(description: string | undefined): void {
    if (this.#view) this.#view.description = description;
  }

  dispose(): void {
    this.#onDidChange.dispose();
  }
}
