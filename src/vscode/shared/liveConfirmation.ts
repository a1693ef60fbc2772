import type { NewOrderParams } from '../../core/api';
import type { Prompter } from './prompter';

/** The button of the Live order confirmation (VS Code adds the "Cancel" that closes the dialog). */
export const PLACE_LIVE_ORDER = 'Place Live Order';

/**
 * The modal question before any order is sent to Live, from the Place Order flow and the market
 * panel's ticket alike: the exact values sent, in the dialog's detail. True only for the button.
 */
export async function confirmLiveOrder(prompter: Prompter, params: NewOrderParams): Promise<boolean> {
  const price = params.type === 'MARKET' ? 'market price' : params.price;
  const amount = params.quantity ?? `${params.quoteOrderQty} (quote)`;
  const answer = await prompter.showWarningMessage(
    `Place a REAL order on Live Binance: ${params.side} ${amount} ${params.symbol} at ${price}?`,
    {
      modal: true,
      detail: `Environment: Live (real money)\nSymbol: ${params.symbol}\nSide: ${params.side}\nType: ${params.type}\nQuantity: ${amount}\nPrice: ${price}`,
    },
    PLACE_LIVE_ORDER,
  );
  return answer === PLACE_LIVE_ORDER;
}
