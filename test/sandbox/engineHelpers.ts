/** Shared by the engine's example tests and its property test. */
import * as assert from 'node:assert/strict';
import { DEFAULT_SYMBOLS, resolveSymbol } from '../../src/sandbox/config';
import { Engine } from '../../src/sandbox/engine';

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
