/**
 * The guided Place Order questions as steps: symbol, side, type, quantity, then the price unless
 * MARKET and the time in force for LIMIT. Each value is checked where it is typed
 * (app/orderStepChecks), the counter counts the steps this order really has ("1/4–6" until the
 * type says which), Back returns to the previous step with its answer kept, and a value given by
 * the caller is not asked.
 */
import * as vscode from 'vscode';
import type { OrderSide, OrderType, SymbolInfo, TimeInForce } from '../../core/api';
import { normalize } from '../../core/decimal';
import { formatAmount } from '../../app/format';
import { priceStepProblem, quantityStepProblem } from '../../app/orderStepChecks';
import { BACK, inputStep, pickStep, UserCancelled, type Prompter } from '../shared/prompter';

export type StepName = 'symbol' | 'side' | 'type' | 'quantity' | 'price' | 'timeInForce';

export interface OrderAnswers {
  info?: SymbolInfo;
  side?: OrderSide;
  type?: OrderType;
  quantity?: string;
  price?: string;
  timeInForce?: TimeInForce;
}

export interface StepsContext {
  prompter: Prompter;
  environmentLabel: string;
  /** The symbols to pick from (already loaded). */
  symbols: readonly SymbolInfo[];
  types: (info: SymbolInfo) => OrderType[];
  describeType: (type: OrderType) => string;
  /** The last price of a symbol on the order's environment (read once per symbol). */
  lastPrice: (symbol: string) => Promise<string | undefined>;
  openOrderCount: (symbol: string) => number;
}

/** The steps an order of `type` has (all possible ones while the type is not chosen). */
export function stepsOf(type: OrderType | undefined): StepName[] {
  const steps: StepName[] = ['symbol', 'side', 'type', 'quantity'];
  if (type === undefined || type !== 'MARKET') steps.push('price');
  if (type === undefined || type === 'LIMIT') steps.push('timeInForce');
  return steps;
}

/** Asks every step `given` lacks; resolves with all answers and the symbol's last price. */
export async function askOrder(
  context: StepsContext,
  given: OrderAnswers,
): Promise<
  Required<Pick<OrderAnswers, 'info' | 'side' | 'type' | 'quantity'>> & OrderAnswers & { lastPrice?: string }
> {
  const answers: OrderAnswers = { ...given };
  const asked = (type: OrderType | undefined): StepName[] => stepsOf(type).filter((s) => given[keyOf(s)] === undefined);
  const prices = new Map<string, Promise<string | undefined>>();
  const lastPrice = (symbol: string): Promise<string | undefined> => {
    if (!prices.has(symbol)) prices.set(symbol, context.lastPrice(symbol));
    return prices.get(symbol)!;
  };
  let index = 0;
  for (;;) {
    const steps = asked(answers.type);
    if (index >= steps.length) break;
    // Until the type step is behind, the type (and so the number of steps) may still change.
    const typeDecided = steps.indexOf('type') < index;
    const counter = stepCounter(index, typeDecided ? answers.type : undefined, asked);
    const result = await askStep(steps[index], counter, index > 0, answers, context, lastPrice);
    if (result === BACK) {
      index = Math.max(0, index - 1);
      continue;
    }
    if (result === undefined) throw new UserCancelled();
    index++;
  }
  const { info, side, type, quantity } = answers;
  if (!info || !side || !type || quantity === undefined) throw new UserCancelled();
  return { ...answers, info, side, type, quantity, lastPrice: await lastPrice(info.symbol) };
}

function keyOf(step: StepName): keyof OrderAnswers {
  return step === 'symbol' ? 'info' : step;
}

/** "2/5" once the type is known; before, "2/4–6" (MARKET has no price, only LIMIT a time in force). */
function stepCounter(
  index: number,
  type: OrderType | undefined,
  asked: (t: OrderType | undefined) => StepName[],
): string {
  if (type !== undefined) return `${index + 1}/${asked(type).length}`;
  const fewest = asked('MARKET').length;
  const most = asked('LIMIT').length;
  return fewest === most ? `${index + 1}/${most}` : `${index + 1}/${fewest}–${most}`;
}

/** Asks one step and stores its answer; resolves BACK, undefined (dismissed) or true. */
async function askStep(
  step: StepName,
  counter: string,
  canGoBack: boolean,
  answers: OrderAnswers,
  context: StepsContext,
  lastPrice: (symbol: string) => Promise<string | undefined>,
): Promise<true | typeof BACK | undefined> {
  const { prompter } = context;
  const info = answers.info;
  const stored = <T>(value: T | typeof BACK | undefined, store: (v: T) => void): true | typeof BACK | undefined => {
    if (value === BACK) return BACK;
    if (value === undefined) return undefined;
    store(value as T);
    return true;
  };
  switch (step) {
    case 'symbol': {
      const pick = await pickStep(
        prompter,
        context.symbols
          .filter((s) => s.status === 'TRADING')
          .sort((a, b) => a.symbol.localeCompare(b.symbol))
          .map((s) => ({ label: s.symbol, description: `${s.baseAsset} / ${s.quoteAsset}`, info: s })),
        {
          title: `Place order on ${context.environmentLabel}: symbol (${counter})`,
          placeHolder: 'Type to search, e.g. BTCUSDT',
          matchOnDescription: true,
        },
        canGoBack,
      );
      return stored(pick, (p) => {
        if (answers.info?.symbol !== p.info.symbol) answers.price = undefined; // another market, another price
        answers.info = p.info;
      });
    }
    case 'side': {
      const pick = await pickStep(
        prompter,
        [
          {
            label: 'BUY',
            iconPath: new vscode.ThemeIcon('arrow-down'),
            description: `spend ${info!.quoteAsset}, get ${info!.baseAsset}`,
            side: 'BUY' as const,
          },
          {
            label: 'SELL',
            iconPath: new vscode.ThemeIcon('arrow-up'),
            description: `spend ${info!.baseAsset}, get ${info!.quoteAsset}`,
            side: 'SELL' as const,
          },
        ],
        { title: `${info!.symbol}: side (${counter})` },
        canGoBack,
      );
      return stored(pick, (p) => (answers.side = p.side));
    }
    case 'type': {
      const pick = await pickStep(
        prompter,
        context.types(info!).map((t) => ({ label: t, description: context.describeType(t), type: t })),
        { title: `${info!.symbol} ${answers.side}: order type (${counter})` },
        canGoBack,
      );
      return stored(pick, (p) => (answers.type = p.type));
    }
    case 'quantity': {
      const last = await lastPrice(info!.symbol);
      const draft = { info: info!, side: answers.side!, type: answers.type! };
      const value = await inputStep(
        prompter,
        {
          title: `${info!.symbol} ${answers.side} ${answers.type}: quantity in ${info!.baseAsset} (${counter})`,
          prompt: last ? `Last price ${formatAmount(last)} ${info!.quoteAsset}` : undefined,
          value: answers.quantity,
          placeHolder: 'e.g. 0.001',
          ignoreFocusOut: true,
          validateInput: (v) =>
            quantityStepProblem(v, draft, { lastPrice: last, openOrderCount: context.openOrderCount(info!.symbol) }),
        },
        canGoBack,
      );
      return stored(value, (v) => (answers.quantity = normalize(v.trim())));
    }
    case 'price': {
      const last = await lastPrice(info!.symbol);
      const draft = { info: info!, side: answers.side!, type: answers.type!, quantity: answers.quantity };
      const value = await inputStep(
        prompter,
        {
          title: `${info!.symbol} ${answers.side} ${answers.type}: price in ${info!.quoteAsset} (${counter})`,
          // Editable text, not display text: a plain decimal ("60,000" would not parse).
          value: answers.price ?? (last ? normalize(last) : undefined),
          prompt: last ? 'Prefilled with the last price on this environment.' : undefined,
          ignoreFocusOut: true,
          validateInput: (v) =>
            priceStepProblem(v, draft, { lastPrice: last, openOrderCount: context.openOrderCount(info!.symbol) }),
        },
        canGoBack,
      );
      return stored(value, (v) => (answers.price = normalize(v.trim())));
    }
    case 'timeInForce': {
      const pick = await pickStep(
        prompter,
        [
          { label: 'GTC', description: 'Good til canceled', tif: 'GTC' as const },
          { label: 'IOC', description: 'Immediate or cancel (the rest is canceled)', tif: 'IOC' as const },
          { label: 'FOK', description: 'Fill or kill (all at once or nothing)', tif: 'FOK' as const },
        ],
        { title: `${info!.symbol} ${answers.side} LIMIT: time in force (${counter})` },
        canGoBack,
      );
      return stored(pick, (p) => (answers.timeInForce = p.tif));
    }
  }
}
