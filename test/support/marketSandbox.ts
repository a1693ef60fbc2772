/**
 * A local sandbox with a market to watch, and the host side of the market panel on it: the real
 * SpotClient, MarketStreams and MarketFeed, as the extension will run them. A second account keeps
 * the market moving (MARKET orders on a fixed schedule, resting orders that fill the ladder), so
 * candles, trades and diffs arrive at the sandbox's own stream rates. No randomness: the pattern
 * is fixed, so two runs see the same kinds of events.
 */
import { SpotClient } from '../../src/core/client';
import { Credential } from '../../src/core/credentials';
import { Environment, localSandbox } from '../../src/core/environments';
import { FetchTransport } from '../../src/core/fetchTransport';
import type { KlineInterval } from '../../src/core/market/marketEvents';
import { MarketStreams } from '../../src/core/market/marketStreams';
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { MarketFeed, MarketFeedOptions } from '../../src/webview/market/host/marketFeed';
import type { PanelEnvironment } from '../../src/webview/market/protocol';

export const SYMBOL = 'BTCUSDT';

export interface MarketSandbox {
  sandbox: SandboxHandle;
  environment: Environment;
  panelEnvironment: PanelEnvironment;
  /** The panel user's client (the sandbox's default account). */
  client: SpotClient;
  streams: MarketStreams;
  /** The other account that moves the market. */
  trader: SpotClient;
  activity: MarketActivity;
  /** A feed on this sandbox's client and streams, posting to `post`. */
  feed(post: MarketFeedOptions['post'], options?: Partial<MarketFeedOptions>): MarketFeed;
  close(): Promise<void>;
}

export function sandboxClient(environment: Environment, apiKey: string, secret: string, id: string): SpotClient {
  const credential = Credential.create({ id, label: id, environment, keyType: 'hmac', apiKey, secret });
  return new SpotClient({ environment, transport: new FetchTransport(), credential: () => credential });
}

export async function startMarketSandbox(options: { interval?: KlineInterval } = {}): Promise<MarketSandbox> {
  const sandbox = await startSandbox({
    rateLimits: { weightPerMinute: 1_000_000, ordersPer10s: 1_000_000, ordersPerDay: 10_000_000 },
  });
  const environment = localSandbox(sandbox.baseUrl);
  const client = sandboxClient(environment, sandbox.apiKey, sandbox.secret, 'panel-user');
  const traderKey = sandbox.createAccount({ BTC: '1000', USDT: '100000000' });
  const trader = sandboxClient(environment, traderKey.apiKey, traderKey.secret, 'market-mover');
  const streams = new MarketStreams({
    environment,
    symbol: SYMBOL,
    interval: options.interval ?? '1s',
    fetchDepth: (symbol) => client.depth(symbol, 1000),
    backoffMs: () => 100,
  });
  streams.start();
  const activity = new MarketActivity(trader);
  const feeds: MarketFeed[] = [];
  const panelEnvironment: PanelEnvironment = { id: environment.id, label: environment.label, kind: environment.kind };
  return {
    sandbox,
    environment,
    panelEnvironment,
    client,
    streams,
    trader,
    activity,
    feed(post, extra = {}) {
      const feed = new MarketFeed({ client, streams, environment: panelEnvironment, hasKey: true, post, ...extra });
      feeds.push(feed);
      return feed;
    },
    async close() {
      activity.stop();
      await activity.idle();
      for (const feed of feeds) feed.dispose();
      streams.close();
      await sandbox.close();
    },
  };
}

/**
 * The orders' sides and sizes, in turn. 1.7 BTC takes the market maker's best level (1.6 BTC) and
 * trades into the next, so prices move between levels until it refills (200 ms); an odd length
 * shifts the pattern against the 1 s candles, so they rise and fall.
 */
const PATTERN: readonly (readonly ['BUY' | 'SELL', string])[] = [
  ['BUY', '0.0005'],
  ['SELL', '0.0005'],
  ['BUY', '0.0005'],
  ['BUY', '1.7'],
  ['SELL', '0.0005'],
  ['SELL', '1.7'],
  ['SELL', '0.0005'],
];

/**
 * Keeps BTCUSDT trading: every `periodMs` a MARKET order from PATTERN,
 * and once at the start resting LIMIT orders on ten price levels per side beyond the market
 * maker's, so a 12-level ladder is full.
 */
export class MarketActivity {
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #count = 0;
  errors: string[] = [];

  constructor(private readonly trader: SpotClient) {}

  async seedBook(): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const bid = (59_690 - i * 13.7).toFixed(2);
      const ask = (60_310 + i * 11.3).toFixed(2);
      await this.trader.placeOrder({
        symbol: SYMBOL,
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        price: bid,
        quantity: (0.01 + i * 0.001).toFixed(3),
      });
      await this.trader.placeOrder({
        symbol: SYMBOL,
        side: 'SELL',
        type: 'LIMIT',
        timeInForce: 'GTC',
        price: ask,
        quantity: (0.012 + i * 0.001).toFixed(3),
      });
    }
  }

  start(periodMs = 150): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      const [side, quantity] = PATTERN[this.#count++ % PATTERN.length];
      this.#running = this.#running
        .then(() => this.trader.placeOrder({ symbol: SYMBOL, side, type: 'MARKET', quantity }))
        .catch((error: unknown) => this.errors.push(String(error)));
    }, periodMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Resolves when the orders already sent are answered. */
  idle(): Promise<unknown> {
    return this.#running;
  }
}
