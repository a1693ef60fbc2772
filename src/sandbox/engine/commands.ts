/**
 * The engine's accepted commands, as the durable store journals them: everything a command needs
 * to do exactly the same again on a restored engine, including what the engine chose itself (the
 * time it ran at and the client order ids it generated). Only commands that succeeded are
 * journaled; a refused one changed nothing.
 */
import type { Dec } from '../decimal';
import type { NewOrderInput, OcoInput, OrderListRef, OrderRef } from './types';

export type EngineCommand =
  | { kind: 'createAccount'; time: number; name: string; balances: Record<string, string> }
  | { kind: 'deposit'; time: number; accountId: number; asset: string; amount: Dec }
  | { kind: 'placeOrder'; time: number; accountId: number; input: NewOrderInput }
  | { kind: 'placeOco'; time: number; accountId: number; input: OcoInput }
  | { kind: 'cancelOrder'; time: number; accountId: number; symbol: string; ref: OrderRef }
  | { kind: 'cancelOrderList'; time: number; accountId: number; symbol: string; ref: OrderListRef }
  | { kind: 'cancelAll'; time: number; accountId: number; symbol: string };

/** The kinds of command, for a journal reader that checks what it read. */
export const ENGINE_COMMAND_KINDS: ReadonlySet<string> = new Set<EngineCommand['kind']>([
  'createAccount',
  'deposit',
  'placeOrder',
  'placeOco',
  'cancelOrder',
  'cancelOrderList',
  'cancelAll',
]);
