/**
 * The ticket as typed (kept in the webview's saved state) and the model input it becomes. Every
 * rule is core/market/ticket.ts's; this only fills in what the panel knows (balances, book, fees).
 */
import type { OrderSide, OrderType, SymbolInfo, TimeInForce } from '../../../core/api';
import type { TicketInput } from '../../../core/market/ticket';
import type { TicketDraft } from '../protocol';
import type { PanelModel } from './panelModel';

const SIDES: readonly OrderSide[] = ['BUY', 'SELL'];
const TIME_IN_FORCE: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];
/** The types the ticket offers, in this order, when the symbol allows them. */
const TICKET_TYPES: readonly OrderType[] = [
  'LIMIT',
  'MARKET',
  'LIMIT_MAKER',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT_LIMIT',
  'STOP_LOSS',
  'TAKE_PROFIT',
];

export function ticketTypes(symbol: SymbolInfo): OrderType[] {
  return TICKET_TYPES.filter((t) => symbol.orderTypes.includes(t));
}

export const emptyDraft = (): TicketDraft => ({
  side: 'BUY',
  type: 'LIMIT',
  price: '',
  stopPrice: '',
  amount: '',
  amountIn: 'base',
  timeInForce: 'GTC',
});

/** A saved draft, or the parts of it that still make sense (an unknown type falls back to LIMIT). */
export function restoreDraft(saved: unknown): TicketDraft {
  const draft = emptyDraft();
  if (typeof saved !== 'object' || saved === null) return draft;
  const s = saved as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length <= 64 ? v : undefined);
  if (SIDES.includes(s.side as OrderSide)) draft.side = s.side as OrderSide;
  if (TICKET_TYPES.includes(s.type as OrderType)) draft.type = s.type as OrderType;
  if (TIME_IN_FORCE.includes(s.timeInForce as TimeInForce)) draft.timeInForce = s.timeInForce as TimeInForce;
  if (s.amountIn === 'base' || s.amountIn === 'quote') draft.amountIn = s.amountIn;
  draft.price = text(s.price) ?? '';
  draft.stopPrice = text(s.stopPrice) ?? '';
  draft.amount = text(s.amount) ?? '';
  return draft;
}

/** The draft's type if this symbol takes it, else its first offered type. */
export function draftType(draft: TicketDraft, symbol: SymbolInfo): OrderType {
  const offered = ticketTypes(symbol);
  return offered.includes(draft.type as OrderType) ? (draft.type as OrderType) : (offered[0] ?? 'LIMIT');
}

export function ticketInput(draft: TicketDraft, model: PanelModel): TicketInput {
  const symbol = model.symbol;
  if (!symbol) throw new Error('The ticket needs the symbol from a snapshot first.');
  return {
    symbol,
    side: draft.side,
    type: draftType(draft, symbol),
    price: draft.price,
    stopPrice: draft.stopPrice,
    amount: draft.amount,
    amountIn: draft.amountIn,
    timeInForce: TIME_IN_FORCE.includes(draft.timeInForce as TimeInForce) ? (draft.timeInForce as TimeInForce) : 'GTC',
    freeBalances: model.freeBalances,
    commission: model.commission,
    referencePrice: model.lastPrice(),
    bestBid: model.bestBid(),
    bestAsk: model.bestAsk(),
    openOrderCount: model.openOrders.length,
  };
}
