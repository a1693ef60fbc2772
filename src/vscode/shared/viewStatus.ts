import * as vscode from 'vscode';
import { Environment } from '../../core/environments';
import { setContext, ViewState } from './contextKeys';
import type { SectionStatus } from '../../app/account/refreshSection';
import { Countdown, realTimers, Timers } from '../../app/countdown';
import { classifyFailure, pausedMessage, ViewErrorKind } from '../../app/viewError';

/** The part of a tree view its status writes: the message above the tree and the description. */
export type MessageTarget = Pick<vscode.TreeView<unknown>, 'message' | 'description'>;

/**
 * The state of one tree view, mirrored into context keys so `viewsWelcome` shows the right
 * empty / signed-out / error content with its buttons. VS Code hides a view's welcome content
 * while `view.message` is set, so a state with a welcome sets no message; only the rate-limit
 * pause (which needs no button: it ends by itself) shows its live countdown as the message.
 */
export class ViewStatus implements vscode.Disposable {
  readonly #onDidChange = new vscode.EventEmitter<ViewState>();
  readonly #onDidPauseEnd = new vscode.EventEmitter<void>();
  /** Fires with the new state (the status bar uses it to say a local sandbox has stopped). */
  readonly onDidChange = this.#onDidChange.event;
  /** Fires when a rate-limit wait is over: the view may send requests again and should reload. */
  readonly onDidPauseEnd = this.#onDidPauseEnd.event;
  #state: ViewState = 'loading';
  #errorKind: ViewErrorKind | undefined;
  #view: MessageTarget | undefined;
  #message: string | undefined;
  #countdown: Countdown | undefined;
  /** The account model's status last shown (see show()). */
  #shown: SectionStatus | undefined;

  constructor(
    private readonly stateKey: string,
    /** Context key naming the kind of error, for the welcome's sentence. */
    private readonly errorKey: string,
    private readonly timers: Timers = realTimers,
  ) {
    void setContext(stateKey, this.#state);
  }

  get state(): ViewState {
    return this.#state;
  }

  /** The text above the tree (undefined lets the welcome content show). */
  get message(): string | undefined {
    return this.#message;
  }

  /** What the `error` state's welcome says went wrong. */
  get errorKind(): ViewErrorKind | undefined {
    return this.#state === 'error' ? this.#errorKind : undefined;
  }

  attach(view: MessageTarget): void {
    this.#view = view;
    view.message = this.#message;
  }

  set(state: ViewState, message?: string): void {
    this.#countdown?.stop();
    this.#countdown = undefined;
    this.#apply(state, message);
  }

  /**
   * Shows the status of the part of the account model this view renders. A refresh that settles
   * makes a new status object; the same object again (after a stream update) leaves the view as it
   * is, so a running countdown goes on. Returns whether it was applied.
   */
  show(status: SectionStatus, readyMessage?: string): boolean {
    if (status === this.#shown) return false;
    this.#shown = status;
    if (status.state === 'failed') this.fail(status.environment, status.error);
    else if (status.state === 'ready') this.set('ready', readyMessage);
    else this.set(status.state);
    return true;
  }

  /** Sets the state an error calls for: its welcome, or a countdown to the end of a rate-limit wait. */
  fail(environment: Environment, error: unknown): void {
    const failure = classifyFailure(environment, error, this.timers.now());
    if (failure.state === 'rateLimited') {
      this.#pause(environment, failure.untilMs);
      return;
    }
    if (failure.state === 'error') {
      // Before the state, so the welcome never shows the previous error's sentence.
      this.#errorKind = failure.kind;
      void setContext(this.errorKey, failure.kind);
    }
    this.set(failure.state);
  }

  setDescription(description: string | undefined): void {
    if (this.#view) this.#view.description = description;
  }

  dispose(): void {
    this.#countdown?.stop();
    this.#onDidChange.dispose();
    this.#onDidPauseEnd.dispose();
  }

  #pause(environment: Environment, untilMs: number): void {
    this.#countdown?.stop();
    let first = true;
    this.#countdown = new Countdown(
      untilMs,
      this.timers,
      (secondsLeft) => {
        const message = pausedMessage(environment, secondsLeft);
        if (first) this.#apply('rateLimited', message);
        else this.#setMessage(message);
        first = false;
      },
      () => {
        this.#countdown = undefined;
        this.#onDidPauseEnd.fire();
      },
    );
    if (first) this.#apply('rateLimited', pausedMessage(environment, 0)); // the wait was already over
  }

  #apply(state: ViewState, message: string | undefined): void {
    this.#state = state;
    this.#setMessage(message);
    void setContext(this.stateKey, state);
    this.#onDidChange.fire(state);
  }

  #setMessage(message: string | undefined): void {
    this.#message = message;
    if (this.#view) this.#view.message = message;
  }
}
