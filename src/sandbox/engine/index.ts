/** The sandbox matching engine (see engine.ts) and its data types. */
export { Engine } from './engine';
export type { EngineOptions } from './engine';
export type { BookTop } from './orderBook';
export * from './types';
