/** Messages and records for the market panel's model tests. */
import type { Order } from '../../src/core/api';
import type { Kline, PublicTrade } from '../../src/core/market/marketEvents';
import type { OwnFill, SnapshotMessage } from '../../src/webview/market/protocol';
import { btcusdt } from './symbols';

const MINUTE = 60_000;
export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

export function kline(i: number, over: Partial<Kline> = {}): Kline {
  return {
    symbol: 'BTCUSDT',
    interval: '1m',
    openTime: T0 + i * MINUTE,
    closeTime: T0 + (i + 1) * MINUTE - 1,
    open: '60000',
    high: '60010',
    low: '59990',
    close: '60005',
    volume: '1.5',
    quoteVolume: '90000',
    trades: 10,
    closed: true,
    ...over,
  };
}

export const trade = (id: number): PublicTrade => ({
  symbol: 'BTCUSDT',
  id,
  price: '60000',
  quantity: '0.001',
  time: T0 + id,
  buyerIsMaker: id % 2 === 0,
});

export function order(orderId: number, over: Partial<Order> = {}): Order {
  return {
    symbol: 'BTCUSDT',
    orderId,
    orderListId: -1,
    clientOrderId: `c${orderId}`,
    price: '59000.00000000',
    origQty: '0.00100000',
    executedQty: '0.00000000',
    cummulativeQuoteQty: '0',
    status: 'NEW',
    timeInForce: 'GTC',
    type: 'LIMIT',
    side: 'BUY',
    time: T0,
    updateTime: T0,
    isWorking: true,
    origQuoteOrderQty: '0',
    ...over,
  };
}

export const fill = (tradeId: number, over: Partial<OwnFill> = {}): OwnFill => ({
  tradeId,
  orderId: 1,
  side: 'BUY',
  price: '60000',
  quantity: '0.001',
  commission: '0.000001',
  commissionAsset: 'BTC',
  time: T0 + 30_000,
  maker: false,
  ...over,
});

export function snapshot(over: Partial<SnapshotMessage> = {}): SnapshotMessage {
  return {
    type: 'snapshot',
    v: 1,
    symbol: btcusdt(),
    environment: { id: 'testnet', label: 'Spot Testnet', kind: 'testnet' },
    readOnly: false,
    interval: '1m',
    klines: [kline(0), kline(1), kline(2, { closed: false })],
    book: {
      state: 'synced',
      content: {
        lastUpdateId: 100,
        bids: [
          ['59999.00', '1'],
          ['59998.00', '2'],
        ],
        asks: [
          ['60001.00', '1.5'],
          ['60002.00', '3'],
        ],
      },
    },
    trades: [trade(1), trade(2), trade(3)],
    ticker: undefined,
    openOrders: [order(1)],
    fills: [],
    balances: [{ asset: 'USDT', free: '1000', locked: '0' }],
    connection: 'open',
    ...over,
  };
}
