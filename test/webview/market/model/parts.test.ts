import assert from 'node:assert/strict';
import { chartTime, fillMarks, orderLine } from '../../../../src/webview/market/model/chartMarks';
import { withAlpha } from '../../../../src/webview/market/model/color';
import {
  formatFixedGrouped,
  formatPercent,
  placesOf,
  priceOnTick,
  symbolPlaces,
} from '../../../../src/webview/market/model/format';
import { changeTouchesWindow, levelKey } from '../../../../src/webview/market/model/ladderWindow';
import { PanelModel } from '../../../../src/webview/market/model/panelModel';
import {
  draftType,
  emptyDraft,
  restoreDraft,
  ticketInput,
  ticketTypes,
} from '../../../../src/webview/market/model/ticketDraft';
import { btcusdt } from '../../../support/symbols';
import { fill, kline, order, snapshot } from '../../../support/marketPanel';

const places = symbolPlaces(btcusdt());

describe('market panel: numbers as the panel writes them', () => {
  it('places come from the tick and the step; values are cut, never rounded up, and grouped', () => {
    assert.deepEqual(places, { price: 2, quantity: 5, quote: 2 });
    assert.equal(placesOf('0.00100000'), 3);
    assert.equal(placesOf('0'), 8);
    assert.equal(placesOf(undefined, 4), 4);
    assert.equal(formatFixedGrouped('60000.1', 2), '60,000.10');
    assert.equal(formatFixedGrouped('1234567.899', 2), '1,234,567.89');
    assert.equal(formatFixedGrouped('0.000019', 5), '0.00001');
    assert.equal(formatPercent('1.5'), '+1.50 %');
    assert.equal(formatPercent('-0.104'), '-0.10 %');
    assert.equal(formatPercent('0'), '0.00 %');
  });

  it('a chart click becomes a price on the tick', () => {
    assert.equal(priceOnTick(60000.004, '0.01', 2), '60000');
    assert.equal(priceOnTick(60000.005, '0.01', 2), '60000.01');
    assert.equal(priceOnTick(0.123456, '0.0001', 4), '0.1235');
    assert.equal(priceOnTick(12.5, undefined, 2), '12.5');
    assert.equal(priceOnTick(12.5, '0', 2), '12.5');
  });

  it('withAlpha multiplies the alpha of hex and rgb colours and leaves others alone', () => {
    assert.equal(withAlpha('#ff0000', 0.5), 'rgba(255, 0, 0, 0.5)');
    assert.equal(withAlpha('#f00', 0.5), 'rgba(255, 0, 0, 0.5)');
    assert.equal(withAlpha('#ff000080', 0.5), 'rgba(255, 0, 0, 0.251)');
    assert.equal(withAlpha('rgb(1, 2, 3)', 0.25), 'rgba(1, 2, 3, 0.25)');
    assert.equal(withAlpha('rgba(1, 2, 3, 0.5)', 0.5), 'rgba(1, 2, 3, 0.25)');
    assert.equal(withAlpha('rgb(1 2 3 / 50%)', 0.5), 'rgba(1, 2, 3, 0.25)');
    assert.equal(withAlpha('transparent', 0.5), 'transparent');
    assert.equal(withAlpha('#12345', 0.5), '#12345');
  });
});

describe('market panel: chart marks', () => {
  it('chartTime shows local wall-clock time on a chart that labels everything UTC', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Europe/Berlin';
      // 12:00 UTC on 5 January is 13:00 in Berlin: the chart must label it 13:00.
      assert.equal(chartTime(Date.UTC(2026, 0, 5, 12, 0, 0)), Date.UTC(2026, 0, 5, 13, 0, 0) / 1000);
      // Summer time: 12:00 UTC is 14:00.
      assert.equal(chartTime(Date.UTC(2026, 6, 5, 12, 0, 0, 999)), Date.UTC(2026, 6, 5, 14, 0, 0) / 1000);
      process.env.TZ = 'UTC';
      assert.equal(chartTime(Date.UTC(2026, 0, 5, 12, 0, 0)), Date.UTC(2026, 0, 5, 12, 0, 0) / 1000);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('a price line per order: the limit price, or the trigger of a stop-market order, and what is left', () => {
    assert.deepEqual(orderLine(order(1), places), {
      orderId: 1,
      side: 'BUY',
      price: '59000.00000000',
      title: 'BUY 0.00100',
    });
    assert.deepEqual(orderLine(order(2, { side: 'SELL', origQty: '0.003', executedQty: '0.001' }), places), {
      orderId: 2,
      side: 'SELL',
      price: '59000.00000000',
      title: 'SELL 0.00200',
    });
    assert.deepEqual(orderLine(order(3, { type: 'STOP_LOSS', price: '0.00000000', stopPrice: '58000' }), places), {
      orderId: 3,
      side: 'BUY',
      price: '58000',
      title: 'BUY 0.00100 (stop)',
    });
    assert.equal(orderLine(order(4, { type: 'STOP_LOSS', price: '0', stopPrice: undefined }), places), undefined);
  });

  it('fill marks: one per bar and side, quantities summed, only fills a loaded bar covers', () => {
    // Bar 1 is missing (a gap): a fill in it goes on the next bar, bar 2.
    const all = [kline(0), kline(1), kline(2, { closed: false })];
    const bars = [all[0], all[2]];
    const minute = 60_000;
    const at = (bar: number, offset = 1000): number => bars[0].openTime + bar * minute + offset;
    const marks = fillMarks(
      [
        fill(1, { time: at(0), quantity: '0.001' }),
        fill(2, { time: at(0, 5000), quantity: '0.0025' }),
        fill(3, { time: at(0, 9000), side: 'SELL', quantity: '0.004' }),
        fill(4, { time: at(2), quantity: '1' }),
        fill(7, { time: at(1), quantity: '0.5' }), // in the gap
        fill(5, { time: bars[0].openTime - 1 }), // before the chart
        fill(6, { time: at(3) }), // after the last bar closes
      ],
      bars,
      places,
    );
    assert.deepEqual(marks, [
      { time: chartTime(bars[0].openTime), side: 'BUY', text: 'BUY 0.00350', tradeIds: [1, 2] },
      { time: chartTime(bars[0].openTime), side: 'SELL', text: 'SELL 0.00400', tradeIds: [3] },
      { time: chartTime(all[2].openTime), side: 'BUY', text: 'BUY 1.50000', tradeIds: [4, 7] },
    ]);
  });
});

describe('market panel: ladder window', () => {
  const shown = ['100', '99', '98'];
  it('a change touches the shown levels only at or better than the worst one shown, once the window is full', () => {
    assert.equal(changeTouchesWindow('bids', [['97', '1']], shown, 3), false);
    assert.equal(changeTouchesWindow('bids', [['98', '0']], shown, 3), true);
    assert.equal(changeTouchesWindow('bids', [['150', '1']], shown, 3), true);
    assert.equal(changeTouchesWindow('asks', [['99', '1']], ['97', '98', '99'], 3), true);
    assert.equal(changeTouchesWindow('asks', [['99.5', '1']], ['97', '98', '99'], 3), false);
    assert.equal(changeTouchesWindow('bids', [['1', '1']], shown, 4), true, 'room for another row');
    assert.equal(changeTouchesWindow('bids', [], [], 4), false, 'no change, nothing to do');
  });
  it('rows are keyed by the canonical price', () => {
    assert.equal(levelKey('60000.10000000'), levelKey('60000.1'));
  });
});

describe('market panel: ticket draft', () => {
  it('restores what makes sense from a saved draft and drops the rest', () => {
    assert.deepEqual(restoreDraft(undefined), emptyDraft());
    assert.deepEqual(
      restoreDraft({
        side: 'SELL',
        type: 'LIMIT_MAKER',
        price: '1',
        amount: '2',
        amountIn: 'quote',
        timeInForce: 'IOC',
      }),
      {
        side: 'SELL',
        type: 'LIMIT_MAKER',
        price: '1',
        stopPrice: '',
        amount: '2',
        amountIn: 'quote',
        timeInForce: 'IOC',
      },
    );
    assert.deepEqual(
      restoreDraft({
        side: 'SIDEWAYS',
        type: 'OCO',
        price: 5,
        amount: 'x'.repeat(100),
        amountIn: 'both',
        timeInForce: 'GTD',
      }),
      emptyDraft(),
    );
  });

  it('offers only the types the symbol allows, and falls back to the first of them', () => {
    const limited = btcusdt({ orderTypes: ['MARKET', 'LIMIT_MAKER'] });
    assert.deepEqual(ticketTypes(limited), ['MARKET', 'LIMIT_MAKER']);
    assert.equal(draftType({ ...emptyDraft(), type: 'LIMIT' }, limited), 'MARKET');
    assert.equal(draftType({ ...emptyDraft(), type: 'LIMIT_MAKER' }, limited), 'LIMIT_MAKER');
  });

  it('the ticket input takes balances, fees, best prices, last price and the open order count from the model', () => {
    const model = new PanelModel();
    model.apply(snapshot({ commission: { maker: '0.001', taker: '0.002' } }));
    const input = ticketInput({ ...emptyDraft(), price: '59000', amount: '0.001' }, model);
    assert.deepEqual(
      {
        freeBalances: input.freeBalances,
        commission: input.commission,
        referencePrice: input.referencePrice,
        bestBid: input.bestBid,
        bestAsk: input.bestAsk,
        openOrderCount: input.openOrderCount,
        type: input.type,
      },
      {
        freeBalances: { USDT: '1000' },
        commission: { maker: '0.001', taker: '0.002' },
        referencePrice: '60005',
        bestBid: '59999.00',
        bestAsk: '60001.00',
        openOrderCount: 1,
        type: 'LIMIT',
      },
    );
    assert.throws(() => ticketInput(emptyDraft(), new PanelModel()), /snapshot/);
  });
});
