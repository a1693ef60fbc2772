import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { OrderType } from '../../../src/core/api';
import * as D from '../../../src/core/decimal';
import { evaluateTicket, TicketField, TicketInput, TicketState } from '../../../src/core/market/ticket';
import { btcusdt } from '../../support/symbols';

const ticket = (over: Partial<TicketInput> = {}): TicketInput => ({
  symbol: btcusdt(),
  side: 'BUY',
  type: 'LIMIT',
  price: '60000',
  stopPrice: '',
  amount: '0.001',
  amountIn: 'base',
  timeInForce: 'GTC',
  freeBalances: { BTC: '0.5', USDT: '1000' },
  commission: { maker: '0.001', taker: '0.002' },
  referencePrice: '60000',
  bestBid: '59999',
  bestAsk: '60001',
  openOrderCount: 0,
  ...over,
});
const statuses = (s: TicketState): Record<TicketField, string> =>
  Object.fromEntries(Object.entries(s.fields).map(([k, v]) => [k, v.status])) as Record<TicketField, string>;

describe('order ticket: a valid order', () => {
  it('LIMIT BUY: every field ok, the order to send, and hints for what is typed', () => {
    const s = evaluateTicket(ticket());
    assert.deepEqual(statuses(s), { type: 'ok', price: 'ok', stopPrice: 'unused', amount: 'ok', timeInForce: 'ok' });
    assert.deepEqual(s.order, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '60000',
      quantity: '0.001',
    });
    assert.deepEqual(s.formErrors, []);
    assert.deepEqual(s.hints, {
      tickSize: '0.01',
      stepSize: '0.00001',
      minQty: '0.00001',
      maxQty: '9000',
      minNotional: '5',
      maxNotional: '9000000',
      quoteAsset: 'USDT',
      baseAsset: 'BTC',
      spendAsset: 'USDT',
      freeBalance: '1000',
      estimatedQuantity: '0.001',
      estimatedNotional: '60',
      feeRole: 'maker', // 60000 is below the best ask
      estimatedFee: '0.000001', // 0.001 BTC × 0.1 %, in the asset received
      feeAsset: 'BTC',
      warnings: [],
    });
  });
  it('SELL crossing the best bid pays the taker rate in the quote asset; LIMIT_MAKER has no time in force', () => {
    const sell = evaluateTicket(ticket({ side: 'SELL', price: '59000' }));
    assert.equal(sell.hints.spendAsset, 'BTC');
    assert.equal(sell.hints.feeRole, 'taker');
    assert.equal(sell.hints.estimatedFee, '0.118'); // 59 USDT × 0.2 %
    assert.equal(sell.hints.feeAsset, 'USDT');
    const maker = evaluateTicket(ticket({ type: 'LIMIT_MAKER', price: '59000' }));
    assert.equal(maker.fields.timeInForce.status, 'unused');
    assert.equal(maker.order?.timeInForce, undefined);
    assert.equal(maker.hints.feeRole, 'maker');
    assert.equal(evaluateTicket(ticket({ bestAsk: undefined })).hints.feeRole, 'taker?');
  });
  it('more than the free balance is a warning, not a block (the exchange decides)', () => {
    const s = evaluateTicket(ticket({ amount: '0.02' })); // 1200 USDT
    assert.ok(s.order);
    assert.deepEqual(s.hints.warnings, ['This needs 1200 USDT, more than the free 1000 USDT.']);
  });
});

describe('order ticket: each field is checked against the filters, and corrected alone', () => {
  it('price off the tick: only the price is wrong, and its suggestion is the nearest tick', () => {
    const s = evaluateTicket(ticket({ price: '60000.126' }));
    assert.deepEqual(statuses(s), { type: 'ok', price: 'error', stopPrice: 'unused', amount: 'ok', timeInForce: 'ok' });
    assert.equal(s.fields.price.suggestion, '60000.13');
    assert.match(s.fields.price.messages[0], /not a multiple of tickSize 0\.01/);
    assert.equal(s.order, undefined);
  });
  it('quantity off the step: only the amount is wrong, rounded down', () => {
    const s = evaluateTicket(ticket({ amount: '0.0012399' }));
    assert.equal(s.fields.price.status, 'ok');
    assert.equal(s.fields.amount.status, 'error');
    assert.equal(s.fields.amount.suggestion, '0.00123');
  });
  it('below the minimum notional: the quantity rises to the smallest valid one; the price stays', () => {
    const s = evaluateTicket(ticket({ amount: '0.00008' })); // 4.8 USDT
    assert.equal(s.fields.price.status, 'ok');
    assert.equal(s.fields.amount.suggestion, '0.00009');
    assert.match(s.fields.amount.messages[0], /below minNotional 5 USDT/);
  });
  it('a price failure and a quantity failure are both shown, each with its own correction', () => {
    // Price below the BUY band (60000 × 0.2 = 12000) and quantity off the step. The price
    // correction does not cut the quantity: 12000 × 0.00123 is well above the minimum.
    const s = evaluateTicket(ticket({ price: '3000', amount: '0.0012345' }));
    assert.equal(s.fields.price.status, 'error');
    assert.equal(s.fields.price.suggestion, '12000');
    assert.equal(s.fields.amount.status, 'error');
    assert.equal(s.fields.amount.suggestion, '0.00123');
    assert.deepEqual(s.violations.map((v) => v.filter).sort(), ['LOT_SIZE', 'NOTIONAL', 'PERCENT_PRICE_BY_SIDE']);
    assert.equal(s.violations.find((v) => v.filter === 'NOTIONAL')!.field, 'price');
  });
  it('a price correction that makes the value too small asks for more quantity in the same pass', () => {
    const s = evaluateTicket(ticket({ price: '130000', amount: '0.00004', referencePrice: '20000' }));
    assert.equal(s.fields.price.suggestion, '100000');
    assert.equal(s.fields.amount.suggestion, '0.00005');
  });
  it('stopPrice is checked on its own for stop-limit orders', () => {
    const s = evaluateTicket(ticket({ type: 'STOP_LOSS_LIMIT', side: 'SELL', price: '59000', stopPrice: '59000.005' }));
    assert.deepEqual(statuses(s), { type: 'ok', price: 'ok', stopPrice: 'error', amount: 'ok', timeInForce: 'ok' });
    assert.equal(s.fields.stopPrice.suggestion, '59000.01');
  });
  it('empty and malformed fields say what to type', () => {
    const empty = evaluateTicket(ticket({ price: '', amount: '' }));
    assert.deepEqual(empty.fields.price.messages, ['A LIMIT order needs a price.']);
    assert.deepEqual(empty.fields.amount.messages, ['Enter the amount in BTC.']);
    const bad = evaluateTicket(ticket({ price: '6e4', amount: '0,001' }));
    assert.match(bad.fields.price.messages[0], /exponent notation; write the digits out/);
    assert.match(bad.fields.amount.messages[0], /not a decimal number/);
    assert.equal(bad.order, undefined);
    const quote = evaluateTicket(ticket({ amountIn: 'quote', amount: 'ten' }));
    assert.match(quote.fields.amount.messages[0], /^Amount "ten" is not a decimal number/);
  });
  it('a type the symbol does not take, and form-level problems', () => {
    const s = evaluateTicket(ticket({ symbol: btcusdt({ orderTypes: ['LIMIT', 'MARKET'] }), type: 'LIMIT_MAKER' }));
    assert.equal(s.fields.type.status, 'error');
    assert.match(s.fields.type.messages[0], /does not accept LIMIT_MAKER/);
    const full = evaluateTicket(ticket({ openOrderCount: 200 }));
    assert.equal(full.order, undefined);
    assert.match(full.formErrors[0], /already has 200 open orders/);
    assert.ok(Object.values(full.fields).every((f) => f.status !== 'error'));
  });
});

describe('order ticket: quantity or quote amount', () => {
  it('MARKET by quote amount sends quoteOrderQty; the minimum notional is the suggestion', () => {
    const s = evaluateTicket(ticket({ type: 'MARKET', price: '', amountIn: 'quote', amount: '100' }));
    assert.deepEqual(statuses(s), {
      type: 'ok',
      price: 'unused',
      stopPrice: 'unused',
      amount: 'ok',
      timeInForce: 'unused',
    });
    assert.deepEqual(s.order, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '100' });
    assert.equal(s.hints.estimatedNotional, '100');
    assert.equal(s.hints.estimatedQuantity, '0.00166'); // at the reference price, down to the step
    assert.equal(s.hints.feeRole, 'taker');
    const small = evaluateTicket(ticket({ type: 'MARKET', amountIn: 'quote', amount: '4.5' }));
    assert.equal(small.fields.amount.suggestion, '5');
  });
  it('LIMIT by quote amount buys the quantity it affords at the price, rounded down to the step', () => {
    const s = evaluateTicket(ticket({ amountIn: 'quote', amount: '100' }));
    assert.equal(s.order?.quantity, '0.00166');
    assert.equal(s.hints.estimatedNotional, '99.6');
    // 4 USDT buys 0.00006 BTC = 3.6 USDT: the suggestion is the quote amount of the smallest valid quantity.
    const small = evaluateTicket(ticket({ amountIn: 'quote', amount: '4' }));
    assert.equal(small.fields.amount.suggestion, '5.4'); // 0.00009 × 60000
    assert.equal(small.fields.price.status, 'ok');
  });
  it('a quote amount is judged at the corrected price, where it will be converted', () => {
    // 1 USDT at a price of 1 buys 1 BTC (worth 1 USDT, too little); at the corrected 6000 it buys 0.00016.
    const s = evaluateTicket(ticket({ amountIn: 'quote', amount: '1', price: '1', referencePrice: '30000' }));
    assert.equal(s.fields.price.suggestion, '6000');
    assert.equal(s.fields.amount.status, 'error');
    assert.match(s.fields.amount.messages[0], /6000 × 0\.00016 = 0\.96 USDT is below minNotional 5 USDT/);
    assert.equal(s.fields.amount.suggestion, '5.04'); // 0.00084 BTC at 6000
    const applied = evaluateTicket(
      ticket({ amountIn: 'quote', amount: '5.04', price: '6000', referencePrice: '30000' }),
    );
    assert.equal(applied.order?.quantity, '0.00084');
  });
  it('waits for a valid price before turning a quote amount into a quantity; stop-market types need a quantity', () => {
    const s = evaluateTicket(ticket({ amountIn: 'quote', amount: '100', price: 'x' }));
    assert.equal(s.fields.amount.status, 'pending');
    assert.equal(s.fields.price.status, 'error');
    const stop = evaluateTicket(ticket({ type: 'STOP_LOSS', side: 'SELL', stopPrice: '59000', amountIn: 'quote' }));
    assert.match(stop.fields.amount.messages[0], /takes a quantity in BTC/);
  });
});

describe('order ticket: property — applying every suggested correction gives an order to send (seeded)', () => {
  it('holds for random typed values', () => {
    const seed = Number(process.env.FC_SEED ?? 20260303);
    const decimal = fc
      .tuple(fc.integer({ min: 1, max: 9_999_999 }), fc.integer({ min: 0, max: 7 }))
      .map(([n, scale]) => D.div(String(n), String(10 ** scale), scale));
    let fixed = 0;
    fc.assert(
      fc.property(
        fc.constantFrom<OrderType>('LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT'),
        fc.constantFrom('BUY' as const, 'SELL' as const),
        decimal,
        decimal,
        decimal,
        fc.constantFrom('base' as const, 'quote' as const),
        (type, side, price, stopPrice, amount, amountIn) => {
          const input = ticket({ type, side, price, stopPrice, amount, amountIn, referencePrice: '30000' });
          const first = evaluateTicket(input);
          const errors = Object.entries(first.fields).filter(([, f]) => f.status === 'error');
          if (first.order || first.formErrors.length > 0) return;
          if (errors.some(([, f]) => f.suggestion === undefined)) return;
          if (Object.values(first.fields).some((f) => f.status === 'pending')) return;
          const corrected: TicketInput = { ...input };
          for (const [field, state] of errors)
            (corrected as unknown as Record<string, string>)[field] = state.suggestion!;
          const second = evaluateTicket(corrected);
          assert.ok(second.order, `${JSON.stringify(errors)} → ${JSON.stringify(second.fields)}`);
          fixed++;
        },
      ),
      { seed, numRuns: 800 },
    );
    assert.ok(fixed > 100, `only ${fixed} tickets needed and got corrections`);
  });
});
