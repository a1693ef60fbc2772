/**
 * Child process of the history section (run with --expose-gc): the sandbox engine in process, no
 * HTTP. Prints one JSON line per measurement.
 *   history: cost per order (LIMIT IOC that expires) at growing history sizes, against a reference
 *            engine rebuilt to 10k orders beside it, batches interleaved; RSS after a GC.
 *   book:    cost of an insert + cancel and of a one-step match on books of 1k, 10k and 50k
 *            resting orders on one symbol, engines interleaved.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_SYMBOLS, resolveSymbol } from '../../src/sandbox/config';
import { dec } from '../../src/sandbox/decimal';
import { Engine, NewOrderInput } from '../../src/sandbox/engine';
import { median } from './stats';

const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
const BTC = resolveSymbol({
  ...DEFAULT_SYMBOLS[0],
  // One-step matches (0.00001 BTC) must pass NOTIONAL; the book section rests 50k orders on one symbol.
  minNotional: '0.1',
  maxNumOrders: 1_000_000,
});
const IOC: NewOrderInput = {
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'IOC',
  quantity: dec('0.0002'),
  price: dec('30000'),
};

function print(line: unknown): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** RSS after two full collections, each followed by a pause in which V8 hands freed pages back to the system. */
function rssMb(): number {
  for (let i = 0; i < 2; i++) {
    gc();
    pause(300);
  }
  return process.memoryUsage().rss / 2 ** 20;
}

interface Trader {
  engine: Engine;
  accountId: number;
  placed: number;
}

function trader(): Trader {
  const engine = new Engine([BTC], { now: () => 1_800_000_000_000 });
  return { engine, accountId: engine.createAccount('bench', { USDT: '100000000', BTC: '100000' }).id, placed: 0 };
}

function place(t: Trader, n: number): void {
  for (let i = 0; i < n; i++) t.engine.placeOrder(t.accountId, IOC);
  t.placed += n;
}

/** µs per order of `n` orders. */
function timed(t: Trader, n: number): number {
  const t0 = performance.now();
  place(t, n);
  return ((performance.now() - t0) * 1000) / n;
}

function history(checkpoints: number[], batch: number, batches: number, budgetMs: number): void {
  const growing = trader();
  const started = performance.now();
  for (const size of checkpoints) {
    const elapsed = performance.now() - started;
    if (elapsed > budgetMs) {
      print({ kind: 'history', size, skipped: `the ${budgetMs / 1000} s budget was spent before this size` });
      continue;
    }
    place(growing, size - growing.placed);
    const reference = trader();
    place(reference, 10_000);
    const ours: number[] = [];
    const refs: number[] = [];
    for (let b = 0; b < batches; b++) {
      if (b % 2 === 0) {
        ours.push(timed(growing, batch));
        refs.push(timed(reference, batch));
      } else {
        refs.push(timed(reference, batch));
        ours.push(timed(growing, batch));
      }
    }
    const ratios = ours.map((x, i) => x / refs[i]);
    print({
      kind: 'history',
      size,
      usPerOrder: median(ours),
      referenceUsPerOrder: median(refs),
      ratio: median(ratios),
      rssMb: rssMb(),
    });
  }
}

interface BookBench {
  size: number;
  engine: Engine;
  maker: number;
  taker: number;
  /** Prices of the resting bids, for inserts that land among them. */
  bidPrices: bigint[];
  seed: number;
}

function bookEngine(size: number): BookBench {
  const engine = new Engine([BTC], { now: () => 1_800_000_000_000 });
  const maker = engine.createAccount('maker', { USDT: '100000000000', BTC: '1000000' }).id;
  const taker = engine.createAccount('taker', { USDT: '100000000000', BTC: '1000000' }).id;
  const tick = dec('0.01');
  const mid = dec('60000');
  const bidPrices: bigint[] = [];
  for (let i = 1; i <= size / 2; i++) {
    const bid = mid - tick * BigInt(i);
    bidPrices.push(bid);
    engine.placeOrder(maker, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: dec('0.1'),
      price: bid,
    });
    engine.placeOrder(maker, {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: dec('0.1'),
      price: mid + tick * BigInt(i),
    });
  }
  return { size, engine, maker, taker, bidPrices, seed: 1 };
}

/** A resting BUY among the bids (deterministic pseudo-random level), then its cancel. */
function insertCancel(b: BookBench): void {
  b.seed = (b.seed * 1103515245 + 12345) % 2 ** 31;
  const price = b.bidPrices[b.seed % b.bidPrices.length];
  const { order } = b.engine.placeOrder(b.taker, {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: dec('0.001'),
    price,
  });
  b.engine.cancelOrder(b.taker, 'BTCUSDT', { orderId: order.orderId });
}

/** A one-step SELL IOC at the best bid: one fill against the best resting order. */
function matchOne(b: BookBench): void {
  const best = b.engine.bookTop('BTCUSDT').bidPrice;
  b.engine.placeOrder(b.taker, {
    symbol: 'BTCUSDT',
    side: 'SELL',
    type: 'LIMIT',
    timeInForce: 'IOC',
    quantity: dec('0.00001'),
    price: best,
  });
}

function book(sizes: number[], opsPerBatch: number, rounds: number): void {
  const benches = sizes.map(bookEngine);
  const samples = new Map<number, { insert: number[]; match: number[] }>(
    sizes.map((s) => [s, { insert: [], match: [] }]),
  );
  for (let r = 0; r < rounds; r++) {
    const order = [...benches.slice(r % benches.length), ...benches.slice(0, r % benches.length)];
    for (const b of order) {
      let t0 = performance.now();
      for (let i = 0; i < opsPerBatch; i++) insertCancel(b);
      samples.get(b.size)!.insert.push(((performance.now() - t0) * 1000) / opsPerBatch);
      t0 = performance.now();
      for (let i = 0; i < opsPerBatch; i++) matchOne(b);
      samples.get(b.size)!.match.push(((performance.now() - t0) * 1000) / opsPerBatch);
    }
  }
  for (const b of benches) {
    const s = samples.get(b.size)!;
    const base = samples.get(sizes[0])!;
    print({
      kind: 'book',
      size: b.size,
      insertCancelUs: median(s.insert),
      matchUs: median(s.match),
      insertRatio: median(s.insert.map((x, i) => x / base.insert[i])),
      matchRatio: median(s.match.map((x, i) => x / base.match[i])),
    });
  }
}

const mode = process.argv[2];
if (mode === 'history') {
  history(JSON.parse(process.argv[3]) as number[], 4000, 9, Number(process.argv[4]));
} else if (mode === 'book') {
  book([1000, 10_000, 50_000], 500, 7);
} else {
  process.stderr.write('usage: engineProbe.js history "[sizes]" budgetMs | book\n');
  process.exit(2);
}
print({ kind: 'done' });
