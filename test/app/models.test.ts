import assert from 'node:assert/strict';
import type { Order } from '../../src/core/api';
import { localSandbox, SPOT_TESTNET } from '../../src/core/environments';
import { nonZeroBalances, valueBalances } from '../../src/app/account/balanceModel';
import { botEnvLines } from '../../src/app/botEnv';
import { filledPercent, groupBySymbol, orderContextValue, orderLabel } from '../../src/app/account/orderModel';
import { looksLikeTestnetReset } from '../../src/app/account/resetDetection';
import { backoffDelayMs } from '../../src/core/backoff';
import { orderFromReport } from '../../src/core/userDataEvents';

function order(partial: Partial<Order>): Order {
  return {
    symbol: 'BTCUSDT',
    orderId: 1,
    orderListId: -1,
    clientOrderId: 'td-1',
    price: '60000.00',
    origQty: '0.010',
    executedQty: '0',
    cummulativeQuoteQty: '0',
    status: 'NEW',
    timeInForce: 'GTC',
    type: 'LIMIT',
    side: 'BUY',
    time: 1000,
    updateTime: 1000,
    isWorking: true,
    origQuoteOrderQty: '0',
    ...partial,
  };
}

describe('balance model', () => {
  it('keeps non-zero balances (free or locked) sorted by asset', () => {
    const rows = nonZeroBalances([
      { asset: 'USDT', free: '10.0', locked: '0' },
      { asset: 'BNB', free: '0.000', locked: '0.00' },
      { asset: 'BTC', free: '0', locked: '0.5' },
    ]);
    assert.deepEqual(
      rows.map((r) => [r.asset, r.total]),
      [
        ['BTC', '0.5'],
        ['USDT', '10'],
      ],
    );
  });

  it('values balances through direct and inverse pairs and leaves the rest unvalued', () => {
    const rows = nonZeroBalances([
      { asset: 'BTC', free: '0.1', locked: '0' },
      { asset: 'USDT', free: '5', locked: '0' },
      { asset: 'EUR', free: '2', locked: '0' },
      { asset: 'XYZ', free: '1', locked: '0' },
    ]);
    const valued = valueBalances(
      rows,
      [
        { symbol: 'BTCUSDT', price: '60000.10' },
        { symbol: 'USDTEUR', price: '0.5' },
      ],
      'USDT',
    );
    const byAsset = Object.fromEntries(valued.rows.map((r) => [r.asset, r.value]));
    assert.equal(byAsset.BTC, '6000.01');
    assert.equal(byAsset.USDT, '5');
    assert.equal(byAsset.EUR, '4');
    assert.equal(byAsset.XYZ, undefined);
    assert.deepEqual(valued.unvalued, ['XYZ']);
    assert.equal(valued.totalValue, '6009.01');
  });
});

describe('order model', () => {
  it('groups open orders by symbol, newest first, and keeps watched symbols', () => {
    const groups = groupBySymbol(
      [order({ orderId: 1, time: 1 }), order({ orderId: 2, time: 5 }), order({ symbol: 'ETHUSDT', orderId: 3 })],
      ['BNBUSDT'],
    );
    assert.deepEqual(
      groups.map((g) => [g.symbol, g.orders.map((o) => o.orderId)]),
      [
        ['BNBUSDT', []],
        ['BTCUSDT', [2, 1]],
        ['ETHUSDT', [3]],
      ],
    );
  });

  it('computes filled percent from base or quote quantity', () => {
    assert.equal(filledPercent(order({ executedQty: '0.0025' })), '25');
    assert.equal(filledPercent(order({ origQty: '0', origQuoteOrderQty: '100', cummulativeQuoteQty: '50' })), '50');
  });

  it('labels orders and builds compositional context values', () => {
    assert.equal(orderLabel(order({})), 'BUY LIMIT 0.01 @ 60,000');
    assert.equal(orderLabel(order({ type: 'MARKET', price: '0' })), 'BUY MARKET 0.01');
    assert.equal(orderContextValue(order({ status: 'PARTIALLY_FILLED' })), 'order:open:cancellable');
    assert.equal(orderContextValue(order({ status: 'FILLED' })), 'order:closed:filled');
  });
});

describe('bot settings', () => {
  it('writes the environment lines and adds the secret only when given', () => {
    const without = botEnvLines({ environment: SPOT_TESTNET, keyType: 'hmac', apiKey: 'KEY123' });
    assert.match(without, /^BINANCE_ENV=testnet$/m);
    assert.match(without, /^BINANCE_REST_BASE_URL=https:\/\/testnet\.binance\.vision$/m);
    assert.match(without, /^BINANCE_WS_API_URL=wss:\/\/ws-api\.testnet\.binance\.vision\/ws-api\/v3$/m);
    assert.match(without, /^BINANCE_API_KEY=KEY123$/m);
    assert.ok(!without.includes('SECRET'));
    const pem = botEnvLines({
      environment: localSandbox('http://127.0.0.1:4001'),
      keyType: 'ed25519',
      apiKey: 'K',
      privateKeyPem: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n',
    });
    assert.match(pem, /^BINANCE_ENV=local$/m);
    assert.match(pem, /^BINANCE_PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----"$/m);
  });

  it('includes the stream URL for market data', () => {
    assert.match(
      botEnvLines({ environment: SPOT_TESTNET }),
      /^BINANCE_STREAM_URL=wss:\/\/stream\.testnet\.binance\.vision\/ws$/m,
    );
    assert.match(
      botEnvLines({ environment: localSandbox('http://127.0.0.1:27182') }),
      /^BINANCE_STREAM_URL=ws:\/\/127\.0\.0\.1:27182\/ws$/m,
    );
  });

  it("names the hosts of the environment the id says, never a forged object's hosts", () => {
    const lines = botEnvLines({
      environment: { ...SPOT_TESTNET, restBaseUrl: 'http://127.0.0.1:9', wsApiUrl: 'ws://127.0.0.1:9/ws-api/v3' },
      apiKey: 'KEY123',
    });
    assert.match(lines, /^BINANCE_REST_BASE_URL=https:\/\/testnet\.binance\.vision$/m);
    assert.match(lines, /^BINANCE_WS_API_URL=wss:\/\/ws-api\.testnet\.binance\.vision\/ws-api\/v3$/m);
    assert.ok(!lines.includes('127.0.0.1'), lines);
  });
});

describe('testnet reset detection', () => {
  const snap = (totals: Record<string, string>, openOrderCount?: number, locked: Record<string, string> = {}) => ({
    totals,
    locked: Object.fromEntries(Object.keys(totals).map((a) => [a, locked[a] ?? '0'])),
    openOrderCount,
    takenAt: 0,
  });
  it('flags most assets changing at once with nothing locked', () => {
    assert.equal(
      looksLikeTestnetReset(
        snap({ BTC: '0.5', ETH: '3', USDT: '12', BNB: '1', LTC: '0' }),
        snap({ BTC: '1', ETH: '1', USDT: '10000', BNB: '2', LTC: '5' }),
      ),
      true,
    );
  });
  it('flags open orders vanishing together with a balance change', () => {
    assert.equal(
      looksLikeTestnetReset(snap({ BTC: '0.5', USDT: '10' }, 2), snap({ BTC: '1', USDT: '10000' }, 0)),
      true,
    );
  });
  it('does not flag ordinary trading', () => {
    assert.equal(
      looksLikeTestnetReset(
        snap({ BTC: '0.5', ETH: '3', USDT: '12', BNB: '1' }),
        snap({ BTC: '0.6', ETH: '3', USDT: '6', BNB: '1' }),
      ),
      false,
    );
    assert.equal(looksLikeTestnetReset(undefined, snap({ BTC: '1' })), false);
    assert.equal(
      looksLikeTestnetReset(
        snap({ BTC: '1', ETH: '1', USDT: '1' }),
        snap({ BTC: '2', ETH: '2', USDT: '2' }, undefined, { BTC: '1' }),
      ),
      false,
    );
  });
});

describe('user data stream events', () => {
  it('maps an executionReport to an order, using C for a cancel', () => {
    const o = orderFromReport({
      e: 'executionReport',
      E: 5,
      s: 'BTCUSDT',
      c: 'cancel-id',
      C: 'td-orig',
      S: 'SELL',
      o: 'LIMIT',
      f: 'GTC',
      q: '1',
      p: '2',
      x: 'CANCELED',
      X: 'CANCELED',
      i: 9,
      z: '0',
      Z: '0',
      O: 3,
    });
    assert.equal(o.clientOrderId, 'td-orig');
    assert.equal(o.orderId, 9);
    assert.equal(o.status, 'CANCELED');
    assert.equal(o.time, 3);
  });
  it('backs off exponentially with a cap', () => {
    assert.equal(
      backoffDelayMs(0, () => 0.5),
      1000,
    );
    assert.equal(
      backoffDelayMs(3, () => 0.5),
      8000,
    );
    assert.equal(
      backoffDelayMs(20, () => 0.5),
      60000,
    );
  });
});
