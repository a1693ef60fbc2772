// The export probe: a second, test-only extension installed beside Testnet Desk in the host and e2e
// lanes' servers (scripts/harness/testExtensions.ts; in desktop VS Code, a second
// extensionDevelopmentPath). It does what any other installed extension can do: read our
// exports, walk everything reachable from them for key material (test/support/exportWalk.ts), try
// to install its own prompter, and count whether our extension ever asks it anything.
//
// Host lane: the test passes the needles (keys it stored) and the roots to walk, and gets the report
// back from the command. E2e lane (run from the palette, no args): the probe starts its own sandbox on
// 127.0.0.1, stores its HMAC and Ed25519 keys through our public `testnetDesk.keys.add` command, walks
// the exports and the test-hooks channel (which a Production install must not have), and writes the
// report to the file the harness named. Reports carry needle labels and paths, never values.
import * as fs from 'fs';
import type * as vscodeApi from 'vscode';
import { localSandbox } from '../../src/core/environments';
import { startSandbox, type SandboxHandle } from '../../src/sandbox';
import { TEST_HOOKS_KEY } from '../../src/vscode/testHooks';
import { keyNeedles, walkForSecrets, type Needle } from '../support/exportWalk';
import {
  PROBE_PROMPTER_CALLS_COMMAND,
  PROBE_WALK_COMMAND,
  type ProbeArgs,
  type ProbeReport,
  type ProbeRoot,
  type ProbeRootReport,
} from './protocol';

const TESTNET_DESK_ID = 'testnet-desk.testnet-desk';

let sandbox: SandboxHandle | undefined;
let prompterCalls = 0;
let lastReport: ProbeReport | undefined;
let reportFile: string | undefined;
let probeContextMode = 0;
/**
 * The `vscode` API as VS Code built it for the probe: the extension.js in the probe's folder requires
 * it and passes it in. (This compiled file lives outside that folder, so a `require('vscode')` here
 * would get VS Code's unattributed fallback API instead of the probe's own.)
 */
let vscode: typeof vscodeApi;

function writeReport(): void {
  if (reportFile && lastReport) fs.writeFileSync(reportFile, JSON.stringify({ ...lastReport, prompterCalls }, null, 2));
}

/** Answers nothing (like Escape) and counts every question our extension puts to it. */
function recordingPrompter(): object {
  const record = () => {
    prompterCalls++;
    writeReport();
  };
  const dismiss = async () => {
    record();
    return undefined;
  };
  return {
    showQuickPick: dismiss,
    showInputBox: dismiss,
    showWarningMessage: dismiss,
    showInformationMessage: dismiss,
    showErrorMessage: dismiss,
    writeClipboard: dismiss,
    openExternal: async () => {
      record();
      return false;
    },
  };
}

/** Palette mode: keys only this probe knows, stored in Testnet Desk the way any extension could. */
async function provision(problems: string[]): Promise<{ needles: Needle[]; provisioned: string[] }> {
  sandbox ??= await startSandbox({ marketMaker: false });
  const environmentId = localSandbox(sandbox.baseUrl).id;
  const keys = [
    { label: 'probe HMAC', keyType: 'hmac', apiKey: sandbox.apiKey, secret: sandbox.secret },
    { label: 'probe Ed25519', keyType: 'ed25519', ...sandbox.ed25519 },
  ];
  const provisioned: string[] = [];
  for (const key of keys) {
    const ref = await vscode.commands.executeCommand<{ id: string } | undefined>('testnetDesk.keys.add', {
      environmentId,
      ...key,
    });
    if (ref?.id) provisioned.push(key.label);
    else problems.push(`testnetDesk.keys.add did not store the ${key.label} key (see the Testnet Desk log)`);
  }
  return { needles: keys.flatMap((k) => keyNeedles(k.label, k)), provisioned };
}

async function probe(args: ProbeArgs | undefined): Promise<ProbeReport> {
  const problems: string[] = [];
  const palette = !args?.needles;
  const { needles, provisioned } = palette ? await provision(problems) : { needles: args.needles, provisioned: [] };
  const roots: ProbeRoot[] = palette ? ['exports', 'testChannel'] : args.roots;

  const ours = vscode.extensions.getExtension(TESTNET_DESK_ID);
  if (!ours) problems.push(`${TESTNET_DESK_ID} is not installed in this extension host`);
  const exported: unknown = ours ? await ours.activate() : undefined;
  const prompter = recordingPrompter();
  const reports: ProbeRootReport[] = [];
  for (const root of roots) {
    const value = root === 'exports' ? exported : (globalThis as Record<symbol, unknown>)[TEST_HOOKS_KEY];
    const present = value !== undefined && value !== null;
    const walk = present
      ? await walkForSecrets(value, root === 'exports' ? 'exports' : 'testHooks', { needles, prompter })
      : undefined;
    reports.push({ root, present, walk });
  }
  lastReport = {
    probeMode: vscode.ExtensionMode[probeContextMode] ?? String(probeContextMode),
    needles: needles.map((n) => n.label),
    provisioned,
    problems,
    roots: reports,
    prompterCalls,
    finishedAt: new Date().toISOString(),
  };
  writeReport();
  return lastReport;
}

export function activate(
  context: vscodeApi.ExtensionContext,
  options: { vscode: typeof vscodeApi; reportFile?: string },
): void {
  vscode = options.vscode;
  reportFile = options.reportFile;
  probeContextMode = context.extensionMode;
  context.subscriptions.push(
    vscode.commands.registerCommand(PROBE_WALK_COMMAND, (args?: ProbeArgs) => probe(args)),
    vscode.commands.registerCommand(PROBE_PROMPTER_CALLS_COMMAND, () => prompterCalls),
  );
}

export async function deactivate(): Promise<void> {
  await sandbox?.close();
  sandbox = undefined;
}
