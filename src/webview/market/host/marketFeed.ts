/**
 * The host side of the market panel, vscode-free: answers the view's `ready` with a snapshot built
 * from REST (exchangeInfo, klines, trades, 24 h ticker, the account's orders, fills and balances)
 * and the stream client's book, forwards MarketStreams events as protocol messages, and carries out
 * the ticket's test / place / cancel with the environment's SpotClient. The VS Code panel owns one
 * feed per panel and only moves messages between it and the webview.
 */
import type { Balance, NewOrderParams, SymbolInfo } from '../../../core/api';
import type { PlaceOrderResult, SpotClient } from '../../../core/client';
import * as D from '../../../core/decimal';
import { describeError } from '../../../core/errors';
import { validateOrder } from '../../../core/filters';
import { isKlineInterval, KlineInterval } from '../../../core/market/marketEvents';
import type { MarketEvent, MarketStreams } from '../../../core/market/marketStreams';
import type { LocalOrderBook } from '../../../core/market/orderBook';
import { isValidClientOrderId } from '../../../core/orderIds';
import type { BookContent, HostMessage, OwnFill, PanelEnvironment, SnapshotMessage, ViewMessage } from '../protocol';

export type FeedClient = Pick<
  SpotClient,
  | 'exchangeInfo'
  | 'klines'
  | 'recentTrades'
  | 'ticker24h'
  | 'openOrders'
  | 'account'
  | 'myTrades'
  | 'commissionRates'
  | 'placeOrder'
  | 'testOrder'
  | 'cancelOrder'
>;

export type FeedStreams = Pick<MarketStreams, 'symbol' | 'book' | 'interval' | 'state' | 'onEvent' | 'setInterval'>;

export interface MarketFeedOptions {
  client: FeedClient;
  /** The stream client of the same symbol and environment; the feed listens, the owner starts and closes it. */
  streams: FeedStreams;
  environment: PanelEnvironment;
  /** Whether a key for this environment exists: without one the account parts stay empty. */
  hasKey: boolean;
  /** Undefined when the ticket may send; else the sentence saying why not (Live read-only, no key). */
  readOnlyReason?: string;
  post: (message: HostMessage) => void;
  /**
   * Asked before a placeOrder is sent (Live: the modal confirmation). Resolves false to send
   * nothing. Absent: no question.
   */
  confirmPlace?: (params: NewOrderParams) => Promise<boolean>;
  /** Problems worth a log line (a failed refresh); never shown in the panel as errors. */
  log?: (line: string) => void;
  klineLimit?: number;
  tradeLimit?: number;
}

/** Stream messages that arrive while a snapshot or a new interval's candles load wait for it. */
type Held = Extract<HostMessage, { type: 'kline' | 'trade' | 'ticker' }>;

export class MarketFeed {
  readonly #o: MarketFeedOptions;
  readonly #symbol: string;
  #info: SymbolInfo | undefined;
  /** Messages held while something loads (see Held); `#holds` counts the loads in progress. */
  #held: Held[] = [];
  #holds = 0;
  #snapshotsLoading = 0;
  #lastFillId = -1;
  #unsubscribe: (() => void) | undefined;
  #disposed = false;

  constructor(options: MarketFeedOptions) {
    this.#o = options;
    this.#symbol = options.streams.symbol;
    this.#unsubscribe = options.streams.onEvent((event) => this.#onStreamEvent(event));
  }

  dispose(): void {
    this.#disposed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Handles one message from the view; unknown or malformed ones are ignored. Never throws. */
  async handle(message: unknown): Promise<void> {
    if (!isViewMessage(message) || this.#disposed) return;
    try {
      switch (message.type) {
        case 'ready':
          if (message.interval && isKlineInterval(message.interval)) this.#o.streams.setInterval(message.interval);
          await this.#sendSnapshot();
          return;
        case 'setInterval':
          if (isKlineInterval(message.interval)) await this.#switchInterval(message.interval);
          return;
        case 'testOrder':
          await this.#testOrder(message.params, message.clientOrderId);
          return;
        case 'placeOrder':
          await this.#placeOrder(message.params, message.clientOrderId);
          return;
        case 'cancelOrder':
          await this.#cancelOrder(message.orderId);
          return;
      }
    } catch (error) {
      const text = describeError(error).message;
      this.#o.log?.(`Market panel ${this.#symbol}: ${text}`);
      // A request the view waits for gets an answer even when something unexpected failed.
      if (message.type === 'testOrder' || message.type === 'placeOrder')
        this.#result(message.type === 'testOrder' ? 'test' : 'place', false, `Not sent: ${text}`, {
          clientOrderId: message.clientOrderId,
        });
      else if (message.type === 'cancelOrder')
        this.#result('cancel', false, `Order ${message.orderId} was not cancelled: ${text}`, {
          orderId: message.orderId,
        });
    }
  }

  /** Re-reads the account's open orders, balances and new fills (after an order, or on a user-data event). */
  async refreshAccount(): Promise<void> {
    if (!this.#o.hasKey || this.#disposed) return;
    const [orders, account, trades] = await Promise.all([
      this.#o.client.openOrders(this.#symbol),
      this.#o.client.account({ omitZeroBalances: true }),
      this.#o.client.myTrades(this.#symbol, { limit: 100 }),
    ]);
    this.#post({ type: 'orders', v: 1, openOrders: orders });
    this.#post({ type: 'balances', v: 1, balances: account.balances });
    for (const fill of trades.map(ownFill).filter((f) => f.tradeId > this.#lastFillId)) {
      this.#post({ type: 'fill', v: 1, fill });
      this.#lastFillId = Math.max(this.#lastFillId, fill.tradeId);
    }
  }

  async #sendSnapshot(): Promise<void> {
    this.#holds++;
    this.#snapshotsLoading++;
    try {
      const snapshot = await this.#buildSnapshot();
      this.#post(snapshot);
    } finally {
      this.#snapshotsLoading--;
      this.#releaseHeld();
    }
  }

  async #buildSnapshot(): Promise<SnapshotMessage> {
    const { client, streams, hasKey } = this.#o;
    const interval = streams.interval;
    const [info, klines, trades, ticker, account] = await Promise.all([
      this.#symbolInfo(),
      client.klines(this.#symbol, interval, { limit: this.#o.klineLimit ?? 500 }),
      client.recentTrades(this.#symbol, this.#o.tradeLimit ?? 30),
      client.ticker24h(this.#symbol),
      hasKey ? this.#accountPart() : undefined,
    ]);
    const readOnlyReason = this.#o.readOnlyReason;
    // The book is read last, synchronously before posting: every change after it follows the snapshot.
    const book = streams.book;
    return {
      type: 'snapshot',
      v: 1,
      symbol: info,
      environment: this.#o.environment,
      readOnly: readOnlyReason !== undefined,
      ...(readOnlyReason !== undefined ? { readOnlyReason } : {}),
      // If the interval changed meanwhile, its own `klines` message follows this one.
      interval,
      klines,
      book: { state: book.state, ...(book.state === 'synced' ? { content: bookContent(book) } : {}) },
      trades,
      ticker,
      openOrders: account?.openOrders ?? [],
      fills: account?.fills ?? [],
      balances: account?.balances ?? [],
      ...(account?.commission ? { commission: account.commission } : {}),
      connection: streams.state,
    };
  }

  async #accountPart(): Promise<{
    openOrders: Awaited<ReturnType<FeedClient['openOrders']>>;
    fills: OwnFill[];
    balances: Balance[];
    commission?: { maker: string; taker: string };
  }> {
    const { client } = this.#o;
    const [openOrders, account, trades, rates] = await Promise.all([
      client.openOrders(this.#symbol),
      client.account({ omitZeroBalances: true }),
      client.myTrades(this.#symbol, { limit: 100 }),
      client.commissionRates(this.#symbol).catch((error: unknown) => {
        this.#o.log?.(`No commission rates for ${this.#symbol}: ${describeError(error).message}`);
        return undefined;
      }),
    ]);
    const fills = trades.map(ownFill);
    this.#lastFillId = fills.reduce((max, f) => Math.max(max, f.tradeId), this.#lastFillId);
    return {
      openOrders,
      fills,
      balances: account.balances,
      ...(rates ? { commission: rates.standardCommissionForOrder } : {}),
    };
  }

  async #symbolInfo(): Promise<SymbolInfo> {
    if (this.#info) return this.#info;
    const info = (await this.#o.client.exchangeInfo({ symbol: this.#symbol })).symbols.find(
      (s) => s.symbol === this.#symbol,
    );
    if (!info) throw new Error(`${this.#o.environment.label} does not list ${this.#symbol}.`);
    this.#info = info;
    return info;
  }

  async #switchInterval(interval: KlineInterval): Promise<void> {
    this.#o.streams.setInterval(interval);
    this.#holds++;
    try {
      const klines = await this.#o.client.klines(this.#symbol, interval, { limit: this.#o.klineLimit ?? 500 });
      if (this.#o.streams.interval === interval) this.#post({ type: 'klines', v: 1, interval, klines });
    } finally {
      this.#releaseHeld();
    }
  }

  async #testOrder(params: NewOrderParams, clientOrderId: string): Promise<void> {
    const refused = await this.#refusal(params, clientOrderId);
    if (refused) return this.#result('test', false, refused, { clientOrderId });
    try {
      await this.#o.client.testOrder({ ...params, newClientOrderId: clientOrderId });
      this.#result(
        'test',
        true,
        `Test order accepted: the exchange would take ${describe(params)}. Nothing was placed.`,
        {
          clientOrderId,
        },
      );
    } catch (error) {
      this.#result('test', false, `Test order refused: ${describeError(error).message}`, { clientOrderId });
    }
  }

  async #placeOrder(params: NewOrderParams, clientOrderId: string): Promise<void> {
    const refused = await this.#refusal(params, clientOrderId);
    if (refused) return this.#result('place', false, refused, { clientOrderId });
    if (this.#o.confirmPlace && !(await this.#o.confirmPlace(params)))
      return this.#result('place', false, 'Not placed: the confirmation was declined.', { clientOrderId });
    let result: PlaceOrderResult;
    try {
      result = await this.#o.client.placeOrder({ ...params, newClientOrderId: clientOrderId });
    } catch (error) {
      this.#result('place', false, `Not placed: ${describeError(error).message}`, { clientOrderId });
      return;
    }
    const what = describe(params);
    switch (result.outcome) {
      case 'accepted':
        this.#result(
          'place',
          true,
          `Placed ${what} (${result.response.status ?? 'NEW'}, id ${result.response.orderId}).`,
          {
            clientOrderId,
            orderId: result.response.orderId,
          },
        );
        break;
      case 'reconciled':
        this.#result(
          'place',
          true,
          `The exchange did not confirm in time, but the order was found: ${what} is ${result.order.status} (id ${result.order.orderId}). It was sent once.`,
          { clientOrderId, orderId: result.order.orderId },
        );
        break;
      case 'not-placed':
        this.#result('place', false, `The order was NOT placed: ${result.reason}`, { clientOrderId });
        break;
      case 'unknown':
        this.#result('place', false, `The outcome of ${what} is UNKNOWN: ${result.reason} It was not re-sent.`, {
          clientOrderId,
        });
        break;
    }
    await this.#refreshQuietly();
  }

  async #cancelOrder(orderId: number): Promise<void> {
    if (this.#o.readOnlyReason !== undefined) return this.#result('cancel', false, this.#o.readOnlyReason, { orderId });
    if (!Number.isSafeInteger(orderId)) return;
    try {
      const order = await this.#o.client.cancelOrder(this.#symbol, { orderId });
      this.#result('cancel', true, `Cancelled order ${orderId} (${order.side} ${D.normalize(order.origQty)}).`, {
        orderId,
      });
    } catch (error) {
      this.#result('cancel', false, `Order ${orderId} was not cancelled: ${describeError(error).message}`, {
        orderId,
      });
    }
    await this.#refreshQuietly();
  }

  /**
   * Why a request from the view must not be sent, or undefined. The view checked the same rules;
   * the host does not rely on that (a webview is a page, and its state can be stale).
   */
  async #refusal(params: NewOrderParams, clientOrderId: string): Promise<string | undefined> {
    if (this.#o.readOnlyReason !== undefined) return this.#o.readOnlyReason;
    if (!isValidClientOrderId(clientOrderId)) return 'Not sent: the request had no valid client order id.';
    if (params.symbol !== this.#symbol) return `Not sent: this panel trades ${this.#symbol}, not ${params.symbol}.`;
    const check = validateOrder(params, await this.#symbolInfo());
    if (!check.ok) return `Not sent: ${check.violations.map((v) => v.message).join(' ')}`;
    return undefined;
  }

  #result(
    action: 'test' | 'place' | 'cancel',
    ok: boolean,
    message: string,
    ids: { clientOrderId?: string; orderId?: number },
  ): void {
    this.#post({ type: 'orderResult', v: 1, action, ok, message, ...ids });
  }

  async #refreshQuietly(): Promise<void> {
    try {
      await this.refreshAccount();
    } catch (error) {
      this.#o.log?.(`Market panel ${this.#symbol}: account refresh failed: ${describeError(error).message}`);
    }
  }

  #onStreamEvent(event: MarketEvent): void {
    switch (event.type) {
      case 'kline':
        return this.#postOrHold({ type: 'kline', v: 1, kline: event.kline });
      case 'trade':
        return this.#postOrHold({ type: 'trade', v: 1, trade: event.trade });
      case 'ticker':
        return this.#postOrHold({ type: 'ticker', v: 1, ticker: event.ticker });
      case 'book': {
        // While a snapshot loads, the book goes into it whole when it is posted: nothing to send now.
        if (this.#snapshotsLoading > 0) return;
        const book = this.#o.streams.book;
        if (event.change && book.lastUpdateId !== undefined)
          this.#post({ type: 'bookChange', v: 1, change: event.change, lastUpdateId: book.lastUpdateId });
        else if (!event.change)
          this.#post({
            type: 'book',
            v: 1,
            state: event.state,
            ...(event.state === 'synced' ? { content: bookContent(book) } : {}),
          });
        return;
      }
      case 'connection':
        return this.#post({
          type: 'connection',
          v: 1,
          state: event.state,
          ...(event.retryInMs !== undefined ? { retryInMs: event.retryInMs } : {}),
        });
      case 'problem':
        this.#o.log?.(event.message);
        return;
    }
  }

  #postOrHold(message: Held): void {
    if (this.#holds > 0) this.#held.push(message);
    else this.#post(message);
  }

  #releaseHeld(): void {
    if (--this.#holds > 0) return;
    const held = this.#held;
    this.#held = [];
    for (const message of held) this.#post(message);
  }

  #post(message: HostMessage): void {
    if (!this.#disposed) this.#o.post(message);
  }
}

/** The whole book, best first. */
export function bookContent(book: Pick<LocalOrderBook, 'bids' | 'asks' | 'lastUpdateId'>): BookContent {
  return {
    lastUpdateId: book.lastUpdateId ?? 0,
    bids: book.bids.top(book.bids.size),
    asks: book.asks.top(book.asks.size),
  };
}

function ownFill(trade: Awaited<ReturnType<FeedClient['myTrades']>>[number]): OwnFill {
  return {
    tradeId: trade.id,
    orderId: trade.orderId,
    side: trade.isBuyer ? 'BUY' : 'SELL',
    price: trade.price,
    quantity: trade.qty,
    commission: trade.commission,
    commissionAsset: trade.commissionAsset,
    time: trade.time,
    maker: trade.isMaker,
  };
}

/** "BUY LIMIT 0.001 BTCUSDT @ 59000 GTC": the exact values sent. */
function describe(p: NewOrderParams): string {
  const amount = p.quantity !== undefined ? p.quantity : `for ${p.quoteOrderQty ?? '?'} quote`;
  const price = p.price !== undefined ? ` @ ${p.price}` : '';
  const stop = p.stopPrice !== undefined ? ` stop ${p.stopPrice}` : '';
  return `${p.side} ${p.type} ${amount} ${p.symbol}${price}${stop}${p.timeInForce ? ` ${p.timeInForce}` : ''}`;
}

const VIEW_TYPES: ReadonlySet<string> = new Set(['ready', 'setInterval', 'testOrder', 'placeOrder', 'cancelOrder']);

function isViewMessage(data: unknown): data is ViewMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  if (m.v !== 1 || typeof m.type !== 'string' || !VIEW_TYPES.has(m.type)) return false;
  if (m.type === 'testOrder' || m.type === 'placeOrder')
    return typeof m.params === 'object' && m.params !== null && typeof m.clientOrderId === 'string';
  if (m.type === 'cancelOrder') return typeof m.orderId === 'number';
  return true;
}
