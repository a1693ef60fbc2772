/**
 * The one refresh state machine of the account model: balances and open orders each run one.
 * A refresh with no key clears the section; otherwise it loads through the client of the moment,
 * applies the answer only if no newer refresh or reset started meanwhile, and turns a failure into
 * a `failed` status (logged with what to do). It never throws.
 */
import type { Environment } from '../../core/environments';
import type { Log } from '../log';
import { describeForLog } from '../viewError';

/**
 * Where one section stands. A new object for every refresh that settles, so a view re-applies a
 * status exactly when a refresh decided it (a stream update leaves the status object as it is).
 */
export type SectionStatus =
  | { readonly state: 'noKey'; readonly environment: Environment }
  | { readonly state: 'loading' }
  | { readonly state: 'ready' }
  | { readonly state: 'failed'; readonly environment: Environment; readonly error: unknown };

/** How a change came about: a view shows most at once, and may batch a burst of stream updates. */
export type ChangeCause = 'refresh' | 'stream' | 'reset' | 'notice' | 'watch' | 'history';

/** The active environment, whether it has a key, and the client for it (rebuilt on a switch). */
export interface SectionSource<Client> {
  readonly environment: Environment;
  readonly hasKey: boolean;
  readonly client: Client;
}

/** What a part of the account gets from the model: where it loads from and how it reports. */
export interface SectionHost<Client> {
  source: SectionSource<Client>;
  /** Wraps a request (a view shows its progress bar meanwhile). */
  progress<R>(task: () => Promise<R>): PromiseLike<R>;
  log: Log;
  /** Called after every change of the part's data or status. */
  changed(cause: ChangeCause): void;
  now: () => number;
}

export interface RefreshSectionOptions<Client, Loaded> {
  host: SectionHost<Client>;
  /** Names the section in the log: "Balances on Spot Testnet: …". */
  name: string;
  load(client: Client): Promise<Loaded>;
  apply(loaded: Loaded): void;
  clear(): void;
  /** Nothing to show yet: the view says "loading" while the first answer is on its way. */
  isEmpty(): boolean;
}

export class RefreshSection<Client, Loaded> {
  readonly #options: RefreshSectionOptions<Client, Loaded>;
  #token = 0;
  #status: SectionStatus = { state: 'loading' };

  constructor(options: RefreshSectionOptions<Client, Loaded>) {
    this.#options = options;
  }

  get status(): SectionStatus {
    return this.#status;
  }

  /** Changes with every refresh and reset: data loaded under an older token belongs to a superseded state. */
  get token(): number {
    return this.#token;
  }

  /** Reloads the section. Resolves true when fresh data was applied; never rejects. */
  async refresh(): Promise<boolean> {
    const options = this.#options;
    const { source, log } = options.host;
    const changed = (): void => options.host.changed('refresh');
    const token = ++this.#token;
    const environment = source.environment;
    if (!source.hasKey) {
      options.clear();
      this.#status = { state: 'noKey', environment };
      changed();
      return false;
    }
    if (options.isEmpty()) {
      this.#status = { state: 'loading' };
      changed();
    }
    try {
      const client = source.client;
      const loaded = await options.host.progress(() => options.load(client));
      if (token !== this.#token) return false; // a newer refresh (or a reset) superseded this one
      options.apply(loaded);
      this.#status = { state: 'ready' };
      changed();
      return true;
    } catch (error) {
      if (token !== this.#token) return false;
      log.error(`${options.name} on ${environment.label}: ${describeForLog(error)}`);
      options.clear();
      this.#status = { state: 'failed', environment, error };
      changed();
      return false;
    }
  }

  /** Drops whatever is in flight (the environment or key changed); the status stays until the next refresh. */
  invalidate(): void {
    this.#token++;
  }
}
