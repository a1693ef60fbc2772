/**
 * Seeds for fast-check properties: a fresh seed per run (so repeated runs explore more), printed
 * with every failure, and TESTNET_DESK_PROPERTY_SEED to replay a failed run exactly.
 */
export const SEED_VARIABLE = 'TESTNET_DESK_PROPERTY_SEED';

export function propertySeed(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[SEED_VARIABLE]?.trim();
  if (text === undefined || text === '') return (Date.now() ^ Math.floor(Math.random() * 2 ** 31)) | 0;
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new Error(`${SEED_VARIABLE} must be an integer seed, as printed by a failed run (got '${text}')`);
  return Number(text) | 0;
}

/** Runs `check`; a failure's message ends with the seed and how to replay it. */
export function reportingSeed<T>(seed: number, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof Error)
      error.message += `\n(property seed ${seed}; replay with ${SEED_VARIABLE}=${seed} npm run test:unit)`;
    throw error;
  }
}
