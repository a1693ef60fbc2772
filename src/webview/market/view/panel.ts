/**
 * The panel's layout and its components, driven by the model's changes: each host message updates
 * only what it changed (`apply`), a snapshot re-renders everything (`renderAll`). The bench runs the
 * same messages with `renderMode = 'full'` (every message re-renders everything) to price the
 * difference.
 */
import { normalize } from '../../../core/decimal';
import { KLINE_INTERVALS, KlineInterval } from '../../../core/market/marketEvents';
import { priceRuleOf } from '../../../core/orderRules';
import { fillMarks } from '../model/chartMarks';
import { formatFixedGrouped, priceOnTick, symbolPlaces, SymbolPlaces } from '../model/format';
import type { ModelChange, PanelModel } from '../model/panelModel';
import type { NewOrderParams } from '../../../core/api';
import type { OwnFill, TicketDraft } from '../protocol';
import { PriceChart } from './chart';
import { el, setText } from './dom';
import { DepthLadder } from './ladder';
import { OpenOrders } from './openOrders';
import { readTheme, ThemeColors, themeKind, watchTheme } from './theme';
import { OrderTicket } from './ticketForm';
import { TickerHeader } from './tickerHeader';
import { RecentTrades } from './trades';

export type RenderMode = 'incremental' | 'full';

export interface PanelActions {
  setInterval(interval: KlineInterval): void;
  send(kind: 'test' | 'place', params: NewOrderParams, clientOrderId: string): void;
  cancel(orderId: number): void;
  draftChanged(draft: TicketDraft): void;
}

export class MarketPanel {
  readonly #model: PanelModel;
  readonly #header = new TickerHeader();
  readonly #ladder: DepthLadder;
  readonly #trades = new RecentTrades();
  readonly #orders: OpenOrders;
  readonly #ticket: OrderTicket;
  readonly #chart: PriceChart;
  readonly #interval: HTMLElement & { value: string; label: string };
  readonly #fillAnnouncer = el('p', {
    class: 'visually-hidden',
    'aria-live': 'polite',
    'data-testid': 'fill-announcer',
  });
  #places: SymbolPlaces = { price: 2, quantity: 8, quote: 2 };
  #symbolShown: string | undefined;
  #colors: ThemeColors;
  renderMode: RenderMode = 'incremental';

  constructor(root: HTMLElement, model: PanelModel, draft: TicketDraft | undefined, actions: PanelActions) {
    this.#model = model;
    // The exchange writes "60180.00000000"; the ticket gets the plain decimal a person would type.
    this.#ladder = new DepthLadder((price) => this.#ticket.setPrice(normalize(price)));
    this.#orders = new OpenOrders((orderId) => actions.cancel(orderId));
    this.#ticket = new OrderTicket(draft, { send: actions.send, changed: actions.draftChanged });

    this.#interval = el(
      'vscode-single-select',
      { class: 'interval', 'data-testid': 'interval' },
      ...KLINE_INTERVALS.map((i) => el('vscode-option', { value: i }, i)),
    ) as HTMLElement & { value: string; label: string };
    this.#interval.label = 'Candle interval';
    this.#interval.addEventListener('change', () => {
      const interval = this.#interval.value as KlineInterval;
      if (interval !== this.#model.interval) actions.setInterval(interval);
    });
    const chartBox = el('div', { class: 'chart', 'data-testid': 'chart' });
    const chartSection = el(
      'section',
      { class: 'panel-chart', 'aria-label': 'Price chart' },
      el('div', { class: 'chart-toolbar' }, el('vscode-label', {}, 'Interval'), this.#interval),
      chartBox,
      el(
        'p',
        { class: 'visually-hidden' },
        'Candlestick chart with volume; your open orders are drawn as price lines and your fills as arrows. ' +
          'Clicking the chart sets the ticket price.',
      ),
    );
    const footer = el(
      'footer',
      { class: 'panel-footer' },
      'Charts by ',
      el('a', { href: 'https://www.tradingview.com/', 'data-testid': 'tradingview-link' }, 'TradingView'),
      ' Lightweight Charts™ (Apache-2.0), © 2025 TradingView, Inc.',
    );
    root.replaceChildren(
      this.#header.root,
      el(
        'main',
        { class: 'layout' },
        chartSection,
        this.#ladder.root,
        this.#ticket.root,
        this.#orders.root,
        this.#trades.root,
      ),
      footer,
      this.#fillAnnouncer,
    );
    this.#colors = readTheme();
    this.#chart = new PriceChart(chartBox, this.#colors, (price) => this.#pickChartPrice(price));
    watchTheme((colors) => {
      this.#colors = colors;
      this.#chart.applyTheme(colors);
    });
  }

  apply(change: ModelChange): void {
    if (change.kind === 'ignored') return;
    if (change.kind === 'reset') return this.renderAll();
    if (change.kind === 'orderResult') {
      this.#ticket.answered(change.result);
      if (change.result.action === 'cancel' && change.result.orderId !== undefined)
        this.#orders.cancelAnswered(change.result.orderId, this.#model);
      return;
    }
    if (change.kind === 'fill') this.#announceFill(change.fill);
    if (this.renderMode === 'full') return this.renderAll();
    const model = this.#model;
    switch (change.kind) {
      case 'klines':
        this.#setIntervalShown();
        this.#chart.setBars(model.klines);
        this.#chart.setFills(fillMarks(model.fills, model.klines, this.#places));
        return;
      case 'bar':
        this.#chart.updateBar(change.bar, change.appended, change.historical);
        // A new bar can cover fills that came before it.
        if (change.appended && model.fills.length > 0)
          this.#chart.setFills(fillMarks(model.fills, model.klines, this.#places));
        return;
      case 'bookChange':
        this.#ladder.applyChange(model, change.change);
        return;
      case 'book':
        this.#ladder.renderFull(model);
        return;
      case 'trade':
        this.#trades.add(change.trade, change.dropped !== undefined);
        return;
      case 'ticker':
        this.#header.renderTicker(model);
        this.#ticket.refresh();
        return;
      case 'orders':
        this.#orders.render(model);
        this.#chart.setOrders(model.openOrders, this.#places);
        this.#ticket.refresh();
        return;
      case 'fill':
        this.#chart.setFills(fillMarks(model.fills, model.klines, this.#places));
        return;
      case 'balances':
        this.#ticket.refresh();
        return;
      case 'connection':
        this.#header.renderConnection(model);
        return;
    }
  }

  /** Everything from the model: after a snapshot, and on every message in the bench's full mode. */
  renderAll(): void {
    const model = this.#model;
    const symbol = model.symbol;
    if (!symbol) return;
    if (this.#symbolShown !== symbol.symbol) {
      this.#symbolShown = symbol.symbol;
      this.#places = symbolPlaces(symbol);
      this.#chart.setPlaces(this.#places, priceRuleOf(symbol)?.tickSize ?? '0.01');
      this.#ladder.setSymbol(this.#places, symbol.baseAsset, symbol.quoteAsset);
      this.#trades.setPlaces(this.#places);
      this.#orders.setPlaces(this.#places);
    }
    this.#header.setSymbol(model, this.#places);
    this.#header.renderTicker(model);
    this.#header.renderConnection(model);
    this.#setIntervalShown();
    this.#chart.setBars(model.klines);
    this.#chart.setOrders(model.openOrders, this.#places);
    this.#chart.setFills(fillMarks(model.fills, model.klines, this.#places));
    this.#ladder.renderFull(model);
    this.#trades.renderFull(model);
    this.#orders.render(model);
    this.#ticket.setModel(model);
  }

  debugState(): Record<string, unknown> {
    const model = this.#model;
    const ticket = this.#ticket.state;
    return {
      ready: model.ready,
      symbol: model.symbol?.symbol,
      interval: model.interval,
      readOnly: model.readOnly,
      bookState: model.bookState,
      lastUpdateId: model.lastUpdateId,
      theme: themeKind(),
      chart: this.#chart.debugState(),
      ladder: this.#ladder.debugState(),
      trades: model.trades.length,
      openOrders: model.openOrders.map((o) => o.orderId),
      ticket: {
        draft: this.#ticket.draft,
        order: ticket?.order,
        fields: ticket?.fields,
        formErrors: ticket?.formErrors,
      },
      renderMode: this.renderMode,
    };
  }

  #setIntervalShown(): void {
    if (this.#interval.value !== this.#model.interval) this.#interval.value = this.#model.interval;
    this.#chart.setInterval(this.#model.interval);
  }

  /** A chart click: the price under the pointer, on the tick, in the ticket. */
  #pickChartPrice(price: number): void {
    const tick = this.#model.symbol ? priceRuleOf(this.#model.symbol)?.tickSize : undefined;
    this.#ticket.setPrice(priceOnTick(price, tick, this.#places.price));
  }

  #announceFill(fill: OwnFill): void {
    const symbol = this.#model.symbol;
    if (!symbol) return;
    setText(
      this.#fillAnnouncer,
      `Filled: ${fill.side} ${formatFixedGrouped(fill.quantity, this.#places.quantity)} ${symbol.baseAsset} at ${formatFixedGrouped(fill.price, this.#places.price)} ${symbol.quoteAsset}.`,
    );
  }
}
