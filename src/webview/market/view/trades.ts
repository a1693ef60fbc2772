/**
 * Recent public trades, newest first. A stream trade adds one row at the top and drops the oldest;
 * `renderFull` rebuilds the list (after a snapshot; the bench's baseline). The taker's side is
 * written out ("Buy"/"Sell"), so colour is never the only cue.
 */
import type { PublicTrade } from '../../../core/market/marketEvents';
import { formatClock, formatFixedGrouped, SymbolPlaces } from '../model/format';
import type { PanelModel } from '../model/panelModel';
import { el } from './dom';

export class RecentTrades {
  readonly root: HTMLElement;
  readonly #list: HTMLOListElement;
  #places: SymbolPlaces = { price: 2, quantity: 8, quote: 2 };

  constructor() {
    this.#list = el('ol', { class: 'trades', 'data-testid': 'trades', 'aria-label': 'Recent trades, newest first' });
    this.root = el(
      'section',
      { class: 'panel-trades', 'aria-labelledby': 'trades-title' },
      el('h2', { id: 'trades-title' }, 'Recent trades'),
      this.#list,
    );
  }

  setPlaces(places: SymbolPlaces): void {
    this.#places = places;
  }

  renderFull(model: PanelModel): void {
    this.#list.replaceChildren(...model.trades.map((t) => this.#row(t)));
  }

  add(trade: PublicTrade, dropped: boolean): void {
    this.#list.prepend(this.#row(trade));
    if (dropped) this.#list.lastElementChild?.remove();
  }

  #row(t: PublicTrade): HTMLLIElement {
    // The buyer was the maker: the taker sold.
    const side = t.buyerIsMaker ? 'Sell' : 'Buy';
    return el(
      'li',
      { class: `trade ${side.toLowerCase()}` },
      el('span', { class: 'time' }, formatClock(t.time)),
      el('span', { class: 'side' }, side),
      el('span', { class: 'price' }, formatFixedGrouped(t.price, this.#places.price)),
      el('span', { class: 'qty' }, formatFixedGrouped(t.quantity, this.#places.quantity)),
    );
  }
}
