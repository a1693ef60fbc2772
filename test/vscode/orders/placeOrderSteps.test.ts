import '../../support/vscodeStub';
import assert from 'node:assert/strict';
import type { OrderType } from '../../../src/core/api';
import { askOrder, StepsContext } from '../../../src/vscode/orders/placeOrderSteps';
import { BACK } from '../../../src/vscode/shared/prompter';
import { RecordingPrompter, Shown } from '../../support/recordingPrompter';
import { btcusdt } from '../../support/symbols';

const TYPES: OrderType[] = ['LIMIT', 'MARKET', 'LIMIT_MAKER'];

function context(prompter: RecordingPrompter): StepsContext {
  return {
    prompter,
    environmentLabel: 'Spot Testnet',
    symbols: [btcusdt()],
    types: () => TYPES,
    describeType: () => '',
    lastPrice: async () => '60000.00',
    openOrderCount: () => 0,
  };
}

/** Answers each step by its title; a list of answers per title is used in turn (Back returns to a title). */
function script(answers: [RegExp, (string | RegExp | typeof BACK)[]][]): RecordingPrompter {
  const left: [RegExp, (string | RegExp | typeof BACK)[]][] = answers.map(([title, list]) => [title, [...list]]);
  return new RecordingPrompter((shown: Shown) => {
    const entry = left.find(([title]) => title.test(shown.text));
    return entry ? entry[1].shift() : undefined;
  });
}

const titles = (p: RecordingPrompter): string[] => p.shown.map((s) => s.text);

describe('Place Order steps', () => {
  it('counts a LIMIT order in six steps, "4–6" until the type is chosen', async () => {
    const prompter = script([
      [/symbol/, ['BTCUSDT']],
      [/side/, ['BUY']],
      [/order type/, ['LIMIT']],
      [/quantity/, ['0.001']],
      [/price/, ['59000']],
      [/time in force/, ['GTC']],
    ]);
    const order = await askOrder(context(prompter), {});
    assert.deepEqual(titles(prompter), [
      'Place order on Spot Testnet: symbol (1/4–6)',
      'BTCUSDT: side (2/4–6)',
      'BTCUSDT BUY: order type (3/4–6)',
      'BTCUSDT BUY LIMIT: quantity in BTC (4/6)',
      'BTCUSDT BUY LIMIT: price in USDT (5/6)',
      'BTCUSDT BUY LIMIT: time in force (6/6)',
    ]);
    assert.deepEqual(
      { side: order.side, type: order.type, quantity: order.quantity, price: order.price, tif: order.timeInForce },
      { side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '59000', tif: 'GTC' },
    );
    assert.deepEqual(
      prompter.shown.map((s) => s.back),
      [false, true, true, true, true, true].map((b) => b || undefined),
      'Back on every step but the first',
    );
  });

  it('counts a MARKET order in four steps, and does not ask what the caller gave', async () => {
    const market = script([
      [/order type/, ['MARKET']],
      [/quantity/, ['0.001']],
    ]);
    await askOrder(context(market), { info: btcusdt(), side: 'SELL' });
    assert.deepEqual(titles(market), [
      'BTCUSDT SELL: order type (1/2–4)',
      'BTCUSDT SELL MARKET: quantity in BTC (2/2)',
    ]);
  });

  it('checks the quantity at its own step: a value off the step size is refused there, with the valid one', async () => {
    const prompter = script([
      [/symbol/, ['BTCUSDT']],
      [/side/, ['BUY']],
      [/order type/, ['LIMIT_MAKER']],
    ]);
    await assert.rejects(askOrder(context(prompter), {}));
    const quantity = prompter.shown.find((s) => /quantity/.test(s.text))!;
    assert.match(String(await quantity.input!.validateInput!('0.000015')), /a valid quantity is 0\.00001\./);
    assert.equal(await quantity.input!.validateInput!('0.00002'), undefined);
  });

  it('Back returns to the previous step with its answer kept; a new answer there is the one sent', async () => {
    const prompter = script([
      [/symbol/, ['BTCUSDT']],
      [/side/, ['BUY']],
      [/order type/, ['LIMIT', 'MARKET']],
      [/quantity/, ['0.002', BACK, '0.003']],
      [/price/, [BACK]],
    ]);
    const order = await askOrder(context(prompter), {});
    assert.deepEqual(titles(prompter), [
      'Place order on Spot Testnet: symbol (1/4–6)',
      'BTCUSDT: side (2/4–6)',
      'BTCUSDT BUY: order type (3/4–6)',
      'BTCUSDT BUY LIMIT: quantity in BTC (4/6)',
      'BTCUSDT BUY LIMIT: price in USDT (5/6)',
      'BTCUSDT BUY LIMIT: quantity in BTC (4/6)', // Back from the price
      'BTCUSDT BUY: order type (3/4–6)', // Back from the quantity
      'BTCUSDT BUY MARKET: quantity in BTC (4/4)',
    ]);
    assert.equal(prompter.shown[5].input!.value, '0.002', 'the quantity given before Back is kept in its box');
    assert.equal(order.type, 'MARKET');
    assert.equal(order.quantity, '0.003');
  });

  it('dismissing a step sends nothing', async () => {
    const prompter = script([[/symbol/, ['BTCUSDT']]]);
    await assert.rejects(askOrder(context(prompter), {}), /Cancelled/);
  });
});
