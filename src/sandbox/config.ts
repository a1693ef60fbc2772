/**
 * Symbols, filters and starting balances of the sandbox exchange, and the `--seed` file format.
 *
 * Seed file (JSON), every key optional; see README-seed.md:
 * {
 *   "symbols": [ { "symbol": "BTCUSDT", "baseAsset": "BTC", "quoteAsset": "USDT", "price": "60000",
 *                  "tickSize": "0.01", "stepSize": "0.00001", "minQty": "0.00001", "maxQty": "9000",
 *                  "minNotional": "5", "maxNumOrders": 200 } ],        // replaces the default symbols
 *   "defaultBalances": { "BTC": "1", "USDT": "10000" },             // balances of the default account
 *   "accounts": [ { "apiKey": "...", "secret": "...", "balances": { "USDT": "100" } } ],  // extra HMAC accounts
 *   "commission": { "maker": "0.001", "taker": "0.001" },
 *   "retention": { "closedOrders": 100000, "trades": 100000, "candles": 1000 }  // what closed history stays in memory
 * }
 */

export interface SymbolSeed {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  /** Starting reference / last price. */
  price: string;
  tickSize?: string;
  minPrice?: string;
  maxPrice?: string;
  stepSize?: string;
  minQty?: string;
  maxQty?: string;
  marketMaxQty?: string;
  minNotional?: string;
  maxNotional?: string;
  maxNumOrders?: number;
  /** MAX_NUM_ALGO_ORDERS (open stop orders per symbol and account); 5 as on the testnet (reference §5). */
  maxNumAlgoOrders?: number;
  status?: string;
}

export interface AccountSeed {
  apiKey?: string;
  secret?: string;
  balances?: Record<string, string>;
}

export interface SandboxSeed {
  symbols?: SymbolSeed[];
  defaultBalances?: Record<string, string>;
  accounts?: AccountSeed[];
  commission?: { maker?: string; taker?: string };
  /** How much closed history stays in memory (defaults: engine/retention.ts). */
  retention?: { closedOrders?: number; trades?: number; candles?: number };
}

/** Fully resolved symbol configuration (decimal strings as they appear in exchangeInfo). */
export interface SymbolConfig {
  symbol: string;
  status: string;
  baseAsset: string;
  quoteAsset: string;
  baseAssetPrecision: number;
  quoteAssetPrecision: number;
  price: string;
  tickSize: string;
  minPrice: string;
  maxPrice: string;
  stepSize: string;
  minQty: string;
  maxQty: string;
  marketMaxQty: string;
  minNotional: string;
  maxNotional: string;
  maxNumOrders: number;
  maxNumAlgoOrders: number;
  bidMultiplierUp: string;
  bidMultiplierDown: string;
  askMultiplierUp: string;
  askMultiplierDown: string;
}

export const DEFAULT_SYMBOLS: SymbolSeed[] = [
  {
    symbol: 'BTCUSDT',
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    price: '60000',
    tickSize: '0.01',
    stepSize: '0.00001',
    minQty: '0.00001',
    maxQty: '9000',
    marketMaxQty: '100',
    minNotional: '5',
  },
  {
    symbol: 'ETHUSDT',
    baseAsset: 'ETH',
    quoteAsset: 'USDT',
    price: '3000',
    tickSize: '0.01',
    stepSize: '0.0001',
    minQty: '0.0001',
    maxQty: '9000',
    marketMaxQty: '1000',
    minNotional: '5',
  },
  {
    symbol: 'BNBUSDT',
    baseAsset: 'BNB',
    quoteAsset: 'USDT',
    price: '600',
    tickSize: '0.01',
    stepSize: '0.001',
    minQty: '0.001',
    maxQty: '9000',
    marketMaxQty: '5000',
    minNotional: '5',
  },
  {
    symbol: 'ETHBTC',
    baseAsset: 'ETH',
    quoteAsset: 'BTC',
    price: '0.05',
    tickSize: '0.00001',
    stepSize: '0.0001',
    minQty: '0.0001',
    maxQty: '100000',
    marketMaxQty: '1000',
    minNotional: '0.0001',
  },
];

/** Like a fresh testnet account. */
export const DEFAULT_BALANCES: Record<string, string> = {
  BTC: '1',
  ETH: '1',
  BNB: '1',
  USDT: '10000',
  LTC: '5',
  XRP: '1000',
  TRX: '1000',
};

export const DEFAULT_COMMISSION = { maker: '0.001', taker: '0.001' };

export function resolveSymbol(seed: SymbolSeed): SymbolConfig {
  if (!seed.symbol) throw new Error('seed symbol needs a name');
  const tickSize = seed.tickSize ?? '0.01';
  return {
    symbol: seed.symbol,
    status: seed.status ?? 'TRADING',
    baseAsset: seed.baseAsset,
    quoteAsset: seed.quoteAsset,
    baseAssetPrecision: 8,
    quoteAssetPrecision: 8,
    price: seed.price,
    tickSize,
    minPrice: seed.minPrice ?? tickSize,
    maxPrice: seed.maxPrice ?? '1000000',
    stepSize: seed.stepSize ?? '0.00001',
    minQty: seed.minQty ?? seed.stepSize ?? '0.00001',
    maxQty: seed.maxQty ?? '9000',
    marketMaxQty: seed.marketMaxQty ?? seed.maxQty ?? '100',
    minNotional: seed.minNotional ?? '5',
    maxNotional: seed.maxNotional ?? '9000000',
    maxNumOrders: seed.maxNumOrders ?? 200,
    maxNumAlgoOrders: seed.maxNumAlgoOrders ?? 5,
    bidMultiplierUp: '5',
    bidMultiplierDown: '0.2',
    askMultiplierUp: '5',
    askMultiplierDown: '0.2',
  };
}

/** Throws a readable error for a seed that does not have the documented shape. */
export function validateSeed(seed: unknown): SandboxSeed {
  if (seed === null || typeof seed !== 'object' || Array.isArray(seed)) throw new Error('seed must be a JSON object');
  const s = seed as SandboxSeed;
  if (s.symbols !== undefined) {
    if (!Array.isArray(s.symbols) || s.symbols.length === 0) throw new Error('seed.symbols must be a non-empty array');
    for (const sym of s.symbols) {
      if (
        !sym ||
        typeof sym.symbol !== 'string' ||
        typeof sym.baseAsset !== 'string' ||
        typeof sym.quoteAsset !== 'string' ||
        typeof sym.price !== 'string'
      ) {
        throw new Error('each seed symbol needs string symbol, baseAsset, quoteAsset and price');
      }
    }
  }
  const checkBalances = (b: unknown, where: string): void => {
    if (b === undefined) return;
    if (b === null || typeof b !== 'object') throw new Error(`${where} must be an object of asset -> decimal string`);
    for (const [asset, amount] of Object.entries(b as Record<string, unknown>)) {
      if (typeof amount !== 'string' || !/^[0-9]+(\.[0-9]+)?$/.test(amount))
        throw new Error(`${where}.${asset} must be a decimal string`);
    }
  };
  checkBalances(s.defaultBalances, 'seed.defaultBalances');
  if (s.accounts !== undefined) {
    if (!Array.isArray(s.accounts)) throw new Error('seed.accounts must be an array');
    s.accounts.forEach((a, i) => checkBalances(a?.balances, `seed.accounts[${i}].balances`));
  }
  if (s.retention !== undefined) {
    if (s.retention === null || typeof s.retention !== 'object' || Array.isArray(s.retention))
      throw new Error(
        'seed.retention must be an object like {"closedOrders": 100000, "trades": 100000, "candles": 1000}',
      );
    for (const [name, value] of Object.entries(s.retention)) {
      if (!['closedOrders', 'trades', 'candles'].includes(name))
        throw new Error(`seed.retention.${name} is not a retention setting (closedOrders, trades, candles)`);
      if (!Number.isSafeInteger(value) || (value as number) < 1)
        throw new Error(`seed.retention.${name} must be a whole number of at least 1`);
    }
  }
  return s;
}
