/**
 * Random order sequences for the engine's conservation property. Every sequence opens with a
 * scenario that, by construction, trades, triggers a stop order and ends an OCO by expiring one of
 * its legs; random operations follow. So the scenarios the property counts are in every sequence,
 * never left to luck.
 */
import fc from 'fast-check';
import { DEFAULT_SYMBOLS } from '../../src/sandbox/config';
import { Dec, dec } from '../../src/sandbox/decimal';
import { Account, Engine, EngineOrderType, OcoInput, Side } from '../../src/sandbox/engine';
import { ApiError } from '../../src/sandbox/errors';

export const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'ETHBTC'] as const;
type SymbolName = (typeof SYMBOLS)[number];

/** Around each symbol's start price; every price × every quantity passes the symbol's filters. */
const PRICES: Record<SymbolName, string[]> = {
  BTCUSDT: ['59900', '59950.5', '60000', '60000.01', '60050', '60100'],
  ETHUSDT: ['2990', '2995.55', '3000', '3005', '3010'],
  ETHBTC: ['0.04990', '0.04995', '0.05', '0.05003', '0.05010'],
};
const QTYS: Record<SymbolName, string[]> = {
  BTCUSDT: ['0.0001', '0.00123', '0.01', '0.05', '0.2'],
  ETHUSDT: ['0.002', '0.0133', '0.1', '0.5'],
  ETHBTC: ['0.0021', '0.01', '0.1', '0.3333'],
};

/** Accounts per sequence, each funded with BALANCES (enough for any scenario plus random orders). */
export const ACCOUNTS = 3;
export const BALANCES = { BTC: '2', ETH: '20', USDT: '50000' };

const pick = <T>(list: readonly T[], index: number): T => list[index % list.length];
const startPrice = (symbol: SymbolName): Dec => dec(DEFAULT_SYMBOLS.find((s) => s.symbol === symbol)!.price);

// ---- the opening scenario ---------------------------------------------------------------------

export interface Scenario {
  symbol: SymbolName;
  /** The sweep buys up to the symbol's highest price (true) or sells down to its lowest. */
  up: boolean;
  /** Account indexes: the maker and the OCO's owner differ from the taker (no self-trade). */
  taker: number;
  makerOffset: number;
  ocoOffset: number;
  stopOwner: number;
  stopSide: Side;
  stopLimit: boolean;
  ocoSide: Side;
  /** Free choices: types, levels, limit prices and quantities (taken modulo their lists). */
  n: {
    stopLevel: number;
    stopPrice: number;
    stopQty: number;
    aboveType: number;
    belowType: number;
    aboveLevel: number;
    belowLevel: number;
    aboveLimit: number;
    belowLimit: number;
    ocoQty: number;
    makerQty: number;
  };
}

const side = fc.constantFrom<Side>('BUY', 'SELL');
export const scenario: fc.Arbitrary<Scenario> = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  up: fc.boolean(),
  taker: fc.integer({ min: 0, max: ACCOUNTS - 1 }),
  makerOffset: fc.integer({ min: 1, max: ACCOUNTS - 1 }),
  ocoOffset: fc.integer({ min: 1, max: ACCOUNTS - 1 }),
  stopOwner: fc.integer({ min: 0, max: ACCOUNTS - 1 }),
  stopSide: side,
  stopLimit: fc.boolean(),
  ocoSide: side,
  n: fc.record({
    stopLevel: fc.nat(),
    stopPrice: fc.nat(),
    stopQty: fc.nat(),
    aboveType: fc.nat(),
    belowType: fc.nat(),
    aboveLevel: fc.nat(),
    belowLevel: fc.nat(),
    aboveLimit: fc.nat(),
    belowLimit: fc.nat(),
    ocoQty: fc.nat(),
    makerQty: fc.nat(),
  }),
});

/** OCO leg types by side, as the reference's price rules allow them (§5: SELL: limit above, stop below). */
const OCO_LEGS: Record<Side, { above: EngineOrderType[]; below: EngineOrderType[] }> = {
  SELL: { above: ['LIMIT_MAKER', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'], below: ['STOP_LOSS', 'STOP_LOSS_LIMIT'] },
  BUY: { above: ['STOP_LOSS', 'STOP_LOSS_LIMIT'], below: ['LIMIT_MAKER', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'] },
};

function ocoLeg(type: EngineOrderType, level: Dec, limitPrice: Dec): OcoInput['above'] {
  if (type === 'LIMIT_MAKER') return { type, price: level };
  return type.endsWith('_LIMIT')
    ? { type, stopPrice: level, price: limitPrice, timeInForce: 'GTC' }
    : { type, stopPrice: level };
}

/**
 * On a fresh book at the start price: a stop order waiting in the sweep's direction, an OCO, a
 * resting order at the far end of the sweep, then a taker sweeping to it. The sweep trades (taker
 * and maker differ), reaches the stop price (it lies between the start and the far end), and either
 * fills the OCO's leg in its direction (a LIMIT_MAKER on the side the taker takes) or triggers it
 * (a stop on that side triggers in the sweep's direction), which expires the other leg. Any
 * rejection here is a broken guarantee, so it is not caught. Returns the sweep's fills.
 */
export function runScenario(engine: Engine, accounts: Account[], s: Scenario): number {
  const prices = PRICES[s.symbol].map(dec);
  const start = startPrice(s.symbol);
  const above = prices.filter((p) => p > start);
  const below = prices.filter((p) => p < start);
  const farEnd = s.up ? above.reduce((a, b) => (a > b ? a : b)) : below.reduce((a, b) => (a < b ? a : b));
  const qty = (n: number): Dec => dec(pick(QTYS[s.symbol], n));
  const taker = accounts[s.taker];
  const maker = accounts[(s.taker + s.makerOffset) % accounts.length];
  const ocoOwner = accounts[(s.taker + s.ocoOffset) % accounts.length];

  // STOP_LOSS BUY and TAKE_PROFIT SELL trigger on a rise; the other two on a fall.
  const stopKind = s.up === (s.stopSide === 'BUY') ? 'STOP_LOSS' : 'TAKE_PROFIT';
  engine.placeOrder(accounts[s.stopOwner].id, {
    symbol: s.symbol,
    side: s.stopSide,
    type: s.stopLimit ? `${stopKind}_LIMIT` : stopKind,
    quantity: qty(s.n.stopQty),
    stopPrice: pick(s.up ? above : below, s.n.stopLevel),
    ...(s.stopLimit ? { price: pick(prices, s.n.stopPrice), timeInForce: 'GTC' as const } : {}),
  });

  const legs = OCO_LEGS[s.ocoSide];
  const ocoQty = qty(s.n.ocoQty);
  engine.placeOco(ocoOwner.id, {
    symbol: s.symbol,
    side: s.ocoSide,
    quantity: ocoQty,
    above: ocoLeg(pick(legs.above, s.n.aboveType), pick(above, s.n.aboveLevel), pick(prices, s.n.aboveLimit)),
    below: ocoLeg(pick(legs.below, s.n.belowType), pick(below, s.n.belowLevel), pick(prices, s.n.belowLimit)),
  });

  const makerQty = qty(s.n.makerQty);
  const sweepSide: Side = s.up ? 'BUY' : 'SELL';
  engine.placeOrder(maker.id, {
    symbol: s.symbol,
    side: s.up ? 'SELL' : 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    price: farEnd,
    quantity: makerQty,
  });
  // Enough to take an OCO limit leg in the way as well as the maker's order.
  return engine.placeOrder(taker.id, {
    symbol: s.symbol,
    side: sweepSide,
    type: 'LIMIT',
    timeInForce: 'IOC',
    price: farEnd,
    quantity: makerQty + ocoQty,
  }).fills.length;
}

// ---- random operations ------------------------------------------------------------------------

export interface RandomOp {
  account: number;
  symbol: SymbolName;
  side: Side;
  kind: 'GTC' | 'IOC' | 'FOK' | 'MAKER' | 'MARKET' | 'MARKET_QUOTE' | 'CANCEL' | 'CANCEL_ALL' | 'STOP' | 'OCO';
  p: number;
  q: number;
}

export const randomOp: fc.Arbitrary<RandomOp> = fc.record({
  account: fc.integer({ min: 0, max: ACCOUNTS - 1 }),
  symbol: fc.constantFrom(...SYMBOLS),
  side,
  kind: fc.constantFrom(
    'GTC',
    'IOC',
    'FOK',
    'MAKER',
    'MARKET',
    'MARKET_QUOTE',
    'CANCEL',
    'CANCEL_ALL',
    'STOP',
    'STOP',
    'OCO',
    'OCO',
  ),
  p: fc.nat(),
  q: fc.nat(),
});

export interface OrderSequence {
  scenario: Scenario;
  ops: RandomOp[];
}

export const orderSequence: fc.Arbitrary<OrderSequence> = fc.record({
  scenario,
  ops: fc.array(randomOp, { minLength: 20, maxLength: 80 }),
});

/**
 * Runs one random operation; the engine may reject it (ApiError, ignored: rejections are part of
 * the sequence), anything else is a bug and is thrown. Returns the fills of the taker orders.
 */
export function runOp(engine: Engine, accounts: Account[], o: RandomOp): number {
  const account = accounts[o.account];
  const price = dec(pick(PRICES[o.symbol], o.p));
  const quantity = dec(pick(QTYS[o.symbol], o.q));
  try {
    switch (o.kind) {
      case 'GTC':
      case 'IOC':
      case 'FOK':
        return engine.placeOrder(account.id, {
          symbol: o.symbol,
          side: o.side,
          type: 'LIMIT',
          timeInForce: o.kind,
          price,
          quantity,
        }).fills.length;
      case 'MAKER':
        engine.placeOrder(account.id, { symbol: o.symbol, side: o.side, type: 'LIMIT_MAKER', price, quantity });
        return 0;
      case 'MARKET':
        return engine.placeOrder(account.id, { symbol: o.symbol, side: o.side, type: 'MARKET', quantity }).fills.length;
      case 'MARKET_QUOTE':
        engine.placeOrder(account.id, {
          symbol: o.symbol,
          side: o.side,
          type: 'MARKET',
          quoteOrderQty: o.symbol === 'ETHBTC' ? dec('0.01') : dec('150'),
        });
        return 0;
      case 'CANCEL': {
        const open = engine.openOrders(account.id, o.symbol);
        if (open.length > 0) engine.cancelOrder(account.id, o.symbol, { orderId: open[o.p % open.length].orderId });
        return 0;
      }
      case 'CANCEL_ALL':
        engine.cancelAll(account.id, o.symbol);
        return 0;
      case 'STOP': {
        // Stop orders lock on placement and trade when later trades trigger them.
        const types = ['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'] as const;
        const type = types[(o.p >> 3) % 4];
        const stopPrice = dec(pick(PRICES[o.symbol], o.q >> 3));
        const limit = type.endsWith('_LIMIT');
        engine.placeOrder(account.id, {
          symbol: o.symbol,
          side: o.side,
          type,
          quantity,
          stopPrice,
          ...(limit ? { price, timeInForce: 'GTC' as const } : {}),
        });
        return 0;
      }
      case 'OCO': {
        // Two legs around the last price sharing one lock; a fill or trigger ends the other.
        const at = (i: number): Dec => dec(pick(PRICES[o.symbol], i));
        const types = ['LIMIT_MAKER', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'] as const;
        const leg = (kind: number, level: Dec, limitPrice: Dec): OcoInput['above'] =>
          ocoLeg(pick(types, kind), level, limitPrice);
        const above = leg(o.p >> 2, at((o.q >> 2) + 3), at(o.q >> 5));
        const below = leg(o.p >> 5, at(o.q >> 8), at(o.q >> 11));
        engine.placeOco(account.id, { symbol: o.symbol, side: o.side, quantity, above, below });
        return 0;
      }
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return 0;
  }
}
