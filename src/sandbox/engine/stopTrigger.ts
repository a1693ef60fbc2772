/** When a stop order's stop price is reached. */
import type { Dec } from '../decimal';
import type { EngineOrder } from './types';

/**
 * Reference §5.3: "Price above market price: STOP_LOSS BUY, TAKE_PROFIT SELL"; "below: STOP_LOSS
 * SELL, TAKE_PROFIT BUY". The first trigger when a trade prints at or above the stop price, the
 * others at or below it.
 */
export function triggersAbove(order: Pick<EngineOrder, 'type' | 'side'>): boolean {
  const stopLoss = order.type === 'STOP_LOSS' || order.type === 'STOP_LOSS_LIMIT';
  return stopLoss === (order.side === 'BUY');
}

/** True if trades between `low` and `high` reach the order's stop price. */
export function stopDue(order: EngineOrder, low: Dec, high: Dec): boolean {
  return triggersAbove(order) ? high >= order.stopPrice : low <= order.stopPrice;
}
