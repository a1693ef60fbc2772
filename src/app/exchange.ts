/**
 * The part of the Spot client the VS Code layer uses. Views and commands depend on this narrow
 * interface (the real SpotClient satisfies it structurally), so a test can hand them a fake.
 */
import type { AccountInfo, ExchangeInfo, NewOrderParams, Order, TickerPrice, Trade } from '../core/api';
import type { OrderRef, PlaceOrderResult } from '../core/client';
import type { Credential } from '../core/credentials';
import type { Environment } from '../core/environments';

export type { OrderRef, PlaceOrderResult };

export interface ExchangeClient {
  readonly environment: Environment;
  /** Server time minus local time (ms) from the last clock sync; 0 before the first. */
  readonly clockOffsetMs: number;
  account(options?: { omitZeroBalances?: boolean }): Promise<AccountInfo>;
  exchangeInfo(options?: { symbol?: string; symbols?: string[] }): Promise<ExchangeInfo>;
  tickerPrices(symbols?: string[]): Promise<TickerPrice[]>;
  openOrders(symbol?: string): Promise<Order[]>;
  /** With `orderId`: the orders with orderId >= it, oldest first; without: the most recent `limit`. */
  allOrders(symbol: string, options?: { limit?: number; orderId?: number }): Promise<Order[]>;
  /** With `fromId`: the trades with id >= it, oldest first; without: the most recent `limit`. */
  myTrades(symbol: string, options?: { limit?: number; fromId?: number }): Promise<Trade[]>;
  placeOrder(params: NewOrderParams): Promise<PlaceOrderResult>;
  testOrder(params: NewOrderParams, options?: { computeCommissionRates?: boolean }): Promise<unknown>;
  cancelOrder(symbol: string, ref: OrderRef): Promise<Order>;
  cancelAllOpenOrders(symbol: string): Promise<Order[]>;
  ping(): Promise<void>;
}

/** Builds a client for one environment; `credential` is read on every signed call. */
export type ClientFactory = (environment: Environment, credential: () => Credential | undefined) => ExchangeClient;
