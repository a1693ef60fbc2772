/** The engine's data: orders, trades, events, accounts and the inputs of its operations. */
import { randomFillSync } from 'node:crypto';
import { unit, ZERO } from '../decimal';
import type { Dec } from '../decimal';
import type { CandleTrade } from '../klines';

export type Side = 'BUY' | 'SELL';
export type StopOrderType = 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
export type EngineOrderType = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER' | StopOrderType;

export function isStopType(type: EngineOrderType): type is StopOrderType {
  return type === 'STOP_LOSS' || type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT' || type === 'TAKE_PROFIT_LIMIT';
}

/** Types that execute as a MARKET order (once triggered, for the stop types). */
export function isMarketLike(type: EngineOrderType): boolean {
  return type === 'MARKET' || type === 'STOP_LOSS' || type === 'TAKE_PROFIT';
}

export type Tif = 'GTC' | 'IOC' | 'FOK';
export type EngineStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';
export type ExecType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED';

export interface EngineOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  accountId: number;
  side: Side;
  type: EngineOrderType;
  timeInForce: Tif;
  /** 0 for MARKET, STOP_LOSS and TAKE_PROFIT. */
  price: Dec;
  /** 0 for the non-stop types. */
  stopPrice: Dec;
  /** False for a stop order that has not triggered yet (`isWorking`; its workingTime is -1). */
  working: boolean;
  /** -1, or the order list (OCO) this order is a leg of. */
  orderListId: number;
  origQty: Dec;
  origQuoteOrderQty: Dec;
  executedQty: Dec;
  cumQuote: Dec;
  status: EngineStatus;
  time: number;
  updateTime: number;
  workingTime: number;
  /** Amount of the lock asset (quote for BUY, base for SELL) still locked for this order. */
  locked: Dec;
  /** Global arrival sequence, for time priority. */
  seq: number;
  onBook: boolean;
}

export interface EngineFill {
  price: Dec;
  qty: Dec;
  quoteQty: Dec;
  commission: Dec;
  commissionAsset: string;
  tradeId: number;
}

export interface EngineTrade {
  symbol: string;
  id: number;
  orderId: number;
  accountId: number;
  price: Dec;
  qty: Dec;
  quoteQty: Dec;
  commission: Dec;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export type EngineEvent =
  | {
      kind: 'execution';
      accountId: number;
      order: EngineOrder;
      execType: ExecType;
      lastQty: Dec;
      lastPrice: Dec;
      lastQuoteQty: Dec;
      commission: Dec;
      commissionAsset: string | null;
      tradeId: number;
      isMaker: boolean;
      time: number;
      origClientOrderId?: string;
    }
  | { kind: 'balances'; accountId: number; assets: string[]; time: number }
  | { kind: 'listStatus'; accountId: number; list: OrderList; time: number }
  | { kind: 'balanceUpdate'; accountId: number; asset: string; delta: Dec; time: number };

export interface BalanceEntry {
  free: Dec;
  locked: Dec;
}

export interface Account {
  readonly id: number;
  readonly name: string;
  readonly balances: Map<string, BalanceEntry>;
  maker: Dec;
  taker: Dec;
  updateTime: number;
}

export interface NewOrderInput {
  symbol: string;
  side: Side;
  type: EngineOrderType;
  timeInForce?: Tif;
  quantity?: Dec;
  quoteOrderQty?: Dec;
  price?: Dec;
  stopPrice?: Dec;
  newClientOrderId?: string;
}

/** An OCO order list (the only contingency type served). */
export interface OrderList {
  orderListId: number;
  listClientOrderId: string;
  symbol: string;
  accountId: number;
  contingencyType: 'OCO';
  listStatusType: 'EXEC_STARTED' | 'ALL_DONE';
  listOrderStatus: 'EXECUTING' | 'ALL_DONE';
  transactionTime: number;
  /** The two legs: [below, above] in order of their order ids. */
  orders: EngineOrder[];
}

export interface OcoInput {
  symbol: string;
  side: Side;
  quantity: Dec;
  listClientOrderId?: string;
  above: Omit<NewOrderInput, 'symbol' | 'side' | 'quantity'>;
  below: Omit<NewOrderInput, 'symbol' | 'side' | 'quantity'>;
}

export interface PlaceResult {
  order: EngineOrder;
  fills: EngineFill[];
}

export interface OrderRef {
  orderId?: number;
  origClientOrderId?: string;
}

export interface OrderListRef {
  orderListId?: number;
  listClientOrderId?: string;
}

/** Public market changes, for the market streams: a trade, or a change of a symbol's book. */
export type MarketEvent = { kind: 'trade'; symbol: string; trade: PublicTrade } | { kind: 'book'; symbol: string };

/** A trade as the public sees it: what candles are built from, plus its aggregate id. */
export interface PublicTrade extends CandleTrade {
  /** Aggregate trade id: consecutive fills of one taker order at one price share it. */
  aggId: number;
}

/** Balances and amounts are kept to 8 decimals, like the real exchange's. */
export const AMOUNT_UNIT = unit(8);

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const ID_LENGTH = 22;
/** Random bytes for ids, refilled in bulk: one small allocation per id fragments memory over millions of orders. */
const idBytes = Buffer.alloc(ID_LENGTH * 512);
let idOffset = idBytes.length;

/** 22 characters like the ids Binance generates. */
export function generateClientOrderId(): string {
  if (idOffset + ID_LENGTH > idBytes.length) {
    randomFillSync(idBytes);
    idOffset = 0;
  }
  let id = '';
  for (let i = idOffset; i < idOffset + ID_LENGTH; i++) id += ID_ALPHABET[idBytes[i] % ID_ALPHABET.length];
  idOffset += ID_LENGTH;
  return id;
}

/** A new order from its input, not yet accepted (no id, no lock). */
export function newOrder(accountId: number, input: NewOrderInput, time: number): EngineOrder {
  return {
    symbol: input.symbol,
    orderId: 0,
    clientOrderId: input.newClientOrderId ?? generateClientOrderId(),
    accountId,
    side: input.side,
    type: input.type,
    timeInForce: input.type === 'MARKET' ? 'GTC' : input.type === 'LIMIT_MAKER' ? 'GTC' : (input.timeInForce ?? 'GTC'),
    price: isMarketLike(input.type) ? ZERO : (input.price ?? ZERO),
    stopPrice: isStopType(input.type) ? (input.stopPrice ?? ZERO) : ZERO,
    working: !isStopType(input.type),
    orderListId: -1,
    origQty: input.quantity ?? ZERO,
    origQuoteOrderQty: input.quoteOrderQty ?? ZERO,
    executedQty: ZERO,
    cumQuote: ZERO,
    status: 'NEW',
    time,
    updateTime: time,
    workingTime: time,
    locked: ZERO,
    seq: 0,
    onBook: false,
  };
}
