/**
 * In-memory stand-ins for secret storage, key-value state and the log, shaped like VS Code's
 * (SecretStorage, Memento, LogOutputChannel) so they fit the narrow interfaces without a cast.
 */
import { Emitter } from '../../src/core/events';

/** In-memory SecretStorage that can be told to fail on chosen writes. */
export class MemorySecrets {
  readonly data = new Map<string, string>();
  readonly #onDidChange = new Emitter<{ key: string }>();
  readonly onDidChange = this.#onDidChange.event;
  /** Return true to make store(key) reject (e.g. the OS keychain refused the write). */
  failStore: (key: string) => boolean = () => false;
  failDelete: (key: string) => boolean = () => false;

  async get(key: string): Promise<string | undefined> {
    return this.data.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    if (this.failStore(key)) throw new Error(`keychain refused to store ${key}`);
    this.data.set(key, value);
  }
  async delete(key: string): Promise<void> {
    if (this.failDelete(key)) throw new Error(`keychain refused to delete ${key}`);
    this.data.delete(key);
  }
}

/** In-memory Memento (globalState). */
export class MemoryMemento {
  readonly data = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return this.data.has(key) ? (this.data.get(key) as T) : fallback;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, value);
  }
}

/** A LogOutputChannel that keeps every line. */
export class MemoryLog {
  readonly lines: string[] = [];
  info(m: string): void {
    this.lines.push(`info ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`warn ${m}`);
  }
  error(m: string): void {
    this.lines.push(`error ${m}`);
  }
  debug(m: string): void {
    this.lines.push(`debug ${m}`);
  }
  trace(m: string): void {
    this.lines.push(`trace ${m}`);
  }
  show(): void {}
}
