/**
 * Processes by pid, for a sandbox that runs detached from the window. (src/sandbox/service/lock.ts
 * has the same check; the layers keep the client side from importing the exchange.)
 */

/** Whether a process with this pid exists (EPERM: it does, and belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends `signal` to `pid`; false if there is no such process. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
