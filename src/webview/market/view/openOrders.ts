/**
 * The account's open orders on this symbol, each with a Cancel button (none on a read-only panel).
 * The list is short and changes only on an `orders` message, so it is rebuilt then.
 */
import type { Order } from '../../../core/api';
import * as D from '../../../core/decimal';
import { formatClock, formatFixedGrouped, SymbolPlaces } from '../model/format';
import type { PanelModel } from '../model/panelModel';
import { el, setText } from './dom';

export class OpenOrders {
  readonly root: HTMLElement;
  readonly #body: HTMLElement;
  readonly #empty: HTMLElement;
  readonly #onCancel: (orderId: number) => void;
  /** Orders whose cancel was sent and not yet answered. */
  readonly #cancelling = new Set<number>();
  #places: SymbolPlaces = { price: 2, quantity: 8, quote: 2 };

  constructor(onCancel: (orderId: number) => void) {
    this.#onCancel = onCancel;
    this.#body = el('tbody', { 'data-testid': 'open-orders' });
    this.#empty = el('p', { class: 'empty' }, 'No open orders on this symbol.');
    const head = el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Side', 'Type', 'Price', 'Filled / Amount', 'Time'].map((h) => el('th', { scope: 'col' }, h)),
        el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Actions')),
      ),
    );
    this.root = el(
      'section',
      { class: 'panel-orders', 'aria-labelledby': 'orders-title' },
      el('h2', { id: 'orders-title' }, 'Open orders'),
      el('table', { class: 'orders' }, head, this.#body),
      this.#empty,
    );
  }

  setPlaces(places: SymbolPlaces): void {
    this.#places = places;
  }

  render(model: PanelModel): void {
    const live = new Set(model.openOrders.map((o) => o.orderId));
    for (const id of this.#cancelling) if (!live.has(id)) this.#cancelling.delete(id);
    this.#body.replaceChildren(...model.openOrders.map((o) => this.#row(o, model.readOnly)));
    this.#empty.hidden = model.openOrders.length > 0;
  }

  /** The cancel of `orderId` was answered (done or refused): its button works again if the order is still there. */
  cancelAnswered(orderId: number, model: PanelModel): void {
    if (this.#cancelling.delete(orderId)) this.render(model);
  }

  #row(order: Order, readOnly: boolean): HTMLTableRowElement {
    const p = this.#places;
    const price =
      order.type === 'MARKET' || D.isZero(order.price) ? 'market' : formatFixedGrouped(order.price, p.price);
    const stop =
      order.stopPrice && D.isPositive(order.stopPrice) ? ` (stop ${formatFixedGrouped(order.stopPrice, p.price)})` : '';
    const amount = `${formatFixedGrouped(order.executedQty, p.quantity)} / ${formatFixedGrouped(order.origQty, p.quantity)}`;
    const summary = `${order.side} ${formatFixedGrouped(order.origQty, p.quantity)} at ${price}`;
    const actions = el('td', { class: 'actions' });
    if (!readOnly) {
      const pending = this.#cancelling.has(order.orderId);
      const button = el(
        'vscode-button',
        {
          secondary: true,
          disabled: pending,
          'aria-label': `Cancel order ${order.orderId}: ${summary}`,
          'data-testid': `cancel-${order.orderId}`,
        },
        pending ? 'Cancelling…' : 'Cancel',
      );
      button.addEventListener('click', () => {
        if (this.#cancelling.has(order.orderId)) return;
        this.#cancelling.add(order.orderId);
        button.setAttribute('disabled', '');
        setText(button, 'Cancelling…');
        this.#onCancel(order.orderId);
      });
      actions.append(button);
    }
    return el(
      'tr',
      { 'data-testid': `order-${order.orderId}`, class: order.side === 'BUY' ? 'buy' : 'sell' },
      el('td', { class: 'side' }, order.side),
      el('td', {}, order.type.replace(/_/g, ' ')),
      el('td', { class: 'num' }, `${price}${stop}`),
      el('td', { class: 'num' }, amount),
      el('td', { class: 'num' }, formatClock(order.time)),
      actions,
    );
  }
}
