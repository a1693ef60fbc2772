import * as vscode from 'vscode';
import type { AccountModel } from '../../app/account/accountModel';
import type { ExchangeSession } from '../../app/session';
import { SymbolCatalog } from '../../app/symbolCatalog';
import type { MarketClientFactory } from '../../webview/market/host/marketSession';
import type { EnvironmentService } from '../environment/environmentService';
import type { CommandRegistry } from '../shared/commandRegistry';
import { confirmLiveOrder } from '../shared/liveConfirmation';
import type { ShowableLog } from '../shared/log';
import { required, type PrompterHolder } from '../shared/prompter';
import { MARKET_VIEW_TYPE, MarketPanels } from './marketPanels';

export interface MarketDeps {
  session: ExchangeSession;
  environments: Pick<EnvironmentService, 'canTrade'>;
  model: Pick<AccountModel, 'onDidChange'>;
  clients: MarketClientFactory;
  prompter: PrompterHolder;
  log: ShowableLog;
  commands: CommandRegistry;
}

const SYMBOL = /^[A-Z0-9]{2,20}$/;
/** Account changes come in bursts (an order's NEW, its fills, the balances): one refresh per burst. */
const ACCOUNT_REFRESH_DELAY_MS = 250;

/**
 * The market panel: `Binance: Open Market Panel…` (a symbol argument, or a pick from the exchange's
 * symbols) opens one panel per symbol on the active environment; panels follow an environment or
 * key change, refresh their orders and fills on every account change, and come back after a reload.
 */
export function registerMarket(context: vscode.ExtensionContext, deps: MarketDeps): MarketPanels {
  const { session } = deps;
  const panels = new MarketPanels({
    extensionUri: context.extensionUri,
    clients: deps.clients,
    active: () => ({
      environment: session.environment,
      hasKey: session.hasKey,
      canTrade: deps.environments.canTrade(session.environment),
    }),
    credential: () => session.credential,
    confirmLive: (params) => confirmLiveOrder(deps.prompter.current, params),
    log: (line) => deps.log.warn(line),
  });
  let refreshTimer: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    panels,
    session.onDidChangeIdentity(() => panels.repoint()),
    deps.model.onDidChange(() => {
      if (refreshTimer) return;
      refreshTimer = setTimeout(() => {
        refreshTimer = undefined;
        panels.refreshAccounts();
      }, ACCOUNT_REFRESH_DELAY_MS);
    }),
    { dispose: () => clearTimeout(refreshTimer) },
    vscode.window.registerWebviewPanelSerializer(MARKET_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const symbol = (state as { symbol?: unknown } | undefined)?.symbol;
        if (typeof symbol === 'string' && SYMBOL.test(symbol)) panels.adopt(panel, symbol);
        else panel.dispose(); // a page that never got its snapshot: nothing to restore
      },
    }),
  );

  const catalog = new SymbolCatalog();
  deps.commands.register(
    'testnetDesk.market.open',
    async (args?: { symbol?: string }) => {
      const symbol = args?.symbol?.trim().toUpperCase() ?? (await pickSymbol(deps, catalog));
      if (!SYMBOL.test(symbol))
        throw new Error(`"${symbol}" is not a symbol: use the exchange's name in capitals, e.g. BTCUSDT.`);
      panels.open(symbol);
      return { symbol };
    },
    'Opening the market panel',
    { retryable: true },
  );
  return panels;
}

async function pickSymbol(deps: MarketDeps, catalog: SymbolCatalog): Promise<string> {
  const symbols = catalog.symbols(deps.session.client);
  const pick = required(
    await deps.prompter.current.showQuickPick(
      symbols.then((list) =>
        list
          .filter((s) => s.status === 'TRADING')
          .map((s) => ({ label: s.symbol, description: `${s.baseAsset} / ${s.quoteAsset}` })),
      ),
      {
        title: `Market panel · ${deps.session.environment.label}`,
        placeHolder: 'Symbol, e.g. BTCUSDT',
        matchOnDescription: true,
      },
    ),
  );
  return pick.label;
}
