// Bounded waiting: every wait in the harness has a deadline and says what it waited for.
import * as net from 'net';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  {
    timeoutMs,
    intervalMs = 250,
    stopOn,
  }: {
    timeoutMs: number;
    intervalMs?: number;
    /** A reason to give up before the deadline. */ stopOn?: () => string | undefined;
  },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const stopped = stopOn?.();
    if (stopped) throw new Error(`gave up waiting for ${what}: ${stopped}`);
    try {
      const value = await probe();
      if (value !== undefined && value !== null && (value as unknown) !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const why = lastError ? ` (last error: ${(lastError as Error).message ?? String(lastError)})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function withTimeout<T>(what: string, promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
