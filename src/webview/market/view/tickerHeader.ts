/** The header: symbol, environment, 24 h statistics and the stream's state. */
import * as D from '../../../core/decimal';
import { formatFixedGrouped, formatPercent, SymbolPlaces } from '../model/format';
import type { PanelModel } from '../model/panelModel';
import { el, setAttr, setText } from './dom';

const STATS = ['last', 'change', 'high', 'low', 'volume', 'quoteVolume'] as const;
type Stat = (typeof STATS)[number];

export class TickerHeader {
  readonly root: HTMLElement;
  readonly #symbol = el('h1', { class: 'symbol', 'data-testid': 'symbol' });
  readonly #environment = el('span', { class: 'environment', 'data-testid': 'environment' });
  readonly #connection = el('span', { class: 'connection', 'data-testid': 'connection' });
  readonly #values: Record<Stat, HTMLElement>;
  readonly #labels: Record<Stat, HTMLElement>;
  #places: SymbolPlaces = { price: 2, quantity: 8, quote: 2 };

  constructor() {
    const names: Record<Stat, string> = {
      last: 'Last price',
      change: '24h change',
      high: '24h high',
      low: '24h low',
      volume: '24h volume',
      quoteVolume: '24h value',
    };
    this.#values = {} as Record<Stat, HTMLElement>;
    this.#labels = {} as Record<Stat, HTMLElement>;
    const stats = el('dl', { class: 'stats', 'data-testid': 'ticker' });
    for (const stat of STATS) {
      this.#labels[stat] = el('dt', {}, names[stat]);
      this.#values[stat] = el('dd', { 'data-testid': `ticker-${stat}` }, '—');
      stats.append(el('div', { class: `stat ${stat}` }, this.#labels[stat], this.#values[stat]));
    }
    this.root = el(
      'header',
      { class: 'panel-header' },
      el('div', { class: 'title' }, this.#symbol, this.#environment, this.#connection),
      stats,
    );
  }

  setSymbol(model: PanelModel, places: SymbolPlaces): void {
    this.#places = places;
    const s = model.symbol!;
    setText(this.#symbol, `${s.baseAsset}/${s.quoteAsset}`);
    setAttr(this.#symbol, 'title', s.symbol);
    setText(this.#environment, model.environment?.label ?? '');
    setText(this.#labels.volume, `24h volume (${s.baseAsset})`);
    setText(this.#labels.quoteVolume, `24h value (${s.quoteAsset})`);
  }

  renderTicker(model: PanelModel): void {
    const t = model.ticker;
    if (!t) return;
    const p = this.#places;
    setText(this.#values.last, formatFixedGrouped(t.lastPrice, p.price));
    const change = `${formatFixedGrouped(t.priceChange, p.price)} (${formatPercent(t.priceChangePercent)})`;
    setText(this.#values.change, change);
    const direction = D.isPositive(t.priceChange) ? 'up' : D.isNegative(t.priceChange) ? 'down' : 'flat';
    setAttr(this.#values.change, 'data-direction', direction);
    setText(this.#values.high, formatFixedGrouped(t.highPrice, p.price));
    setText(this.#values.low, formatFixedGrouped(t.lowPrice, p.price));
    setText(this.#values.volume, formatFixedGrouped(t.volume, p.quantity));
    setText(this.#values.quoteVolume, formatFixedGrouped(t.quoteVolume, p.quote));
  }

  renderConnection(model: PanelModel): void {
    const text = {
      open: 'Live',
      connecting: 'Connecting…',
      backoff: 'Reconnecting…',
      closed: 'Disconnected',
    }[model.connection];
    setText(this.#connection, text);
    setAttr(this.#connection, 'data-state', model.connection);
  }
}
