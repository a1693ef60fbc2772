/**
 * The balances of the active key: what the last refresh or stream update said, valued (exact
 * decimals) with the newest ticker prices of the same environment. No `vscode`: the Balances view
 * only renders this.
 */
import type { Balance, TickerPrice } from '../../core/api';
import type { ExchangeClient } from '../exchange';
import { BalanceRow, nonZeroBalances, valueBalances } from './balanceModel';
import { RefreshSection, SectionHost, SectionStatus } from './refreshSection';

export type BalancesClient = Pick<ExchangeClient, 'account' | 'tickerPrices'>;

export interface AccountBalancesOptions extends SectionHost<BalancesClient> {
  /** The quote asset to value balances in ("" for none), read at each refresh. */
  valuationAsset: () => string;
}

interface Loaded {
  balances: Balance[];
  prices: readonly TickerPrice[];
  valuationAsset: string;
}

export class AccountBalances {
  readonly #options: AccountBalancesOptions;
  readonly #section: RefreshSection<BalancesClient, Loaded>;
  #balances: Balance[] = [];
  #rows: BalanceRow[] = [];
  #totalValue: string | undefined;
  /** Assets held but not valued (no price path): the total leaves them out and says so. */
  #unvalued: string[] = [];
  #valuationAsset = '';
  #updatedAt: number | undefined;
  #notice: string | undefined;
  /** The last ticker prices of this environment (cleared with everything else on a switch). */
  #lastPrices: readonly TickerPrice[] | undefined;
  #pricesAt: number | undefined;

  constructor(options: AccountBalancesOptions) {
    this.#options = options;
    this.#section = new RefreshSection<BalancesClient, Loaded>({
      host: options,
      name: 'Balances',
      load: (client) => this.#load(client),
      apply: (loaded) => {
        this.#balances = loaded.balances;
        this.#valuationAsset = loaded.valuationAsset;
        this.#revalue(loaded.valuationAsset && loaded.prices.length > 0 ? loaded.prices : undefined);
        this.#updatedAt = options.now();
      },
      clear: () => this.#clear(),
      isEmpty: () => this.#rows.length === 0,
    });
  }

  get status(): SectionStatus {
    return this.#section.status;
  }

  /** Raw balances of the last refresh, with stream updates applied (for reset detection). */
  get balances(): readonly Balance[] {
    return this.#balances;
  }

  /** Non-zero balances, sorted by asset, valued where a price path exists. */
  get rows(): readonly BalanceRow[] {
    return this.#rows;
  }

  get totalValue(): string | undefined {
    return this.#totalValue;
  }

  get unvalued(): readonly string[] {
    return this.#unvalued;
  }

  /** The asset the rows are valued in, or undefined for no valuation. */
  get valuationAsset(): string | undefined {
    return this.#valuationAsset || undefined;
  }

  /** When the prices used were fetched (ms), if any. */
  get pricesAt(): number | undefined {
    return this.#pricesAt;
  }

  /** When the balances last changed (ms): a refresh or a stream update. */
  get updatedAt(): number | undefined {
    return this.#updatedAt;
  }

  /** A persistent explanation shown above the balances (e.g. the testnet reset), until cleared. */
  get notice(): string | undefined {
    return this.#notice;
  }

  refresh(): Promise<boolean> {
    return this.#section.refresh();
  }

  /** Applies an outboundAccountPosition event (changed assets only) without a request. */
  applyPositions(positions: readonly Balance[]): void {
    const byAsset = new Map(this.#balances.map((b) => [b.asset, b]));
    for (const p of positions) byAsset.set(p.asset, p);
    this.#balances = [...byAsset.values()];
    this.#revalue(undefined);
    this.#updatedAt = this.#options.now();
    this.#options.changed('stream');
  }

  setNotice(notice: string | undefined): void {
    this.#notice = notice;
    this.#options.changed('notice');
  }

  /** Forgets everything (the environment or key changed). */
  reset(): void {
    this.#section.invalidate();
    this.#clear();
    this.#notice = undefined;
    this.#options.changed('reset');
  }

  async #load(client: BalancesClient): Promise<Loaded> {
    const valuationAsset = this.#options.valuationAsset();
    const [account, prices] = await Promise.all([
      client.account({ omitZeroBalances: true }),
      // Prices of the same environment (testnet prices are independent from live).
      valuationAsset
        ? client.tickerPrices().catch((error: unknown) => {
            this.#options.log.warn(
              `Ticker prices unavailable, balances shown without valuation: ${error instanceof Error ? error.message : String(error)}`,
            );
            return [];
          })
        : Promise.resolve([]),
    ]);
    return { balances: account.balances, prices, valuationAsset };
  }

  /**
   * Rows valued with the newest prices of this environment: `prices` when just fetched, else the
   * last ones (a stream update, or a failed ticker request). Values are always recomputed from the
   * current amounts, never carried over.
   */
  #revalue(prices: readonly TickerPrice[] | undefined): void {
    if (prices) {
      this.#lastPrices = prices;
      this.#pricesAt = this.#options.now();
    }
    let rows = nonZeroBalances(this.#balances);
    this.#totalValue = undefined;
    this.#unvalued = [];
    if (this.#valuationAsset && this.#lastPrices) {
      const valued = valueBalances(rows, this.#lastPrices, this.#valuationAsset);
      rows = valued.rows;
      this.#totalValue = valued.totalValue;
      this.#unvalued = valued.unvalued;
    }
    this.#rows = rows;
  }

  #clear(): void {
    this.#balances = [];
    this.#rows = [];
    this.#totalValue = undefined;
    this.#unvalued = [];
    this.#updatedAt = undefined;
    // Prices belong to one environment: never value another environment's balances with them.
    this.#lastPrices = undefined;
    this.#pricesAt = undefined;
  }
}
