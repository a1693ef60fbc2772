import type { ExchangeInfo, SymbolInfo } from '../core/api';
import type { ExchangeClient } from './exchange';

const TTL_MS = 10 * 60_000;

/** exchangeInfo per environment, cached for ten minutes (weight 20 per call). */
export class SymbolCatalog {
  #cache = new Map<string, { at: number; info: ExchangeInfo }>();

  async symbols(client: ExchangeClient): Promise<SymbolInfo[]> {
    return (await this.#info(client)).symbols;
  }

  async symbol(client: ExchangeClient, symbol: string): Promise<SymbolInfo> {
    const found = (await this.symbols(client)).find((s) => s.symbol === symbol);
    if (found) return found;
    // Maybe listed since the cache was filled: ask for this one symbol.
    const fresh = await client.exchangeInfo({ symbol });
    const info = fresh.symbols.find((s) => s.symbol === symbol);
    if (!info) throw new Error(`${symbol} is not listed on ${client.environment.label}.`);
    return info;
  }

  async #info(client: ExchangeClient): Promise<ExchangeInfo> {
    const hit = this.#cache.get(client.environment.id);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.info;
    const info = await client.exchangeInfo();
    this.#cache.set(client.environment.id, { at: Date.now(), info });
    return info;
  }
}
