/** Shared by the engine's example tests and its property test. */
import * as assert from 'node:assert/strict';
import { DEFAULT_SYMBOLS, resolveSymbol } from '../../src/sandbox/config';
import { dec } from '../../src/sandbox/decimal';
import { Engine, NewOrderInput } from '../../src/sandbox/engine';
import { ApiError } from '../../src/sandbox/errors';

/** The engines' fixed clock. */
export const T0 = 1_700_000_000_000;

/** The default symbols at their start prices, an empty book and a fixed clock. */
export function newEngine(): Engine {
  return new Engine(DEFAULT_SYMBOLS.map(resolveSymbol), { now: () => T0 });
}

/** Every asset's total over all accounts is unchanged, and the engine's own invariants hold. */
export function assertConserved(engine: Engine, before: Map<string, bigint>): void {
  const after = engine.totals();
  for (const asset of new Set([...before.keys(), ...after.keys()])) {
    assert.equal(after.get(asset) ?? 0n, before.get(asset) ?? 0n, `total ${asset} changed`);
  }
  engine.checkInvariants();
}

/** A LIMIT GTC order on BTCUSDT. */
export function limit(
  side: 'BUY' | 'SELL',
  price: string,
  qty: string,
  extra: Partial<NewOrderInput> = {},
): NewOrderInput {
  return {
    symbol: 'BTCUSDT',
    side,
    type: 'LIMIT',
    timeInForce: 'GTC',
    price: dec(price),
    quantity: dec(qty),
    ...extra,
  };
}

/** Asserts that `fn` throws the ApiError with this code and message. */
export function rejects(fn: () => unknown, code: number, msg: string): void {
  assert.throws(fn, (error: unknown) => error instanceof ApiError && error.code === code && error.message === msg);
}
