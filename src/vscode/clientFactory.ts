import type * as vscode from 'vscode';
import { SpotClient } from '../core/client';
import { FetchTransport } from '../core/fetchTransport';
import { ClientFactory } from './exchange';
import { formatRequestLog } from './requestLog';
import { Settings } from './settings';

/**
 * Builds real SpotClients over node-fetch. Each request is logged from onRequest (method, path,
 * status, weight, latency; the client never passes a query string, key or signature).
 */
export function createClientFactory(log: vscode.LogOutputChannel, settings: () => Settings): ClientFactory {
  const transport = new FetchTransport();
  return (environment, credential) =>
    new SpotClient({
      environment,
      transport,
      credential,
      recvWindow: settings().recvWindow,
      onRequest: (entry) => log.info(formatRequestLog(entry, environment.label)),
    });
}
