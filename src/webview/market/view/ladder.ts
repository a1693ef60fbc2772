/**
 * The depth ladder: the best asks above the spread, the best bids below, as an ARIA grid. Updates
 * are incremental: a diff that cannot change the rows shown costs nothing, and one that can moves,
 * inserts or removes only the rows that differ (rows are keyed by price and reused). `renderFull`
 * rebuilds every row; it runs after a snapshot and is the bench's baseline.
 *
 * Keyboard: one cell is in the tab order (roving tabindex); arrows move between rows and cells,
 * Home/End jump to the first/last row, Enter or Space (or a click) sets the ticket's price.
 */
import type { BookLevel } from '../../../core/market/bookSide';
import * as D from '../../../core/decimal';
import type { BookChange } from '../../../core/market/orderBook';
import { formatFixedGrouped, SymbolPlaces } from '../model/format';
import { changeTouchesWindow, LADDER_DEPTH, levelKey } from '../model/ladderWindow';
import type { PanelModel } from '../model/panelModel';
import { el, setAttr, setText } from './dom';

type Side = 'bids' | 'asks';

interface Row {
  key: string;
  price: string;
  quantity: string;
  node: HTMLElement;
  cells: HTMLElement[];
}

export interface LadderDebugState {
  asks: [string, string][];
  bids: [string, string][];
  /** Row elements created by the last full render and the updates since: an update creates few. */
  rowsCreated: number;
}

export class DepthLadder {
  readonly root: HTMLElement;
  readonly #groups: Record<Side, HTMLElement>;
  readonly #rows: Record<Side, Row[]> = { bids: [], asks: [] };
  readonly #spread: HTMLElement;
  readonly #status: HTMLElement;
  readonly #onPick: (price: string) => void;
  #places: SymbolPlaces = { price: 2, quantity: 8, quote: 2 };
  #assets = { base: '', quote: '' };
  /** Key of the row whose cell is in the tab order, and which cell. */
  #active: { side: Side; key: string; cell: number } | undefined;
  #rowsCreated = 0;
  /** Position of the active row among the shown rows when it was last chosen. */
  #lastIndex = -1;

  constructor(onPick: (price: string) => void) {
    this.#onPick = onPick;
    this.#groups = {
      asks: el('div', { role: 'rowgroup', class: 'ladder-asks', 'data-testid': 'ladder-asks' }),
      bids: el('div', { role: 'rowgroup', class: 'ladder-bids', 'data-testid': 'ladder-bids' }),
    };
    this.#spread = el('span', { role: 'gridcell', class: 'spread-text', 'aria-colspan': 3 });
    this.#status = el('p', { class: 'ladder-status', 'data-testid': 'ladder-status' });
    const header = el(
      'div',
      { role: 'rowgroup', class: 'ladder-head' },
      el(
        'div',
        { role: 'row' },
        el('span', { role: 'columnheader', class: 'price' }, 'Price'),
        el('span', { role: 'columnheader', class: 'qty' }, 'Amount'),
        el('span', { role: 'columnheader', class: 'value' }, 'Value'),
      ),
    );
    const grid = el(
      'div',
      {
        role: 'grid',
        class: 'ladder',
        'aria-label': 'Order book: asks above the spread, bids below',
        'aria-describedby': 'ladder-help',
        'aria-readonly': 'true',
        'data-testid': 'ladder',
      },
      header,
      this.#groups.asks,
      el('div', { role: 'rowgroup', class: 'ladder-spread' }, el('div', { role: 'row' }, this.#spread)),
      this.#groups.bids,
    );
    const help = el(
      'p',
      { id: 'ladder-help', class: 'visually-hidden' },
      'Arrow keys move between levels; Enter sets the order ticket price.',
    );
    this.root = el('section', { class: 'panel-ladder', 'aria-label': 'Order book' }, grid, this.#status, help);
    grid.addEventListener('keydown', (event) => this.#onKey(event));
    grid.addEventListener('click', (event) => {
      const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-price]');
      if (!cell) return;
      this.#focus(cell.dataset.side as Side, cell.dataset.key as string, 0, false);
      this.#onPick(cell.dataset.price as string);
    });
  }

  setSymbol(places: SymbolPlaces, baseAsset: string, quoteAsset: string): void {
    this.#places = places;
    this.#assets = { base: baseAsset, quote: quoteAsset };
    const headers = this.root.querySelectorAll('[role="columnheader"]');
    setText(headers[0], `Price (${quoteAsset})`);
    setText(headers[1], `Amount (${baseAsset})`);
    setText(headers[2], `Value (${quoteAsset})`);
  }

  /** Rebuilds every row from the model (after a snapshot or a resync; the bench's full re-render). */
  renderFull(model: PanelModel): void {
    this.#rowsCreated = 0;
    for (const side of ['asks', 'bids'] as const) {
      const rows = model[side].top(LADDER_DEPTH).map((level) => this.#createRow(side, level));
      this.#rows[side] = rows;
      const ordered = side === 'asks' ? [...rows].reverse() : rows;
      this.#groups[side].replaceChildren(...ordered.map((r) => r.node));
    }
    this.#afterRows(model, false);
  }

  /** Applies one diff's changes: only rows that differ are touched. */
  applyChange(model: PanelModel, change: BookChange): void {
    // A removed row takes the focus with it; note where it was to give it to the row that takes its place.
    const hadFocus = this.root.contains(document.activeElement);
    let touched = false;
    for (const side of ['asks', 'bids'] as const) {
      const shown = this.#rows[side].map((r) => r.key);
      if (!changeTouchesWindow(side, change[side], shown)) continue;
      this.#reconcile(side, model[side].top(LADDER_DEPTH));
      touched = true;
    }
    if (touched) this.#afterRows(model, hadFocus);
  }

  debugState(): LadderDebugState {
    const levels = (side: Side): [string, string][] => this.#rows[side].map((r) => [r.price, r.quantity]);
    return { asks: levels('asks'), bids: levels('bids'), rowsCreated: this.#rowsCreated };
  }

  #reconcile(side: Side, levels: BookLevel[]): void {
    const group = this.#groups[side];
    const old = new Map(this.#rows[side].map((r) => [r.key, r]));
    const next: Row[] = levels.map((level) => {
      const key = levelKey(level[0]);
      const row = old.get(key);
      if (!row) return this.#createRow(side, level, key);
      old.delete(key);
      if (row.quantity !== level[1]) this.#fillRow(side, row, level);
      return row;
    });
    for (const gone of old.values()) gone.node.remove();
    // Asks are shown worst first (the best ask sits on the spread); bids best first.
    const ordered = side === 'asks' ? [...next].reverse() : next;
    let cursor = group.firstElementChild;
    for (const row of ordered) {
      if (row.node !== cursor) group.insertBefore(row.node, cursor);
      else cursor = cursor.nextElementSibling;
    }
    this.#rows[side] = next;
  }

  #createRow(side: Side, level: BookLevel, key = levelKey(level[0])): Row {
    this.#rowsCreated++;
    const cells = [0, 1, 2].map((i) =>
      el('span', {
        role: 'gridcell',
        class: ['price', 'qty', 'value'][i],
        tabindex: -1,
        'data-side': side,
        'data-key': key,
        'data-price': level[0],
      }),
    );
    const node = el('div', { role: 'row', class: `level ${side === 'bids' ? 'bid' : 'ask'}` }, ...cells);
    const row: Row = { key, price: level[0], quantity: '', node, cells };
    this.#fillRow(side, row, level);
    return row;
  }

  #fillRow(side: Side, row: Row, [price, quantity]: BookLevel): void {
    row.quantity = quantity;
    const p = formatFixedGrouped(price, this.#places.price);
    const q = formatFixedGrouped(quantity, this.#places.quantity);
    const v = formatFixedGrouped(D.mul(price, quantity), this.#places.quote);
    setText(row.cells[0], p);
    setText(row.cells[1], q);
    setText(row.cells[2], v);
    setAttr(row.node, 'data-testid', `level-${side === 'bids' ? 'bid' : 'ask'}-${row.key}`);
    setAttr(
      row.cells[0],
      'aria-label',
      `${side === 'bids' ? 'Bid' : 'Ask'} ${p} ${this.#assets.quote}, ${q} ${this.#assets.base}`,
    );
  }

  #afterRows(model: PanelModel, hadFocus: boolean): void {
    const bid = model.bestBid();
    const ask = model.bestAsk();
    if (bid !== undefined && ask !== undefined) {
      const spread = D.sub(ask, bid);
      const percent = D.div(D.mul(spread, '100'), ask, 3, 'half-up');
      setText(this.#spread, `Spread ${formatFixedGrouped(spread, this.#places.price)} (${D.normalize(percent)} %)`);
    } else setText(this.#spread, 'Spread —');
    const status =
      model.bookState === 'synced'
        ? this.#rows.asks.length + this.#rows.bids.length === 0
          ? 'The book is empty.'
          : ''
        : model.bookState === 'resync-needed'
          ? 'Order book out of step; reloading it…'
          : 'Loading the order book…';
    setText(this.#status, status);
    this.#keepTabStop(hadFocus);
  }

  /** Exactly one cell is tabbable: the active one if its row is still shown, else the nearest row's. */
  #keepTabStop(hadFocus: boolean): void {
    const rows = this.#orderedRows();
    const a = this.#active;
    if (rows.length === 0) {
      this.#active = undefined;
      return;
    }
    const shown = a && this.#rows[a.side].find((r) => r.key === a.key);
    if (shown) {
      if (shown.cells[a.cell].tabIndex !== 0) this.#applyTabStop(false);
      return;
    }
    // The active level left the window (or there was none): the row now at its place, else the best bid.
    const lost = a ? this.#lastIndex : -1;
    const to = rows[Math.min(Math.max(lost, 0), rows.length - 1)] ?? rows[0];
    const fallback = lost < 0 ? (rows.find((r) => r.side === 'bids') ?? to) : to;
    this.#active = { side: fallback.side, key: fallback.row.key, cell: a?.cell ?? 0 };
    this.#applyTabStop(hadFocus && !this.root.contains(document.activeElement));
  }

  #applyTabStop(moveFocus: boolean): void {
    for (const cell of this.root.querySelectorAll<HTMLElement>('[role="gridcell"][tabindex="0"]'))
      cell.setAttribute('tabindex', '-1');
    const a = this.#active;
    if (!a) return;
    const row = this.#rows[a.side].find((r) => r.key === a.key);
    const cell = row?.cells[a.cell];
    if (!cell) return;
    cell.setAttribute('tabindex', '0');
    if (moveFocus) cell.focus();
  }

  /** Rows top to bottom as shown: asks worst→best, then bids best→worst. */
  #orderedRows(): { side: Side; row: Row }[] {
    return [
      ...[...this.#rows.asks].reverse().map((row) => ({ side: 'asks' as const, row })),
      ...this.#rows.bids.map((row) => ({ side: 'bids' as const, row })),
    ];
  }

  #focus(side: Side, key: string, cell: number, moveFocus = true): void {
    this.#active = { side, key, cell };
    this.#lastIndex = this.#orderedRows().findIndex((r) => r.side === side && r.row.key === key);
    this.#applyTabStop(moveFocus);
  }

  #onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (!target.matches('[role="gridcell"][data-key]')) return;
    const rows = this.#orderedRows();
    const index = rows.findIndex((r) => r.side === target.dataset.side && r.row.key === target.dataset.key);
    if (index < 0) return;
    const cell = Math.max(
      0,
      this.#rows[rows[index].side].find((r) => r.key === target.dataset.key)!.cells.indexOf(target),
    );
    const go = (i: number, c = cell): void => {
      const to = rows[Math.max(0, Math.min(rows.length - 1, i))];
      this.#focus(to.side, to.row.key, Math.max(0, Math.min(2, c)));
    };
    switch (event.key) {
      case 'ArrowUp':
        go(index - 1);
        break;
      case 'ArrowDown':
        go(index + 1);
        break;
      case 'ArrowLeft':
        go(index, cell - 1);
        break;
      case 'ArrowRight':
        go(index, cell + 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'PageUp':
        go(index - 5);
        break;
      case 'PageDown':
        go(index + 5);
        break;
      case 'Enter':
      case ' ':
        this.#onPick(rows[index].row.price);
        break;
      default:
        return;
    }
    event.preventDefault();
  }
}
