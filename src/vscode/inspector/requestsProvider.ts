/**
 * The Requests view: renders the RequestList, newest first. A failure reads as its diagnosis in one
 * line (the tooltip adds the fix); opening a row shows the request and the answer as JSON.
 */
import * as vscode from 'vscode';
import type { InspectedRequest } from '../../app/inspector/inspectedRequest';
import type { RequestList } from '../../app/inspector/requestList';

export const OPEN_REQUEST_COMMAND = 'testnetDesk.requests.open';

export class RequestsProvider implements vscode.TreeDataProvider<InspectedRequest>, vscode.Disposable {
  readonly #changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.#changed.event;
  readonly #subscription: { dispose(): void };

  constructor(private readonly list: RequestList) {
    this.#subscription = list.onDidChange(() => this.#changed.fire());
  }

  getChildren(element?: InspectedRequest): InspectedRequest[] {
    return element ? [] : this.list.visible();
  }

  getTreeItem(request: InspectedRequest): vscode.TreeItem {
    const item = new vscode.TreeItem(requestLabel(request));
    item.id = request.key;
    item.description = requestDescription(request);
    item.iconPath = new vscode.ThemeIcon(
      request.status === 200 ? 'pass' : 'error',
      new vscode.ThemeColor(request.status === 200 ? 'testing.iconPassed' : 'testing.iconFailed'),
    );
    item.tooltip = requestTooltip(request);
    item.accessibilityInformation = { label: `${requestLabel(request)}: ${requestDescription(request)}` };
    item.contextValue = request.status === 200 ? 'request' : 'request:failed';
    item.command = { command: OPEN_REQUEST_COMMAND, title: 'Show Request', arguments: [request.key] };
    return item;
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#changed.dispose();
  }
}

export function requestLabel(r: InspectedRequest): string {
  return r.transport === 'ws' ? `WS ${r.method}` : `${r.method} ${r.path ?? ''}`;
}

/** "200 · 3 ms · 127.0.0.1:53211", or for a failure "-1022 · The signature's '+' … (vmPU…1a2b)". */
export function requestDescription(r: InspectedRequest): string {
  const who = r.apiKey ?? r.client;
  if (r.status === 200) return `${r.status} · ${r.latencyMs} ms · ${who} · ${r.environment}`;
  const code = r.code !== undefined ? String(r.code) : r.status === 0 ? 'no answer' : String(r.status);
  return `${code} · ${r.diagnosis?.cause ?? r.msg ?? 'failed'} · ${who}`;
}

function requestTooltip(r: InspectedRequest): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.appendText(`${requestLabel(r)} → ${r.status}${r.code !== undefined ? ` (${r.code} ${r.msg ?? ''})` : ''}\n`);
  md.appendText(
    `${new Date(r.time).toISOString()} · ${r.latencyMs} ms · ${r.client}${r.apiKey ? ` · key ${r.apiKey}` : ''} · ${r.environment}\n`,
  );
  if (r.diagnosis) {
    md.appendMarkdown('\n**Why:** ');
    md.appendText(r.diagnosis.cause);
    md.appendMarkdown('\n\n**Fix:** ');
    md.appendText(r.diagnosis.fix);
  }
  return md;
}

/** The request and its answer as a JSON document (what opening a row shows). */
export function requestDocument(r: InspectedRequest): string {
  const request = {
    environment: r.environment,
    time: new Date(r.time).toISOString(),
    client: r.client,
    ...(r.apiKey ? { apiKey: r.apiKey } : {}),
    transport: r.transport,
    method: r.method,
    ...(r.path ? { path: r.path } : {}),
    ...(r.params ? { params: r.params } : {}),
  };
  const response = {
    status: r.status,
    ...(r.code !== undefined ? { code: r.code, msg: r.msg } : {}),
    ...(r.weight !== undefined ? { weight: r.weight } : {}),
    latencyMs: r.latencyMs,
  };
  return `${JSON.stringify({ request, response, ...(r.diagnosis ? { diagnosis: r.diagnosis } : {}) }, null, 2)}\n`;
}
