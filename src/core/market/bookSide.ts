import BTree from 'sorted-btree';
import * as D from '../decimal';

/** One price level as the exchange wrote it: [price, quantity], decimal strings. */
export type BookLevel = readonly [price: string, quantity: string];

/**
 * One side of an order book: price levels kept sorted best-first in a B+ tree keyed by the
 * canonical price ("60000.01000000" and "60000.01" are one level), compared exactly with
 * core/decimal. Setting or removing a level costs O(log n); reading the best N costs O(log n + N).
 * No Node or DOM API: the extension host and a webview bundle both use it.
 */
export class BookSide {
  readonly #levels: BTree<string, BookLevel>;

  constructor(readonly side: 'bids' | 'asks') {
    // Bids best-first is highest-first; asks lowest-first.
    const compare = side === 'bids' ? (a: string, b: string) => D.compare(b, a) : D.compare;
    this.#levels = new BTree<string, BookLevel>(undefined, compare);
  }

  get size(): number {
    return this.#levels.size;
  }

  /** Sets a level; a quantity of zero removes it. Returns whether the side changed. */
  set(price: string, quantity: string): boolean {
    const key = D.normalize(price);
    if (D.isZero(quantity)) return this.#levels.delete(key);
    const before = this.#levels.get(key);
    if (before && before[1] === quantity) return false;
    this.#levels.set(key, [price, quantity]);
    return true;
  }

  /** Quantity at a price, or undefined when there is no level there. */
  quantity(price: string): string | undefined {
    return this.#levels.get(D.normalize(price))?.[1];
  }

  best(): BookLevel | undefined {
    const key = this.#levels.minKey();
    return key === undefined ? undefined : this.#levels.get(key);
  }

  /** The best `n` levels, best first. */
  top(n: number): BookLevel[] {
    const out: BookLevel[] = [];
    if (n <= 0) return out;
    for (const [, level] of this.#levels.entries()) {
      out.push(level);
      if (out.length >= n) break;
    }
    return out;
  }

  /** Replaces every level (a snapshot). */
  load(levels: readonly BookLevel[]): void {
    this.#levels.clear();
    for (const [price, quantity] of levels) this.set(price, quantity);
  }

  clear(): void {
    this.#levels.clear();
  }
}
