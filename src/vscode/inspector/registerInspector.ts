import * as vscode from 'vscode';
import { activityDescription, activityLabel, type ActivityList } from '../../app/inspector/activity';
import type { RequestList } from '../../app/inspector/requestList';
import { SandboxRequestFeed } from '../../app/inspector/sandboxRequestFeed';
import type { ExchangeSession } from '../../app/session';
import type { CommandRegistry } from '../shared/commandRegistry';
import { ViewIds } from '../shared/contextKeys';
import type { ShowableLog } from '../shared/log';
import { required, type PrompterHolder } from '../shared/prompter';
import { ActivityProvider } from './activityProvider';
import { OPEN_REQUEST_COMMAND, requestDocument, RequestsProvider } from './requestsProvider';

export interface InspectorDeps {
  list: RequestList;
  activity: ActivityList;
  /** The testnetDesk.activity.notifyFills setting. */
  notifyFills: () => boolean;
  session: Pick<ExchangeSession, 'environment' | 'onDidChangeIdentity'>;
  prompter: PrompterHolder;
  log: ShowableLog;
  commands: CommandRegistry;
}

const SCHEME = 'testnet-desk-request';

/**
 * The Requests view: on a local sandbox, every request of every client with the sandbox's own
 * diagnosis (followed live from its request feed while the view is shown); on Spot Testnet, Demo and Live, the extension's
 * own requests. Filter by failures, client and endpoint; a row opens as read-only JSON.
 */
export function registerInspector(context: vscode.ExtensionContext, deps: InspectorDeps): RequestsProvider {
  const { list, session, commands } = deps;
  const provider = new RequestsProvider(list);
  const view = vscode.window.createTreeView(ViewIds.requests, { treeDataProvider: provider });
  const activity = new ActivityProvider(deps.activity);
  const activityView = vscode.window.createTreeView(ViewIds.activity, { treeDataProvider: activity });
  const showFilter = (): void => {
    const f = list.filter;
    const parts = [f.failuresOnly ? 'failures' : undefined, f.client, f.endpoint].filter((p) => p !== undefined);
    view.description = parts.length > 0 ? `filtered: ${parts.join(', ')}` : undefined;
  };

  // The sandbox is asked only while the view is shown: nothing reaches an environment in the
  // background that no view needs (the isolation tests count every request).
  let feed: SandboxRequestFeed | undefined;
  const follow = (): void => {
    feed?.stop();
    feed = undefined;
    const environment = session.environment;
    if (environment.kind !== 'local' || !view.visible) return;
    feed = new SandboxRequestFeed({
      baseUrl: environment.restBaseUrl,
      environment: environment.label,
      list,
      log: (line) => deps.log.debug(line),
    });
    feed.start();
  };
  follow();

  context.subscriptions.push(
    provider,
    view,
    activity,
    activityView,
    deps.activity.onFill((entry) => {
      if (deps.notifyFills())
        void deps.prompter.current.showInformationMessage(
          `Filled on ${entry.environment}: ${activityLabel(entry)} ${activityDescription(entry)}.`,
          {},
        );
    }),
    session.onDidChangeIdentity(follow),
    view.onDidChangeVisibility(follow),
    list.onDidChange(showFilter),
    { dispose: () => feed?.stop() },
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      provideTextDocumentContent: (uri) => {
        const request = list.get(uri.query);
        return request
          ? requestDocument(request)
          : '// This request is no longer in the list (only the newest 500 are kept).\n';
      },
    }),
  );

  commands.register(
    OPEN_REQUEST_COMMAND,
    async (key: unknown) => {
      if (typeof key !== 'string') return;
      const request = list.get(key);
      if (!request) return;
      // The tab reads "openOrders -1022.json" (its path shows /api/v3); the query finds the request.
      const name = `${request.path ?? `/ws/${request.method}`} ${request.code ?? request.status}.json`;
      const uri = vscode.Uri.from({ scheme: SCHEME, path: name, query: key });
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(document, 'json');
      await vscode.window.showTextDocument(document, { preview: true });
    },
    'Showing the request',
  );
  commands.register(
    'testnetDesk.requests.filter',
    async () => {
      const current = list.filter;
      const picks: (vscode.QuickPickItem & { apply: () => void })[] = [
        { label: 'All requests', apply: () => (list.filter = {}) },
        { label: 'Failures only', apply: () => (list.filter = { ...current, failuresOnly: true }) },
        ...list.clients().map((client) => ({
          label: `Client: ${client}`,
          apply: () => (list.filter = { ...current, client }),
        })),
        ...[...new Set(list.visible().map((r) => r.path ?? r.method))].sort().map((endpoint) => ({
          label: `Endpoint: ${endpoint}`,
          apply: () => (list.filter = { ...current, endpoint }),
        })),
      ];
      required(await deps.prompter.current.showQuickPick(picks, { title: 'Show which requests?' })).apply();
    },
    'Filtering the requests',
  );
  commands.register('testnetDesk.requests.clear', () => list.clear(), 'Clearing the requests');
  commands.register('testnetDesk.activity.clear', () => deps.activity.clear(), 'Clearing the activity');
  return provider;
}
