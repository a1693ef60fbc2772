/**
 * A deterministic background market maker: its own funded account keeps LEVELS resting LIMIT_MAKER
 * bids and asks around each symbol's seed price (fixed spacing, fixed size), so MARKET orders fill.
 * Consumed levels are re-posted on a short unref'd timer; it never takes liquidity.
 */
import { ceilToStep, dec, div, Dec, floorToStep, fmt, mul, ONE } from './decimal';
import { Engine } from './engine';

const LEVELS = 5;
/** Distance between levels as a fraction of the seed price (0.1 %). */
const SPACING = dec('0.001');
/** Each level is worth this many times the symbol's minimum notional. */
const LEVEL_NOTIONAL_MULTIPLE = 20_000n;
const REFRESH_MS = 200;
/** Its account's name, by which a restored state's market maker account is found again. */
const MARKET_MAKER_ACCOUNT = 'market-maker';

interface Level {
  symbol: string;
  side: 'BUY' | 'SELL';
  price: Dec;
  qty: Dec;
  orderId?: number;
  posted: number;
}

export class MarketMaker {
  private readonly levels: Level[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly funding: Record<string, string>;
  private account = 0;

  constructor(private readonly engine: Engine) {
    const balances = new Map<string, Dec>();
    for (const config of engine.symbols()) {
      const ref = dec(config.price);
      const tick = dec(config.tickSize);
      const step = dec(config.stepSize);
      const notional = dec(config.minNotional) * LEVEL_NOTIONAL_MULTIPLE;
      for (let i = 1; i <= LEVELS; i++) {
        const offset = mul(ref, SPACING * BigInt(i));
        const bid = floorToStep(ref - offset, tick);
        const ask = ceilToStep(ref + offset, tick);
        for (const [side, price] of [
          ['BUY', bid],
          ['SELL', ask],
        ] as const) {
          if (price <= 0n) continue;
          const qty = floorToStep(div(notional, price), step);
          if (qty <= 0n) continue;
          this.levels.push({ symbol: config.symbol, side, price, qty, posted: 0 });
          // Enough for ten full refills of every level.
          const asset = side === 'BUY' ? config.quoteAsset : config.baseAsset;
          const need = side === 'BUY' ? mul(price, qty) * 11n : qty * 11n;
          balances.set(asset, (balances.get(asset) ?? 0n) + need + ONE);
        }
      }
    }
    // fromEntries defines own properties, so even an asset named `__proto__` in a seed file is kept.
    this.funding = Object.fromEntries([...balances].map(([asset, amount]) => [asset, fmt(amount)]));
  }

  get accountId(): number {
    return this.account;
  }

  /**
   * Finds its account (by name, in a restored or imported state) or creates and funds it, and takes
   * over the levels its resting orders already hold, so a restart does not post them twice.
   */
  bind(): void {
    const existing = this.engine.allAccounts().find((a) => a.name === MARKET_MAKER_ACCOUNT);
    this.account = existing?.id ?? this.engine.createAccount(MARKET_MAKER_ACCOUNT, this.funding).id;
    const resting = new Map<string, number>();
    for (const order of this.engine.openOrders(this.account))
      resting.set(`${order.symbol} ${order.side} ${order.price}`, order.orderId);
    for (const level of this.levels) level.orderId = resting.get(`${level.symbol} ${level.side} ${level.price}`);
  }

  start(): void {
    this.refresh();
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Re-posts every level whose order is no longer resting. Never throws. */
  refresh(): void {
    for (const level of this.levels) {
      if (level.orderId !== undefined) {
        const order = this.engine.findOrderOrUndefined(this.accountId, level.symbol, { orderId: level.orderId });
        if (order?.onBook) continue;
      }
      try {
        const { order } = this.engine.placeOrder(this.accountId, {
          symbol: level.symbol,
          side: level.side,
          type: 'LIMIT_MAKER',
          quantity: level.qty,
          price: level.price,
          newClientOrderId: `mm-${level.side}-${fmt(level.price)}-${++level.posted}`,
        });
        level.orderId = order.orderId;
      } catch {
        // Would take (someone's order crosses this level), out of funds or filters moved: skip this round.
        level.orderId = undefined;
      }
    }
  }
}
