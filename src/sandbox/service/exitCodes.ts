/**
 * The sandbox program's exit codes. A launcher (the extension) tells the failures apart by them,
 * so each one that needs a different answer has its own. Documented in README-seed.md.
 */
export const ExitCode = {
  ok: 0,
  /** Anything else (a bad seed file, an unexpected error); the message is on stderr. */
  failed: 1,
  /** A command-line argument is wrong. */
  usage: 2,
  /** The port is taken by another program. */
  portInUse: 3,
  /** Another sandbox uses the data folder. */
  dataDirLocked: 4,
  /** The data folder cannot be used (not ours, newer format, damaged keys, no permission). */
  dataDirUnusable: 5,
  /** The state could not be written any more (a full disk, an I/O error); what was answered is kept. */
  storageFailed: 6,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure that ends the program with its own exit code and a message saying what to do. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
  }
}
