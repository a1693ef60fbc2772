// What the export probe (test/probe/extension.ts) answers, and how to reach it. No vscode import:
// the harness and the e2e test (plain Node) read these too.
import type { Needle, WalkReport } from '../support/exportWalk';

/** A second extension, installed beside ours only by the test harnesses. */
export const PROBE_ID = 'testnet-desk-tests.export-probe';
export const PROBE_WALK_COMMAND = 'testnetDeskExportProbe.walk';
/** Shown in the command palette as "Export Probe: Walk the Testnet Desk Exports" (the e2e lane runs it from there). */
export const PROBE_WALK_TITLE = { category: 'Export Probe', title: 'Walk the Testnet Desk Exports' };
export const PROBE_PROMPTER_CALLS_COMMAND = 'testnetDeskExportProbe.prompterCalls';

/**
 * - `exports`: what `vscode.extensions.getExtension('testnet-desk.testnet-desk').exports` gives any extension.
 * - `testChannel`: the test hooks on globalThis (src/vscode/testHooks.ts), which exist only in ExtensionMode.Test.
 */
export type ProbeRoot = 'exports' | 'testChannel';

/** Arguments of PROBE_WALK_COMMAND. Without them (run from the palette) the probe provisions its own keys. */
export interface ProbeArgs {
  needles: Needle[];
  roots: ProbeRoot[];
}

export interface ProbeRootReport {
  root: ProbeRoot;
  present: boolean;
  walk?: WalkReport;
}

export interface ProbeReport {
  /** The probe's own ExtensionMode ('Production' | 'Development' | 'Test'). */
  probeMode: string;
  /** Labels of the needles looked for (never their values). */
  needles: string[];
  /** Keys the probe stored in Testnet Desk through its public command (palette mode only). */
  provisioned: string[];
  problems: string[];
  roots: ProbeRootReport[];
  /** How often Testnet Desk called the probe's prompter: never, unless a walk managed to install it. */
  prompterCalls: number;
  finishedAt: string;
}
