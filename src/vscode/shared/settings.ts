import * as vscode from 'vscode';
import { DEFAULT_SANDBOX_PORT } from '../../app/sandbox/protocol';

/** Every setting the extension reads, with its default. The manifest declares the same keys. */
export const SETTINGS_SECTION = 'testnetDesk';

export interface Settings {
  /** Whether the Live environment may be selected at all. Application scope: a workspace cannot turn it on. */
  liveEnabled: boolean;
  /** Whether orders may be placed or cancelled on Live. Application scope. */
  liveAllowTrading: boolean;
  /** Asset used to value balances ("" = no valuation). */
  valuationAsset: string;
  /** Milliseconds; sent as recvWindow on signed requests. */
  recvWindow: number;
  /** Seconds between fallback polls while a view is visible and no live stream is connected (0 = never). */
  pollSeconds: number;
  /** Whether to subscribe to the WebSocket API user data stream. */
  liveUpdates: boolean;
  /** The 127.0.0.1 port the local sandbox starts on (0 = any free port). Machine scope. */
  sandboxPort: number;
  /** Closed orders and trades the local sandbox keeps (each); applied at its next start. Machine scope. */
  sandboxKeepHistory: number;
  /** A notification for each fill of the account's orders (the Activity feed). */
  notifyFills: boolean;
}

/** The sandbox's own retention default (src/sandbox/engine/retention.ts): 100,000 closed orders and trades. */
const DEFAULT_KEEP_HISTORY = 100_000;

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  // settings.json can hold any JSON type whatever the schema says: the string "false" must not turn
  // Live on, and a non-number must not become NaN (a NaN recvWindow would fail every client build).
  const flag = (key: string, fallback: boolean): boolean => {
    const value = config.get<unknown>(key, fallback);
    return typeof value === 'boolean' ? value : fallback;
  };
  const number = (key: string, fallback: number): number => {
    const value = config.get<unknown>(key, fallback);
    return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  };
  const text = (key: string, fallback: string): string => {
    const value = config.get<unknown>(key, fallback);
    return typeof value === 'string' ? value : fallback;
  };
  return {
    // Safety switches: only the boolean true enables them.
    liveEnabled: flag('live.enabled', false),
    liveAllowTrading: flag('live.allowTrading', false),
    valuationAsset: text('balances.valuationAsset', 'USDT').trim().toUpperCase(),
    recvWindow: clamp(number('recvWindow', 5000), 1, 60_000),
    pollSeconds: Math.max(0, number('refresh.pollSeconds', 30)),
    liveUpdates: flag('liveUpdates.enabled', true),
    sandboxPort: port(number('sandbox.port', DEFAULT_SANDBOX_PORT)),
    notifyFills: flag('activity.notifyFills', false),
    sandboxKeepHistory: clamp(Math.floor(number('sandbox.keepHistory', DEFAULT_KEEP_HISTORY)), 1000, 10_000_000),
  };
}

/** Fires `listener` when any testnetDesk.* setting changes. */
export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SETTINGS_SECTION)) listener();
  });
}

/** A port as typed: a whole number 0..65535, else the default. */
function port(value: number): number {
  return Number.isInteger(value) && value >= 0 && value <= 65535 ? value : DEFAULT_SANDBOX_PORT;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}
