/**
 * The Activity feed's model, vscode-free: every execution report of the account from the user data
 * stream, whatever the symbol and whoever placed the order (a bot included), newest first and
 * bounded; a fill carries its price, quantity and fee, and the order's average price so far.
 */
import type { Order } from '../../core/api';
import * as D from '../../core/decimal';
import { formatAmount } from '../format';
import { Emitter, type Event } from '../../core/events';
import type { Execution } from '../../core/userDataEvents';

export const ACTIVITY_KEPT = 300;

export interface ActivityEntry {
  key: string;
  environment: string;
  time: number;
  symbol: string;
  side: Order['side'];
  type: Order['type'];
  orderId: number;
  clientOrderId: string;
  /** NEW, TRADE, CANCELED, EXPIRED, … */
  execType: string;
  status: Order['status'];
  executedQty: string;
  origQty: string;
  /** cummulativeQuoteQty ÷ executedQty, once something executed. */
  averagePrice?: string;
  fill?: Execution['fill'];
}

export class ActivityList {
  #entries: ActivityEntry[] = [];
  #count = 0;
  readonly #onDidChange = new Emitter<void>();
  readonly onDidChange: Event<void> = this.#onDidChange.event;
  readonly #onFill = new Emitter<ActivityEntry>();
  /** Fires for each fill (for the optional notification). */
  readonly onFill: Event<ActivityEntry> = this.#onFill.event;

  constructor(private readonly kept = ACTIVITY_KEPT) {}

  add(environment: string, order: Order, execution: Execution): ActivityEntry {
    const entry: ActivityEntry = {
      key: `activity:${++this.#count}`,
      environment,
      time: execution.time,
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      execType: execution.execType,
      status: order.status,
      executedQty: order.executedQty,
      origQty: order.origQty,
      ...(D.isPositive(order.executedQty)
        ? { averagePrice: D.normalize(D.div(order.cummulativeQuoteQty, order.executedQty, 8)) }
        : {}),
      ...(execution.fill ? { fill: execution.fill } : {}),
    };
    this.#entries = [entry, ...this.#entries].slice(0, this.kept);
    this.#onDidChange.fire();
    if (entry.fill) this.#onFill.fire(entry);
    return entry;
  }

  entries(): readonly ActivityEntry[] {
    return this.#entries;
  }

  clear(): void {
    this.#entries = [];
    this.#onDidChange.fire();
  }

  dispose(): void {
    this.#onDidChange.dispose();
    this.#onFill.dispose();
  }
}

export function activityLabel(e: ActivityEntry): string {
  return `${e.symbol} ${e.side} ${e.type}`;
}

/** "filled 0.001 @ 60,060 · fee 0.000001 BTC · avg 60,060 · 1 of 3 filled", "new 0.001", "canceled". */
export function activityDescription(e: ActivityEntry): string {
  if (e.fill) {
    const parts = [
      `filled ${formatAmount(e.fill.quantity)} @ ${formatAmount(e.fill.price)}`,
      `fee ${formatAmount(e.fill.commission)} ${e.fill.commissionAsset}`.trim(),
    ];
    if (e.averagePrice) parts.push(`avg ${formatAmount(e.averagePrice)}`);
    parts.push(e.status === 'FILLED' ? 'done' : `${formatAmount(e.executedQty)} of ${formatAmount(e.origQty)}`);
    return parts.join(' · ');
  }
  if (e.execType === 'NEW') return `new ${formatAmount(e.origQty)}`;
  return e.execType.toLowerCase().replace(/_/g, ' ');
}
