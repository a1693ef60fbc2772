/**
 * One market panel's live parts, vscode-free: the symbol's market streams (candles, trades, ticker
 * and the order book kept by the documented snapshot + diff procedure) and the feed that turns them,
 * the REST reads and the account's orders and fills into protocol messages. The VS Code panel only
 * moves messages between this and its webview.
 */
import type { NewOrderParams } from '../../../core/api';
import type { SpotClient } from '../../../core/client';
import type { Credential } from '../../../core/credentials';
import type { Environment } from '../../../core/environments';
import type { KlineInterval } from '../../../core/market/marketEvents';
import { MarketStreams } from '../../../core/market/marketStreams';
import { FeedClient, MarketFeed } from './marketFeed';
import type { HostMessage } from '../protocol';

/** What a panel needs of a client: the feed's reads and orders, and the depth snapshot for the book. */
export type MarketClient = FeedClient & Pick<SpotClient, 'depth'>;

export type MarketClientFactory = (environment: Environment, credential: () => Credential | undefined) => MarketClient;

export interface MarketSessionOptions {
  symbol: string;
  environment: Environment;
  client: MarketClient;
  hasKey: boolean;
  /** Whether orders may be sent here (Live only with Live trading on). */
  canTrade: boolean;
  post: (message: HostMessage) => void;
  /** Asked before a Place on Live (the modal confirmation); false sends nothing. */
  confirmPlace?: (params: NewOrderParams) => Promise<boolean>;
  log: (line: string) => void;
  interval?: KlineInterval;
}

/** Why the ticket sends nothing here, or undefined when it may. */
export function readOnlyReason(environment: Environment, hasKey: boolean, canTrade: boolean): string | undefined {
  if (!canTrade)
    return `${environment.label} is read-only here: the panel shows the market; trading on Live needs the user setting "testnetDesk.live.allowTrading".`;
  if (!hasKey)
    return `No API key for ${environment.label}: add one (Binance: Add API Key…) to place orders from the panel.`;
  return undefined;
}

export class MarketSession {
  readonly symbol: string;
  readonly environment: Environment;
  readonly #streams: MarketStreams;
  readonly #feed: MarketFeed;

  constructor(options: MarketSessionOptions) {
    this.symbol = options.symbol;
    this.environment = options.environment;
    this.#streams = new MarketStreams({
      environment: options.environment,
      symbol: options.symbol,
      interval: options.interval ?? '1m',
      fetchDepth: (symbol) => options.client.depth(symbol, 1000),
    });
    const { environment } = options;
    this.#feed = new MarketFeed({
      client: options.client,
      streams: this.#streams,
      environment: { id: environment.id, label: environment.label, kind: environment.kind },
      hasKey: options.hasKey,
      readOnlyReason: readOnlyReason(environment, options.hasKey, options.canTrade),
      post: options.post,
      confirmPlace: options.confirmPlace,
      log: options.log,
    });
    this.#streams.start();
  }

  /** A message from the webview; unknown ones are ignored. */
  handle(message: unknown): Promise<void> {
    return this.#feed.handle(message);
  }

  /** The account changed (an order event, a refresh): the panel's orders, fills and balances again. */
  refreshAccount(): Promise<void> {
    return this.#feed.refreshAccount();
  }

  dispose(): void {
    this.#feed.dispose();
    this.#streams.close();
  }
}
