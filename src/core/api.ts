/**
 * Shapes of the Spot REST API responses the extension uses (decimal fields stay strings), and the
 * contract the Spot client implements. Field names are Binance's own.
 */

export type OrderSide = 'BUY' | 'SELL';
export type OrderType =
  'LIMIT' | 'MARKET' | 'LIMIT_MAKER' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type OrderStatus =
  | 'NEW'
  | 'PENDING_NEW'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'CANCELED'
  | 'PENDING_CANCEL'
  | 'REJECTED'
  | 'EXPIRED'
  | 'EXPIRED_IN_MATCH';
export type OrderResponseType = 'ACK' | 'RESULT' | 'FULL';

export interface Balance {
  asset: string;
  free: string;
  locked: string;
}

export interface AccountInfo {
  makerCommission: number;
  takerCommission: number;
  canTrade: boolean;
  accountType: string;
  updateTime: number;
  balances: Balance[];
  permissions?: string[];
  uid?: number;
}

/** A filter object from exchangeInfo; numeric limits are decimal strings, counts are numbers. */
export interface SymbolFilter {
  filterType: string;
  [field: string]: string | number | boolean;
}

export interface SymbolInfo {
  symbol: string;
  status: string;
  baseAsset: string;
  baseAssetPrecision: number;
  quoteAsset: string;
  quoteAssetPrecision: number;
  orderTypes: OrderType[];
  quoteOrderQtyMarketAllowed?: boolean;
  cancelReplaceAllowed?: boolean;
  isSpotTradingAllowed?: boolean;
  filters: SymbolFilter[];
}

export interface RateLimit {
  rateLimitType: 'REQUEST_WEIGHT' | 'ORDERS' | 'RAW_REQUESTS';
  interval: 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY';
  intervalNum: number;
  limit: number;
}

export interface ExchangeInfo {
  timezone: string;
  serverTime: number;
  rateLimits: RateLimit[];
  exchangeFilters: SymbolFilter[];
  symbols: SymbolInfo[];
}

export interface Order {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: OrderStatus;
  timeInForce: TimeInForce;
  type: OrderType;
  side: OrderSide;
  stopPrice?: string;
  time: number;
  updateTime: number;
  isWorking: boolean;
  workingTime?: number;
  origQuoteOrderQty: string;
  selfTradePreventionMode?: string;
}

export interface Fill {
  price: string;
  qty: string;
  commission: string;
  commissionAsset: string;
  tradeId: number;
}

/** POST /api/v3/order answer; RESULT and FULL add fields to ACK. */
export interface NewOrderResponse {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  transactTime: number;
  price?: string;
  origQty?: string;
  executedQty?: string;
  cummulativeQuoteQty?: string;
  status?: OrderStatus;
  timeInForce?: TimeInForce;
  type?: OrderType;
  side?: OrderSide;
  workingTime?: number;
  fills?: Fill[];
}

export interface Trade {
  symbol: string;
  id: number;
  orderId: number;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
  isBestMatch: boolean;
}

export interface TickerPrice {
  symbol: string;
  price: string;
}

/** GET /api/v3/depth: [price, quantity] levels, best first. */
export interface OrderBookDepth {
  lastUpdateId: number;
  bids: [string, string][];
  asks: [string, string][];
}

export interface CommissionRates {
  standardCommissionForOrder: { maker: string; taker: string };
  taxCommissionForOrder: { maker: string; taker: string };
  discount: { enabledForAccount: boolean; enabledForSymbol: boolean; discountAsset: string; discount: string };
  specialCommissionForOrder?: { maker: string; taker: string };
}

/** What a caller passes to place or test an order. Decimals are strings; newClientOrderId is filled in if absent. */
export interface NewOrderParams {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce?: TimeInForce;
  quantity?: string;
  quoteOrderQty?: string;
  price?: string;
  stopPrice?: string;
  newClientOrderId?: string;
  newOrderRespType?: OrderResponseType;
}

/** Rate-limit usage read from the X-MBX-USED-WEIGHT-* and X-MBX-ORDER-COUNT-* headers of the last response. */
export interface UsageSnapshot {
  usedWeight: Record<string, number>;
  orderCount: Record<string, number>;
}
