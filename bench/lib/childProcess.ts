/** Children of the sandbox sections: started with `node`, they announce themselves with one JSON line on stdout. */
import { ChildProcess, spawn } from 'node:child_process';
import { createInterface, Interface } from 'node:readline';

export interface Child {
  readonly process: ChildProcess;
  /** The next JSON line the child prints (the first is its announcement). */
  next<T>(timeoutMs?: number): Promise<T>;
  /** Sends one JSON line to its stdin. */
  send(message: unknown): void;
  stop(): Promise<void>;
}

export function startChild(script: string, args: string[], nodeArgs: string[] = []): Child {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  // Read stderr so that a child's logging never blocks on a full pipe; keep the tail for errors.
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const lines: Interface = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else queue.push(line);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  return {
    process: child,
    next<T>(timeoutMs = 120_000): Promise<T> {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(JSON.parse(queued) as T);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${script}: no answer within ${timeoutMs} ms; stderr: ${stderr}`)),
          timeoutMs,
        );
        const onExit = (): void => reject(new Error(`${script} exited; stderr: ${stderr}`));
        child.once('exit', onExit);
        waiters.push((line) => {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(JSON.parse(line) as T);
        });
      });
    },
    send(message: unknown): void {
      child.stdin!.write(`${JSON.stringify(message)}\n`);
    },
    stop(): Promise<void> {
      if (exited) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
