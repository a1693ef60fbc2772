/**
 * Follows a local sandbox's request inspector: the recent records from GET /sandbox/v1/requests,
 * then each new one from its WebSocket feed, reconnecting with backoff (the sandbox may restart).
 * Loopback only, like every sandbox address the extension uses.
 */
import { backoffDelayMs } from '../../core/backoff';
import { ReconnectingSocket } from '../../core/reconnectingSocket';
import { fromSandboxRecord } from './inspectedRequest';
import type { RequestList } from './requestList';

export interface SandboxRequestFeedOptions {
  baseUrl: string;
  environment: string;
  list: RequestList;
  log?: (line: string) => void;
}

export class SandboxRequestFeed {
  readonly #socket: ReconnectingSocket;
  #stopped = false;

  constructor(private readonly options: SandboxRequestFeedOptions) {
    const url = new URL(options.baseUrl);
    if (url.hostname !== '127.0.0.1')
      throw new Error(`the request feed follows loopback sandboxes only, not ${url.host}`);
    this.#socket = new ReconnectingSocket({
      url: () => `ws://${url.host}/sandbox/v1/requests/stream`,
      backoffMs: (attempt) => backoffDelayMs(attempt),
      connecting: () => undefined,
      // Each (re)connection first catches up on what the feed did not deliver meanwhile.
      opened: () => void this.#catchUp(),
      message: (text) => {
        try {
          const request = fromSandboxRecord(JSON.parse(text), options.environment);
          if (request) options.list.add(request);
        } catch {
          // A frame that is not a record: ignored (the next catch-up fills any gap).
        }
      },
      error: (error) => options.log?.(`Request feed of ${options.environment}: ${error.message}`),
      closed: () => undefined,
    });
  }

  start(): void {
    this.#socket.start();
  }

  stop(): void {
    this.#stopped = true;
    this.#socket.stop();
  }

  async #catchUp(): Promise<void> {
    try {
      const response = await fetch(`${this.options.baseUrl}/sandbox/v1/requests?limit=200`, {
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok || this.#stopped) return;
      const records = (await response.json()) as unknown[];
      const requests = records
        .map((r) => fromSandboxRecord(r, this.options.environment))
        .filter((r) => r !== undefined);
      this.options.list.add(...requests);
    } catch (error) {
      this.options.log?.(`Request log of ${this.options.environment}: ${(error as Error).message}`);
    }
  }
}
