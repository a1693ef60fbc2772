import * as vscode from 'vscode';
import type { NewOrderParams, Order, OrderSide, OrderType, SymbolInfo, TimeInForce } from '../../core/api';
import { normalize } from '../../core/decimal';
import { validateOrder } from '../../core/filters';
import { Environment } from '../../core/environments';
import { NoCredentialError } from '../../core/errors';
import type { AccountOrders } from '../../app/account/accountOrders';
import { ExchangeClient, PlaceOrderResult } from '../../app/exchange';
import { formatAmount } from '../../app/format';
import { orderLabel } from '../../app/account/orderModel';
import type { OrdersNode, SymbolNode } from './ordersProvider';
import { askOrder } from './placeOrderSteps';
import type { ShowableLog } from '../shared/log';
import { confirmLiveOrder } from '../shared/liveConfirmation';
import { PrompterHolder, required, UserCancelled } from '../shared/prompter';
import { SymbolCatalog } from '../../app/symbolCatalog';

export type DryRun = 'none' | 'test-first' | 'test-only';

/** Arguments for programmatic use; anything missing is asked for. Checked exactly like the UI path. */
export interface PlaceOrderArgs {
  symbol?: string;
  side?: OrderSide;
  type?: 'LIMIT' | 'MARKET' | 'LIMIT_MAKER';
  quantity?: string;
  price?: string;
  timeInForce?: TimeInForce;
  dryRun?: DryRun;
  /** Apply the filters' corrected values without asking. */
  acceptCorrection?: boolean;
}

export interface PlaceOrderSummary {
  outcome: PlaceOrderResult['outcome'] | 'tested';
  clientOrderId?: string;
  orderId?: number;
  params: NewOrderParams;
}

const TYPES: OrderType[] = ['LIMIT', 'MARKET', 'LIMIT_MAKER'];
/** The button after a passed dry run that places the tested order. */
export const PLACE_NOW = 'Place now';

/** The Cancel All confirmation's action button (VS Code adds the "Cancel" that closes the dialog). */
export const CANCEL_ALL_BUTTON = 'Cancel All Orders';

export interface OrderCommandsDeps {
  /** The active environment's client; each command keeps the client it started with. */
  session: { readonly client: ExchangeClient; readonly environment: Environment; readonly hasKey: boolean };
  environments: { canTrade(environment: Environment): boolean };
  catalog: SymbolCatalog;
  /** The account model's orders: counts for the filter and confirmation texts, the symbols kept in view. */
  orders: Pick<AccountOrders, 'openOrders' | 'watchSymbol' | 'refresh'>;
  /** The Orders view, to select a placed order in it. */
  tree: { revealOrder(symbol: string, orderId: number): Promise<boolean> };
  /** Reloads the account after an order was placed or cancelled. */
  refreshAll(): Promise<void>;
  prompter: PrompterHolder;
  log: ShowableLog;
}

/**
 * Place (guided, validated against the symbol's filters before anything is sent), cancel and
 * cancel-all. An order is sent at most once: every PlaceOrderResult outcome gets its own message
 * and nothing is ever re-sent automatically.
 */
export class OrderCommands {
  constructor(private readonly deps: OrderCommandsDeps) {}

  async place(args: PlaceOrderArgs | SymbolNode = {}): Promise<PlaceOrderSummary | undefined> {
    const input: PlaceOrderArgs = isSymbolNode(args) ? { symbol: args.symbol } : checkPlaceArgs(args);
    this.#assertCanTrade();
    this.#assertHasKey();
    const ui = this.deps.prompter.current;
    // Everything below talks to this client's environment, even if the active one changes meanwhile.
    const client = this.deps.session.client;
    const environment = client.environment;
    const symbols = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Loading symbols…' },
      () => this.deps.catalog.symbols(client),
    );
    const order = await askOrder(
      {
        prompter: ui,
        environmentLabel: environment.label,
        symbols,
        types: (info) => TYPES.filter((t) => !info.orderTypes?.length || info.orderTypes.includes(t)),
        describeType: typeDescription,
        lastPrice: (symbol) => this.#lastPrice(client, symbol),
        openOrderCount: (symbol) => this.deps.orders.openOrders.filter((o) => o.symbol === symbol).length,
      },
      {
        info: input.symbol ? await this.deps.catalog.symbol(client, input.symbol) : undefined,
        side: input.side,
        type: input.type,
        quantity: input.quantity === undefined ? undefined : normalizeInput(input.quantity),
        price: input.price === undefined ? undefined : normalizeInput(input.price),
        timeInForce: input.timeInForce,
      },
    );
    const { info, side, type, quantity, lastPrice } = order;
    // An answer kept from before Back changed the type is not sent where the type takes none.
    const price = type === 'MARKET' ? undefined : order.price;
    const timeInForce = type === 'LIMIT' ? order.timeInForce : undefined;
    let params: NewOrderParams = { symbol: info.symbol, side, type, quantity, price, timeInForce };
    params = await this.#checkFilters(params, info, lastPrice, input.acceptCorrection);
    const dryRun =
      input.dryRun ??
      required(
        await ui.showQuickPick(
          [
            {
              label: 'Place order',
              iconPath: new vscode.ThemeIcon('check'),
              description: describeParams(params),
              dryRun: 'none' as const,
            },
            {
              label: 'Test first, then place',
              iconPath: new vscode.ThemeIcon('beaker'),
              description: 'POST /api/v3/order/test, then the real order',
              dryRun: 'test-first' as const,
            },
            {
              label: 'Test only (dry run)',
              iconPath: new vscode.ThemeIcon('beaker'),
              description: 'Nothing is placed',
              dryRun: 'test-only' as const,
            },
          ],
          { title: `${environment.label}: ${describeParams(params)}` },
        ),
      ).dryRun;
    if (dryRun !== 'none') {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Testing the order (nothing is placed)…' },
        () => client.testOrder(params),
      );
      this.deps.log.info(`Dry run accepted on ${environment.label}: ${describeParams(params)}`);
      if (dryRun === 'test-only') {
        // Not awaited: the command ends now; "Place now" places this very order, asked for nothing
        // again but the Live confirmation, if it is still the environment's order.
        void ui
          .showInformationMessage(
            `Dry run passed on ${environment.label}: ${describeParams(params)}. Nothing was placed.`,
            {},
            PLACE_NOW,
          )
          .then((choice) => (choice === PLACE_NOW ? this.#placeTested(params, environment) : undefined));
        return { outcome: 'tested', params };
      }
    }
    if (environment.kind === 'live') await this.#confirmLive(params);
    // The setting may have been turned off while the prompts or the modal were open.
    this.#assertCanTrade(environment);
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Placing ${describeParams(params)} on ${environment.label}…`,
      },
      () => client.placeOrder(params),
    );
    return this.#report(result, params, environment);
  }

  /** "Place now" after a dry run: the same parameters, on the same environment, through the whole place path. */
  async #placeTested(params: NewOrderParams, environment: Environment): Promise<void> {
    if (this.deps.session.environment.id !== environment.id) {
      void this.deps.prompter.current.showWarningMessage(
        `Not placed: the active environment is no longer ${environment.label}. Place the order again there.`,
        {},
      );
      return;
    }
    const args: PlaceOrderArgs = {
      symbol: params.symbol,
      side: params.side,
      type: params.type as PlaceOrderArgs['type'],
      quantity: params.quantity,
      price: params.price,
      timeInForce: params.timeInForce,
      dryRun: 'none',
    };
    await vscode.commands.executeCommand('testnetDesk.orders.place', args);
  }

  /** Cancels one order: from a tree row, from args, or picked from the open orders. */
  async cancel(args?: OrdersNode | { symbol: string; orderId: number }): Promise<Order | undefined> {
    this.#assertCanTrade();
    this.#assertHasKey();
    const client = this.deps.session.client;
    let target: { symbol: string; orderId: number; label: string };
    if (args !== undefined && args !== null && typeof args !== 'object')
      throw new OrderCheckError(
        'The cancel arguments must be an object such as { symbol, orderId }. Nothing was sent.',
      );
    if (args && 'kind' in args && args.kind === 'order')
      target = { symbol: args.order.symbol, orderId: args.order.orderId, label: orderLabel(args.order) };
    else if (args && 'orderId' in args) {
      if (typeof args.symbol !== 'string' || !args.symbol || !Number.isSafeInteger(args.orderId)) {
        throw new OrderCheckError(
          `Cancel needs a symbol string and an integer orderId, e.g. { symbol: "BTCUSDT", orderId: 12345 }; got ${JSON.stringify(args)}. Nothing was sent.`,
        );
      }
      target = { symbol: args.symbol, orderId: args.orderId, label: `${args.symbol} order ${args.orderId}` };
    } else {
      const open = await client.openOrders();
      if (open.length === 0) {
        void this.deps.prompter.current.showInformationMessage(
          `There are no open orders on ${client.environment.label}.`,
          {},
        );
        return undefined;
      }
      const pick = required(
        await this.deps.prompter.current.showQuickPick(
          open
            .sort((a, b) => a.symbol.localeCompare(b.symbol) || b.time - a.time)
            .map((o) => ({
              label: `${o.symbol} ${orderLabel(o)}`,
              description: `${o.status} · id ${o.orderId}`,
              order: o,
            })),
          {
            title: `Cancel order on ${client.environment.label}`,
            placeHolder: 'Pick the order to cancel',
            matchOnDescription: true,
          },
        ),
      );
      target = {
        symbol: pick.order.symbol,
        orderId: pick.order.orderId,
        label: `${pick.order.symbol} ${orderLabel(pick.order)}`,
      };
    }
    if (client.environment.kind === 'live')
      await this.#confirm(
        `Cancel ${target.label} on Live Binance?`,
        // Not "Cancel Order": VS Code adds its own "Cancel" (close the dialog) beside it.
        'Cancel Live Order',
        'Environment: Live (real money)',
      );
    this.#assertCanTrade(client.environment);
    const canceled = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Cancelling ${target.label}…` },
      () => client.cancelOrder(target.symbol, { orderId: target.orderId }),
    );
    this.deps.log.info(`Canceled ${target.symbol} order ${target.orderId} on ${client.environment.label}.`);
    void this.deps.prompter.current.showInformationMessage(`Canceled ${target.label} (${canceled.status}).`, {});
    void this.deps.refreshAll();
    return canceled;
  }

  /** Cancels every open order on a symbol after a modal confirmation. */
  async cancelAll(args?: SymbolNode | { symbol: string }): Promise<Order[] | undefined> {
    this.#assertCanTrade();
    this.#assertHasKey();
    const client = this.deps.session.client;
    if (
      args !== undefined &&
      args !== null &&
      (typeof args !== 'object' || (args.symbol !== undefined && typeof args.symbol !== 'string'))
    ) {
      throw new OrderCheckError('Cancel all needs a symbol string, e.g. { symbol: "BTCUSDT" }. Nothing was sent.');
    }
    let symbol = args?.symbol;
    if (!symbol) {
      const bySymbol = new Map<string, number>();
      for (const o of await client.openOrders()) bySymbol.set(o.symbol, (bySymbol.get(o.symbol) ?? 0) + 1);
      if (bySymbol.size === 0) {
        void this.deps.prompter.current.showInformationMessage(
          `There are no open orders on ${client.environment.label}.`,
          {},
        );
        return undefined;
      }
      symbol = required(
        await this.deps.prompter.current.showQuickPick(
          [...bySymbol].map(([s, n]) => ({ label: s, description: `${n} open`, symbol: s })),
          { title: 'Cancel all open orders on symbol' },
        ),
      ).symbol;
    }
    const count = this.deps.orders.openOrders.filter((o) => o.symbol === symbol).length;
    await this.#confirm(
      `Cancel all${count ? ` ${count}` : ''} open ${symbol} orders on ${client.environment.label}?`,
      // Not "Cancel All": VS Code adds its own "Cancel" (close the dialog, keep the orders) beside it.
      CANCEL_ALL_BUTTON,
    );
    this.#assertCanTrade(client.environment);
    const bySymbol = symbol;
    const canceled = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Cancelling all open ${symbol} orders…` },
      () => client.cancelAllOpenOrders(bySymbol),
    );
    void this.deps.prompter.current.showInformationMessage(
      `Canceled ${canceled.length} ${symbol} order${canceled.length === 1 ? '' : 's'}.`,
      {},
    );
    void this.deps.refreshAll();
    return canceled;
  }

  /** Adds a symbol to the Orders view so its history and trades can be expanded. */
  async showHistory(args?: { symbol?: string }): Promise<void> {
    const client = this.deps.session.client;
    const symbol =
      args?.symbol ??
      required(
        await this.deps.prompter.current.showQuickPick(
          (await this.deps.catalog.symbols(client))
            .sort((a, b) => a.symbol.localeCompare(b.symbol))
            .map((s) => ({ label: s.symbol, description: `${s.baseAsset} / ${s.quoteAsset}` })),
          { title: 'Show order history for symbol', placeHolder: 'Type to search', matchOnDescription: true },
        ),
      ).label;
    await this.deps.orders.watchSymbol(symbol);
    await vscode.commands.executeCommand('testnetDesk.orders.focus');
  }

  async copyId(node?: OrdersNode): Promise<void> {
    if (node?.kind !== 'order') return;
    await this.deps.prompter.current.writeClipboard(String(node.order.orderId));
  }

  async #checkFilters(
    params: NewOrderParams,
    info: SymbolInfo,
    lastPrice: string | undefined,
    acceptCorrection?: boolean,
  ): Promise<NewOrderParams> {
    let current = params;
    const openOrderCount = this.deps.orders.openOrders.filter((o) => o.symbol === info.symbol).length;
    for (let round = 0; round < 3; round++) {
      const check = validateOrder(current, info, { referencePrice: lastPrice, openOrderCount });
      for (const s of check.skipped) this.deps.log.debug(`Filter check: ${s}`);
      if (check.ok) return current;
      const problems = check.violations.map((v) => `${v.filter}: ${v.message}`);
      this.deps.log.info(`Order checked against ${info.symbol} filters before sending:\n  ${problems.join('\n  ')}`);
      const corrected = check.corrected;
      if (!corrected)
        throw new OrderCheckError(`The order breaks the ${info.symbol} rules and was not sent. ${problems.join(' ')}`);
      if (!acceptCorrection) {
        const pick = await this.deps.prompter.current.showQuickPick(
          [
            {
              label: `Use ${describeParams(corrected)}`,
              iconPath: new vscode.ThemeIcon('wand'),
              description: 'corrected to satisfy the filters',
              use: true,
            },
            {
              label: 'Do not send the order',
              iconPath: new vscode.ThemeIcon('close'),
              description: 'nothing is sent',
              use: false,
            },
          ],
          {
            title: `Not sent: ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`,
            placeHolder: problems.join(' · '),
          },
        );
        if (!pick?.use) throw new UserCancelled();
      }
      current = corrected;
    }
    throw new OrderCheckError('The order could not be corrected to satisfy the symbol filters. Nothing was sent.');
  }

  async #report(
    result: PlaceOrderResult,
    params: NewOrderParams,
    environment: Environment,
  ): Promise<PlaceOrderSummary> {
    const ui = this.deps.prompter.current;
    const env = environment.label;
    const what = describeParams(params);
    const summary: PlaceOrderSummary = { outcome: result.outcome, clientOrderId: result.clientOrderId, params };
    let orderId: number | undefined;
    switch (result.outcome) {
      case 'accepted':
        orderId = result.response.orderId;
        this.deps.log.info(
          `Order placed on ${env}: ${what}, id ${orderId}, status ${result.response.status ?? 'NEW'}.`,
        );
        this.#offerReveal(
          ui.showInformationMessage(
            `Order placed on ${env}: ${what} (${result.response.status ?? 'NEW'}, id ${orderId}).`,
            {},
            'Show in Orders',
          ),
          params.symbol,
          orderId,
        );
        break;
      case 'reconciled':
        orderId = result.order.orderId;
        this.deps.log.warn(
          `Order outcome was unclear, then found by client id ${result.clientOrderId}: status ${result.order.status}.`,
        );
        this.#offerReveal(
          ui.showWarningMessage(
            `The exchange did not confirm in time, but the order was found: ${what} is ${result.order.status} (id ${orderId}). It was sent once and not re-sent.`,
            {},
            'Show in Orders',
          ),
          params.symbol,
          orderId,
        );
        break;
      case 'not-placed':
        this.deps.log.warn(`Order not placed: ${result.reason}`);
        void ui.showWarningMessage(
          `The order was NOT placed: ${result.reason} You can place it again if you still want it.`,
          {},
        );
        break;
      case 'unknown':
        this.deps.log.error(`Order outcome unknown: ${result.reason}`);
        void ui
          .showErrorMessage(
            `The outcome of ${what} is UNKNOWN: ${result.reason} It was not re-sent.`,
            {},
            'Show Orders',
            'Show Log',
          )
          .then((choice) => {
            if (choice === 'Show Orders') void vscode.commands.executeCommand('testnetDesk.orders.focus');
            if (choice === 'Show Log') this.deps.log.show(true);
          });
        break;
    }
    if (orderId !== undefined) summary.orderId = orderId;
    await this.deps.orders.watchSymbol(params.symbol);
    void this.deps.refreshAll();
    return summary;
  }

  #offerReveal(choice: Thenable<string | undefined>, symbol: string, orderId: number): void {
    void choice
      .then(async (picked) => {
        if (picked !== 'Show in Orders') return;
        await vscode.commands.executeCommand('testnetDesk.orders.focus');
        await this.deps.orders.refresh();
        if (!(await this.deps.tree.revealOrder(symbol, orderId)))
          this.deps.log.warn(`Order ${orderId} is not in the Orders view yet; refresh it in a moment.`);
      })
      .then(undefined, (error: unknown) =>
        this.deps.log.warn(
          `Could not show order ${orderId}: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }

  async #lastPrice(client: ExchangeClient, symbol: string): Promise<string | undefined> {
    try {
      const [ticker] = await client.tickerPrices([symbol]);
      return ticker?.price;
    } catch (error) {
      this.deps.log.warn(`No last price for ${symbol}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  async #confirmLive(params: NewOrderParams): Promise<void> {
    if (!(await confirmLiveOrder(this.deps.prompter.current, params))) throw new UserCancelled();
  }

  async #confirm(message: string, action: string, detail?: string): Promise<void> {
    const answer = await this.deps.prompter.current.showWarningMessage(message, { modal: true, detail }, action);
    if (answer !== action) throw new UserCancelled();
  }

  /**
   * Without a key nothing can be placed or cancelled: say so before asking the user anything or
   * loading symbols, prices or orders from that environment.
   */
  #assertHasKey(): void {
    if (!this.deps.session.hasKey)
      throw new NoCredentialError(this.deps.session.environment.label, this.deps.session.environment.keyManagementUrl);
  }

  #assertCanTrade(env: Environment = this.deps.session.environment): void {
    if (!this.deps.environments.canTrade(env)) {
      throw new Error(
        `${env.label} is read-only. Trading on Live needs the user setting "testnetDesk.live.allowTrading".`,
      );
    }
  }
}

export class OrderCheckError extends Error {
  override readonly name = 'OrderCheckError';
}

/**
 * "BUY LIMIT 0.001 BTCUSDT @ 57,000 GTC", numbers written like the views write them. (The Live
 * confirmation's detail lists the exact values sent instead.)
 */
function describeParams(p: NewOrderParams): string {
  const price = p.type === 'MARKET' || p.price === undefined ? '' : ` @ ${formatAmount(p.price)}`;
  const tif = p.timeInForce ? ` ${p.timeInForce}` : '';
  const amount =
    p.quantity !== undefined ? formatAmount(p.quantity) : `for ${formatAmount(p.quoteOrderQty ?? '0')} quote`;
  return `${p.side} ${p.type} ${amount} ${p.symbol}${price}${tif}`;
}

function typeDescription(type: OrderType): string {
  switch (type) {
    case 'LIMIT':
      return 'at your price or better';
    case 'MARKET':
      return 'now, at the best available price';
    case 'LIMIT_MAKER':
      return 'post-only: rejected if it would trade immediately';
    default:
      return '';
  }
}

/**
 * Programmatic args are untyped at run time: each given field must have the shape the prompts would
 * produce, else a message names the field (instead of a TypeError deep inside) and nothing is sent.
 */
function checkPlaceArgs(args: unknown): PlaceOrderArgs {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object')
    throw new OrderCheckError(
      'The order arguments must be an object such as { symbol, side, type, quantity, price }. Nothing was sent.',
    );
  const a = args as Record<string, unknown>;
  const oneOf = (field: string, allowed: readonly string[]): void => {
    if (a[field] !== undefined && !allowed.includes(a[field] as string)) {
      throw new OrderCheckError(
        `${field} must be one of ${allowed.join(', ')}; got ${JSON.stringify(a[field])}. Nothing was sent.`,
      );
    }
  };
  for (const field of ['symbol', 'quantity', 'price'] as const) {
    if (a[field] !== undefined && typeof a[field] !== 'string') {
      throw new OrderCheckError(
        `${field} must be a string${field === 'symbol' ? ' such as "BTCUSDT"' : ' of plain decimal digits such as "0.001" (numbers lose precision)'}; got ${JSON.stringify(a[field])}. Nothing was sent.`,
      );
    }
  }
  oneOf('side', ['BUY', 'SELL']);
  oneOf('type', TYPES);
  oneOf('timeInForce', ['GTC', 'IOC', 'FOK']);
  oneOf('dryRun', ['none', 'test-first', 'test-only']);
  if (a.acceptCorrection !== undefined && typeof a.acceptCorrection !== 'boolean')
    throw new OrderCheckError('acceptCorrection must be true or false. Nothing was sent.');
  return a as PlaceOrderArgs;
}

function normalizeInput(text: string): string {
  return normalize(text.trim());
}

function isSymbolNode(value: unknown): value is SymbolNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'symbol';
}
