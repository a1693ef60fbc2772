/**
 * The Requests view's model, vscode-free: the newest requests (bounded), what the view shows of
 * them (a filter by status, client and endpoint) and an event when either changes.
 */
import { Emitter, type Event } from '../../core/events';
import type { InspectedRequest } from './inspectedRequest';

export const REQUESTS_KEPT = 500;

export interface RequestFilter {
  /** Only failures (status other than 200). */
  failuresOnly?: boolean;
  /** A client (connection or "Testnet Desk") or a masked key. */
  client?: string;
  /** A substring of the path or WebSocket method. */
  endpoint?: string;
}

export class RequestList {
  #requests: InspectedRequest[] = []; // newest first
  readonly #keys = new Set<string>();
  #filter: RequestFilter = {};
  readonly #onDidChange = new Emitter<void>();
  readonly onDidChange: Event<void> = this.#onDidChange.event;

  constructor(private readonly kept = REQUESTS_KEPT) {}

  get filter(): RequestFilter {
    return { ...this.#filter };
  }

  set filter(filter: RequestFilter) {
    this.#filter = { ...filter };
    this.#onDidChange.fire();
  }

  /** Adds requests (any order; one already listed is skipped) and keeps the newest `kept`. */
  add(...requests: InspectedRequest[]): void {
    const fresh = requests.filter((r) => !this.#keys.has(r.key));
    if (fresh.length === 0) return;
    for (const r of fresh) this.#keys.add(r.key);
    this.#requests = [...fresh, ...this.#requests].sort((a, b) => b.time - a.time);
    for (const dropped of this.#requests.splice(this.kept)) this.#keys.delete(dropped.key);
    this.#onDidChange.fire();
  }

  /** Forgets every request of `environment` (its sandbox was reset or is another one now). */
  clear(environment?: string): void {
    this.#requests = environment === undefined ? [] : this.#requests.filter((r) => r.environment !== environment);
    this.#keys.clear();
    for (const r of this.#requests) this.#keys.add(r.key);
    this.#onDidChange.fire();
  }

  get(key: string): InspectedRequest | undefined {
    return this.#requests.find((r) => r.key === key);
  }

  /** The requests the filter lets through, newest first. */
  visible(): InspectedRequest[] {
    const { failuresOnly, client, endpoint } = this.#filter;
    return this.#requests.filter(
      (r) =>
        (!failuresOnly || r.status !== 200) &&
        (client === undefined || r.client === client || r.apiKey === client) &&
        (endpoint === undefined || (r.path ?? r.method).includes(endpoint)),
    );
  }

  /** The clients and masked keys seen, for the filter's choices. */
  clients(): string[] {
    const seen = new Set<string>();
    for (const r of this.#requests) {
      seen.add(r.client);
      if (r.apiKey) seen.add(r.apiKey);
    }
    return [...seen].sort();
  }

  dispose(): void {
    this.#onDidChange.dispose();
  }
}
