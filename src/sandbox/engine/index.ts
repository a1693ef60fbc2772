/** The sandbox matching engine (see engine.ts) and its data types. */
export { Engine } from './engine';
export type { EngineOptions } from './engine';
export type { BookTop } from './orderBook';
export { DEFAULT_RETENTION, resolveRetention } from './retention';
export type { Retention } from './retention';
export * from './types';
