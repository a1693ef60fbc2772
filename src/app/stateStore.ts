/**
 * The key-value state the app keeps between sessions (VS Code's globalState satisfies it). Values
 * are never secret: keys go to secret storage, never here.
 */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}
