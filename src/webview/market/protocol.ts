/**
 * The market panel's messages between the extension host and the webview. Types only: both sides
 * import it, neither pulls code from it. Every message is an envelope `{ type, v: 1, ... }`; a side
 * ignores a message whose `v` it does not know, so an old view and a new host fail soft.
 *
 * Order of events: the view posts `ready` whenever it (re)starts; the host answers with a full
 * `snapshot`, so a view that was hidden (its DOM destroyed) rebuilds from it. Live updates follow.
 * The host keeps the order book (core/market/orderBook.ts, the documented snapshot + diff
 * procedure) and sends what each diff changed; after a resync it sends the whole book again.
 */
import type { Balance, NewOrderParams, Order, OrderSide, SymbolInfo } from '../../core/api';
import type { EnvironmentKind } from '../../core/environments';
import type { BookLevel } from '../../core/market/bookSide';
import type { Kline, KlineInterval, PublicTrade, Ticker24h } from '../../core/market/marketEvents';
import type { BookChange, BookSyncState } from '../../core/market/orderBook';
import type { CommissionRate } from '../../core/market/ticketHints';

export type ProtocolVersion = 1;

/**
 * The stream connection's state (MarketStreams' MarketConnectionState, written out here so the
 * view's type check needs nothing of the Node stream client; the host's posts check they agree).
 */
export type ConnectionState = 'connecting' | 'open' | 'backoff' | 'closed';

interface Envelope<T extends string> {
  type: T;
  v: ProtocolVersion;
}

/** The whole book the host keeps, best first on each side (decimal strings as the exchange sent). */
export interface BookContent {
  /** Update id of the book: the REST snapshot's lastUpdateId, then each applied diff's `u`. */
  lastUpdateId: number;
  bids: BookLevel[];
  asks: BookLevel[];
}

/** One execution of the account's own orders on this symbol (GET myTrades, executionReport). */
export interface OwnFill {
  tradeId: number;
  orderId: number;
  side: OrderSide;
  price: string;
  quantity: string;
  commission: string;
  commissionAsset: string;
  time: number;
  maker: boolean;
}

export interface PanelEnvironment {
  id: string;
  /** As the user sees it: "Spot Testnet", "Local sandbox (127.0.0.1:…)", "Live". */
  label: string;
  kind: EnvironmentKind;
}

// ---- host → view ------------------------------------------------------------------------------

export interface SnapshotMessage extends Envelope<'snapshot'> {
  /** exchangeInfo of the symbol: its filters drive the ticket's checks and the chart's tick. */
  symbol: SymbolInfo;
  environment: PanelEnvironment;
  /** True on Live (and without a key): the panel shows the market, the ticket sends nothing. */
  readOnly: boolean;
  /** Why it is read-only, in one sentence the ticket shows. */
  readOnlyReason?: string;
  interval: KlineInterval;
  /** Oldest first. */
  klines: Kline[];
  book: { state: BookSyncState; content?: BookContent };
  /** Oldest first. */
  trades: PublicTrade[];
  ticker?: Ticker24h;
  openOrders: Order[];
  /** Oldest first. */
  fills: OwnFill[];
  balances: Balance[];
  commission?: CommissionRate;
  connection: ConnectionState;
}

/** All candles of a new interval (after `setInterval`). */
export interface KlinesMessage extends Envelope<'klines'> {
  interval: KlineInterval;
  klines: Kline[];
}

/** One candle from the kline stream: replaces the bar with the same open time, or appends. */
export interface KlineMessage extends Envelope<'kline'> {
  kline: Kline;
}

/** Levels one diff changed (quantity "0…" removes the level), and the book's update id after it. */
export interface BookChangeMessage extends Envelope<'bookChange'> {
  change: BookChange;
  lastUpdateId: number;
}

/** The book's sync state changed; `content` is the whole book once it is synced again. */
export interface BookMessage extends Envelope<'book'> {
  state: BookSyncState;
  content?: BookContent;
}

export interface TradeMessage extends Envelope<'trade'> {
  trade: PublicTrade;
}

export interface TickerMessage extends Envelope<'ticker'> {
  ticker: Ticker24h;
}

/** Every open order of the account on this symbol (replaces the list). */
export interface OrdersMessage extends Envelope<'orders'> {
  openOrders: Order[];
}

export interface FillMessage extends Envelope<'fill'> {
  fill: OwnFill;
}

export interface BalancesMessage extends Envelope<'balances'> {
  balances: Balance[];
}

export interface ConnectionMessage extends Envelope<'connection'> {
  state: ConnectionState;
  retryInMs?: number;
}

/** The answer to testOrder / placeOrder / cancelOrder. `message` is one sentence for the user. */
export interface OrderResultMessage extends Envelope<'orderResult'> {
  action: 'test' | 'place' | 'cancel';
  ok: boolean;
  message: string;
  /** The request's id: the clientOrderId of a placeOrder or testOrder. */
  clientOrderId?: string;
  orderId?: number;
}

export type HostMessage =
  | SnapshotMessage
  | KlinesMessage
  | KlineMessage
  | BookChangeMessage
  | BookMessage
  | TradeMessage
  | TickerMessage
  | OrdersMessage
  | FillMessage
  | BalancesMessage
  | ConnectionMessage
  | OrderResultMessage;

// ---- view → host ------------------------------------------------------------------------------

export interface ReadyMessage extends Envelope<'ready'> {
  /** The interval the view shows (from its saved state), so the snapshot comes in that interval. */
  interval?: KlineInterval;
}

export interface SetIntervalMessage extends Envelope<'setInterval'> {
  interval: KlineInterval;
}

/** POST /api/v3/order/test with exactly these parameters (the ticket validated them). */
export interface TestOrderMessage extends Envelope<'testOrder'> {
  params: NewOrderParams;
  clientOrderId: string;
}

/**
 * POST /api/v3/order with exactly these parameters and this newClientOrderId. The view names the
 * order, so an answer lost on the way back can be matched, and a second click is a second order
 * only when the user made a second one.
 */
export interface PlaceOrderMessage extends Envelope<'placeOrder'> {
  params: NewOrderParams;
  clientOrderId: string;
}

export interface CancelOrderMessage extends Envelope<'cancelOrder'> {
  orderId: number;
}

export type ViewMessage = ReadyMessage | SetIntervalMessage | TestOrderMessage | PlaceOrderMessage | CancelOrderMessage;

/** What the view keeps in `vscode.setState` (survives hiding and reloads of the webview). */
export interface PersistedViewState {
  v: ProtocolVersion;
  /** The panel's symbol, from its first snapshot: what VS Code's serializer reopens after a reload. */
  symbol?: string;
  interval?: KlineInterval;
  draft?: TicketDraft;
}

/** The ticket as typed, kept so that hiding the panel loses nothing. */
export interface TicketDraft {
  side: OrderSide;
  type: string;
  price: string;
  stopPrice: string;
  amount: string;
  amountIn: 'base' | 'quote';
  timeInForce: string;
}
