/**
 * A minimal event emitter without `vscode`, shaped like VS Code's (`event(listener)` returns a
 * disposable), so VS Code adapters can subscribe to the VS Code-free models directly and push the
 * subscription into their disposables.
 */
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> {
  readonly #listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    // A wrapper per subscription, so the same function subscribed twice is also removed once each.
    const wrapped = (value: T): void => listener(value);
    this.#listeners.add(wrapped);
    return { dispose: () => this.#listeners.delete(wrapped) };
  };

  fire(value: T): void {
    // A copy: a listener may subscribe or dispose while the event is delivered.
    for (const listener of [...this.#listeners]) listener(value);
  }

  dispose(): void {
    this.#listeners.clear();
  }
}
