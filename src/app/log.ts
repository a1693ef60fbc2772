/**
 * What the app writes to its log. VS Code's LogOutputChannel satisfies it; so does a test's
 * in-memory log, without a cast. Never pass a secret, a full API key or a signature.
 */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}
