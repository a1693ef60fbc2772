// Times our extension's first activation INSIDE the real extension host, for the bench
// (`npm run bench`, section "Activation in the real extension host"). Runs from test/host/index.ts
// before mocha loads any test, in the harness's activation-only mode, so nothing else has touched
// the extension yet: `activate()` here is the real first activation (module load + activate call).
//
// Two sources, both from this process:
//  - performance.now() around `await extension.activate()`: everything the first activation costs,
//    including VS Code's own work (extension context, storage, RPC to the workbench);
//  - VS Code's own performance marks, which the extension host sets around the same steps it uses for
//    its ActivationTimes (codeLoadingTime, activateCallTime): code/extHost/willLoadExtensionCode/<id>
//    -> didLoadExtensionCode/<id> (require of dist/extension.js) and willActivateExtension/<id> ->
//    didActivateExtension/<id> (our activate() call and its resolution). The host's marks use
//    Date.now(), so they have 1 ms resolution, the same as VS Code's ActivationTimes.
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './extension';

export interface HostActivationTiming {
  vscodeVersion: string;
  nodeVersion: string;
  /** The extension was already active when the measurement began: nothing was timed (invalid sample). */
  alreadyActive: boolean;
  /** How long the measurement waited for the host's own startup activations to settle first. */
  settleMs: number;
  /** performance.now() around `await extension.activate()`. */
  totalMs?: number;
  /** VS Code mark delta willLoadExtensionCode -> didLoadExtensionCode (1 ms resolution). */
  codeLoadingMs?: number;
  /** VS Code mark delta willActivateExtension -> didActivateExtension (1 ms resolution). */
  activateCallMs?: number;
  /** performance.now() around awaiting the returned API's `ready` (keys loaded from SecretStorage). */
  readyMs?: number;
  /** Other extensions whose code loading or activation marks fall inside our activation window. */
  concurrentActivations: string[];
  error?: string;
}

interface Mark {
  name: string;
  startTime: number;
}

/** VS Code's performance marks of this process (vs/base/common/performance keeps them on globalThis). */
function hostMarks(): Mark[] {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks(): Mark[] } }).MonacoPerformanceMarks;
  try {
    return perf?.getMarks() ?? [];
  } catch {
    return [];
  }
}

function markDelta(marks: Mark[], from: string, to: string): number | undefined {
  const start = marks.filter((m) => m.name === from).pop();
  const end = marks.filter((m) => m.name === to).pop();
  return start && end ? end.startTime - start.startTime : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function measureFirstActivation(settleMs: number): Promise<HostActivationTiming> {
  const base = {
    vscodeVersion: vscode.version,
    nodeVersion: process.version,
    settleMs,
    concurrentActivations: [] as string[],
  };
  const ext = vscode.extensions.getExtension<{ ready?: Promise<void> }>(EXTENSION_ID);
  if (!ext)
    return {
      ...base,
      alreadyActive: false,
      error: `extension ${EXTENSION_ID} is not installed in this extension host`,
    };
  // The host activates '*' and onStartupFinished extensions around the time the tests start; waiting
  // lets them finish, as they would have before a person opens our view.
  if (settleMs > 0) await sleep(settleMs);
  if (ext.isActive) return { ...base, alreadyActive: true };

  const windowStart = Date.now();
  const t0 = performance.now();
  let api: { ready?: Promise<void> } | undefined;
  try {
    api = await ext.activate();
  } catch (error) {
    return { ...base, alreadyActive: false, error: `activate() failed: ${(error as Error)?.stack ?? String(error)}` };
  }
  const t1 = performance.now();
  const windowEnd = Date.now();
  let readyMs: number | undefined;
  try {
    await api?.ready;
    readyMs = performance.now() - t1;
  } catch (error) {
    return { ...base, alreadyActive: false, totalMs: t1 - t0, error: `ready rejected: ${String(error)}` };
  }

  const marks = hostMarks();
  const ours = (step: string) => `code/extHost/${step}/${EXTENSION_ID}`;
  const concurrent = new Set<string>();
  for (const m of marks) {
    const match =
      /^code\/extHost\/(?:willLoadExtensionCode|didLoadExtensionCode|willActivateExtension|didActivateExtension)\/(.+)$/.exec(
        m.name,
      );
    if (match && match[1] !== EXTENSION_ID && m.startTime >= windowStart && m.startTime <= windowEnd)
      concurrent.add(match[1]);
  }
  return {
    ...base,
    alreadyActive: false,
    totalMs: t1 - t0,
    codeLoadingMs: markDelta(marks, ours('willLoadExtensionCode'), ours('didLoadExtensionCode')),
    activateCallMs: markDelta(marks, ours('willActivateExtension'), ours('didActivateExtension')),
    readyMs,
    concurrentActivations: [...concurrent].sort(),
  };
}
