/**
 * Maps WebSocket API user data stream events to the REST shapes the views already show. Pure. Field letters are Binance's (user-data-stream.md).
 */
import type { Balance, Order, OrderSide, OrderStatus, OrderType, TimeInForce } from './api';

export interface ExecutionReport {
  e: 'executionReport';
  E: number;
  s: string;
  c: string;
  S: OrderSide;
  o: OrderType;
  f: TimeInForce;
  q: string;
  p: string;
  P?: string;
  g?: number;
  C?: string;
  x: string;
  X: OrderStatus;
  i: number;
  z: string;
  Z: string;
  T?: number;
  O?: number;
  w?: boolean;
  Q?: string;
  /** Last executed quantity and price, commission and its asset, trade id (a TRADE execution). */
  l?: string;
  L?: string;
  n?: string;
  N?: string | null;
  t?: number;
}

/** What one executionReport says happened: NEW, TRADE (a fill), CANCELED, EXPIRED, … */
export interface Execution {
  execType: string;
  /** A fill's quantity, price, commission (TRADE only). */
  fill?: { quantity: string; price: string; commission: string; commissionAsset: string; tradeId: number };
  time: number;
}

export function executionFromReport(r: ExecutionReport): Execution {
  const traded = r.x === 'TRADE' && r.l !== undefined && r.L !== undefined;
  return {
    execType: r.x,
    time: r.T ?? r.E,
    ...(traded
      ? {
          fill: {
            quantity: r.l!,
            price: r.L!,
            commission: r.n ?? '0',
            commissionAsset: r.N ?? '',
            tradeId: r.t ?? -1,
          },
        }
      : {}),
  };
}

export interface AccountPosition {
  e: 'outboundAccountPosition';
  E: number;
  B: { a: string; f: string; l: string }[];
}

export type StreamEvent = ExecutionReport | AccountPosition | { e: string; [field: string]: unknown };

/** The order as it stands after this report. A cancel report carries the canceled order's client id in C. */
export function orderFromReport(r: ExecutionReport): Order {
  const clientOrderId = r.X === 'CANCELED' && r.C ? r.C : r.c;
  return {
    symbol: r.s,
    orderId: r.i,
    orderListId: r.g ?? -1,
    clientOrderId,
    price: r.p,
    origQty: r.q,
    executedQty: r.z,
    cummulativeQuoteQty: r.Z,
    status: r.X,
    timeInForce: r.f,
    type: r.o,
    side: r.S,
    stopPrice: r.P,
    time: r.O ?? r.E,
    updateTime: r.T ?? r.E,
    isWorking: r.w ?? true,
    origQuoteOrderQty: r.Q ?? '0',
  };
}

export function balancesFromPosition(p: AccountPosition): Balance[] {
  return p.B.map((b) => ({ asset: b.a, free: b.f, locked: b.l }));
}
