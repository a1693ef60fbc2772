/**
 * Section 2b: our extension's first activation in the REAL extension host (the VS Code server that
 * code-server embeds, workbench in headless Chromium; the host lane's harness), next to section 2's
 * stubbed-vscode measurement of the same bundle file.
 *
 * Each run is a fresh code-server + Chromium session (fresh user data) in the harness's
 * activation-only mode: test/host/index.ts waits for the host's own startup activations to settle,
 * checks that our extension is not active yet, times `await extension.activate()` and reads VS Code's
 * performance marks for code loading and the activate call (test/host/support/activationTiming.ts).
 * A second activate() in one host is a no-op, so every sample needs its own session (~10-15 s).
 *
 * On by default when code-server is installed (.test-artifacts/tools marker); `--host-runs=N` or
 * TESTNET_DESK_BENCH_HOST_RUNS=N sets the number of sessions (0 skips, at most 3).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { killAll } from '../../scripts/harness/children';
import { trafficProblem } from '../../scripts/harness/chromium';
import { runHostSession } from '../../scripts/harness/hostSession';
import { ARTIFACTS, CHROMIUM, CODE_SERVER_ENTRY, NODE24, TOOLS } from '../../scripts/harness/paths';
import { withTimeout } from '../../scripts/harness/waits';
import type { HostActivationTiming } from '../../test/host/support/activationTiming';
import { benchTmpDir, REPO_ROOT } from '../lib/paths';
import { fixed, markdownTable, median, ratio } from '../lib/stats';
import { probeOnce, Sample, StubbedActivation, summarizeStubbed } from './activation';
import { BuiltBundle } from './bundleSize';

const DEFAULT_RUNS = 3;
const MAX_RUNS = 3;
/** One session: server start, Chromium, workbench, settle, activation, shutdown. Typically 10-15 s. */
const SESSION_TIMEOUT_MS = 90_000;
/** No new session starts after this much time in the section, so the bench stays under ~2 min extra. */
const START_BUDGET_MS = 75_000;
/** Wait after the host's test entry starts, so '*' and onStartupFinished activations are done. */
const SETTLE_MS = 3000;
/** Stubbed samples under the host's Node 24, to separate "different Node" from "real host". */
const NODE24_STUB_ROUNDS = 9;

const TITLE = '### 2b. Activation in the real extension host (code-server), next to the stubbed measurement';

function requestedRuns(): number {
  const arg = process.argv.find((a) => a.startsWith('--host-runs='))?.split('=')[1];
  const raw = arg ?? process.env.TESTNET_DESK_BENCH_HOST_RUNS;
  const n = raw === undefined ? DEFAULT_RUNS : Number(raw);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, MAX_RUNS) : DEFAULT_RUNS;
}

/** The install script's marker, `.installed-code-server-<version>-node-<version>`. */
function installMarker(): string | undefined {
  return fs.existsSync(TOOLS) ? fs.readdirSync(TOOLS).find((f) => f.startsWith('.installed-code-server-')) : undefined;
}

/** Why the real host cannot be measured here, or undefined when it can. */
function unavailable(): string | undefined {
  const marker = installMarker();
  if (!marker || !fs.existsSync(NODE24) || !fs.existsSync(CODE_SERVER_ENTRY)) {
    const where = TOOLS.startsWith(REPO_ROOT + path.sep) ? path.relative(REPO_ROOT, TOOLS) : TOOLS;
    return `code-server is not installed in ${where}/ (no \`.installed-code-server-*\` marker). To include this measurement, run \`bash scripts/install-code-server.sh\` once (about two minutes, npm registry only; needs Debian's \`chromium\` and \`libkrb5-dev\`), then \`npm run bench\` again.`;
  }
  if (!fs.existsSync(CHROMIUM))
    return `${CHROMIUM} is missing: \`apt-get install -y chromium\` (or set CHROMIUM_PATH), then \`npm run bench\` again.`;
  if (!fs.existsSync(path.join(REPO_ROOT, 'out', 'test', 'host', 'index.js')))
    return 'out/test/host/index.js is missing: `npm run compile-tests` first.';
  return undefined;
}

/** An extension folder holding exactly the bundle section 2 loads, with the shipped manifest and media. */
function stageExtension(ours: BuiltBundle): string {
  const dir = path.join(benchTmpDir(), 'host-extension');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.copyFileSync(ours.file, path.join(dir, 'dist', 'extension.js'));
  fs.cpSync(path.join(REPO_ROOT, 'media'), path.join(dir, 'media'), { recursive: true });
  return dir;
}

interface Run {
  timing?: HostActivationTiming;
  problem?: string;
  sessionMs: number;
}

async function measureOnce(extensionPath: string, index: number): Promise<Run> {
  const started = Date.now();
  const work = path.join(ARTIFACTS, 'bench-host', `run-${index}`);
  try {
    const result = await withTimeout(
      `real-host activation session ${index}`,
      runHostSession({
        work,
        extensionPath,
        testsPath: path.join(REPO_ROOT, 'out', 'test', 'host'),
        env: () => ({
          TESTNET_DESK_HOST_MODE: 'activation',
          TESTNET_DESK_HOST_ACTIVATION_SETTLE_MS: String(SETTLE_MS),
        }),
        timeoutMs: 45_000,
      }),
      SESSION_TIMEOUT_MS,
    );
    const sessionMs = Date.now() - started;
    if (result.kind === 'exited')
      return {
        problem: `the extension host exited with ${result.hostExitCode} before writing a result (logs: ${path.relative(REPO_ROOT, work)})`,
        sessionMs,
      };
    const { activation, outbound } = result.summary;
    if (outbound?.length)
      return {
        problem: `the extension host connected to ${outbound.map((o) => `${o.host}:${o.port}`).join(', ')} (only loopback is allowed)`,
        sessionMs,
      };
    const browserProblem = trafficProblem(result.browserTraffic);
    if (browserProblem) return { problem: browserProblem, sessionMs };
    if (!activation)
      return { problem: `no activation timing in the summary (logs: ${path.relative(REPO_ROOT, work)})`, sessionMs };
    if (activation.error) return { timing: activation, problem: activation.error.split('\n')[0], sessionMs };
    if (activation.alreadyActive)
      return {
        timing: activation,
        problem: 'the extension was already active before the measurement (sample discarded)',
        sessionMs,
      };
    return { timing: activation, sessionMs };
  } catch (error) {
    killAll(); // a session that timed out may leave code-server running
    return { problem: (error as Error)?.message ?? String(error), sessionMs: Date.now() - started };
  }
}

const ms = (v: number | undefined, digits = 1) => (v === undefined ? 'n/a' : fixed(v, digits));

export async function runHostActivation(ours: BuiltBundle, stubbed: StubbedActivation): Promise<string> {
  const runs = requestedRuns();
  const why = runs === 0 ? 'skipped on request (`--host-runs=0` / `TESTNET_DESK_BENCH_HOST_RUNS=0`).' : unavailable();
  if (why) {
    const line = `Real extension-host activation not measured: ${why}`;
    console.log(`\n[bench] ${line}`);
    return [
      TITLE,
      '',
      `Skipped. ${line} Section 2's stubbed numbers are the only activation figures in this report.`,
    ].join('\n');
  }

  const sectionStart = Date.now();
  const extensionPath = stageExtension(ours);
  fs.rmSync(path.join(ARTIFACTS, 'bench-host'), { recursive: true, force: true });
  const results: Run[] = [];
  let stoppedEarly = false;
  for (let i = 1; i <= runs; i++) {
    if (Date.now() - sectionStart > START_BUDGET_MS) {
      stoppedEarly = true;
      break;
    }
    console.log(`[bench] real extension host: session ${i} of ${runs} (code-server + headless Chromium)…`);
    const run = await measureOnce(extensionPath, i);
    console.log(
      `[bench]   ${run.problem ? `not valid: ${run.problem}` : `activate() ${ms(run.timing?.totalMs)} ms`} (session ${(run.sessionMs / 1000).toFixed(1)} s)`,
    );
    results.push(run);
  }
  killAll();

  // Same bundle, stubbed vscode, under the host's Node 24: separates "another Node" from "the real host".
  const node24Samples: Sample[] = [];
  for (let i = 0; i < NODE24_STUB_ROUNDS; i++) node24Samples.push(probeOnce(NODE24, ours.file, 'extension'));
  const valid = results.filter((r) => !r.problem && r.timing).map((r) => r.timing!);
  const first = valid[0] ?? results.find((r) => r.timing)?.timing;
  const stub24 = summarizeStubbed(`Node ${first?.nodeVersion ?? '24'}`, node24Samples);

  const real = {
    codeLoading: median(valid.map((t) => t.codeLoadingMs ?? NaN)),
    activateCall: median(valid.map((t) => t.activateCallMs ?? NaN)),
    loadPlusActivate: median(valid.map((t) => (t.codeLoadingMs ?? NaN) + (t.activateCallMs ?? NaN))),
    total: median(valid.map((t) => t.totalMs ?? NaN)),
    ready: median(valid.map((t) => t.readyMs ?? NaN)),
  };
  const stubRow = (s: StubbedActivation, label: string) => [
    label,
    String(s.n),
    fixed(s.requireP50),
    fixed(s.activateP50),
    fixed(s.totalP50),
    '—',
    fixed(s.readyP50),
  ];
  const ratioRow = (s: StubbedActivation, label: string) => [
    label,
    '',
    ratio(real.codeLoading, s.requireP50),
    ratio(real.activateCall, s.activateP50),
    ratio(real.loadPlusActivate, s.totalP50),
    ratio(real.total, s.totalP50),
    ratio(real.ready, s.readyP50),
  ];
  const hostLabel = `**real extension host**: VS Code ${first?.vscodeVersion ?? '?'} server (code-server), ${first ? `Node ${first.nodeVersion}` : ''}, median of ${valid.length} session${valid.length === 1 ? '' : 's'}`;
  const table = markdownTable(
    [
      'measurement',
      'n',
      'code loading (require) ms',
      'activate() call ms',
      'load + activate ms',
      'activate() as an API caller sees it ms',
      'ready ms',
    ],
    [
      [
        hostLabel,
        String(valid.length),
        ms(real.codeLoading, 0),
        ms(real.activateCall, 0),
        ms(real.loadPlusActivate, 0),
        ms(real.total),
        ms(real.ready),
      ],
      stubRow(stubbed, `stubbed vscode, ${stubbed.node} (section 2, p50)`),
      stubRow(stub24, `stubbed vscode, ${stub24.node}, the host's Node (p50)`),
      ratioRow(stubbed, `real ÷ stubbed ${stubbed.node}`),
      ratioRow(stub24, `real ÷ stubbed ${stub24.node}`),
    ],
  );

  const perRun = results
    .map((r, i) => {
      const t = r.timing;
      const values =
        t && !t.alreadyActive && t.totalMs !== undefined
          ? `code loading ${ms(t.codeLoadingMs, 0)} ms, activate call ${ms(t.activateCallMs, 0)} ms, activate() ${ms(t.totalMs)} ms, ready ${ms(t.readyMs)} ms; ${t.concurrentActivations.length ? `other extensions loading/activating meanwhile: ${t.concurrentActivations.join(', ')}` : 'no other extension loading or activating meanwhile'}`
          : '';
      return `#${i + 1}: ${r.problem ? `not valid (${r.problem})${values ? `; ${values}` : ''}` : values} (session ${(r.sessionMs / 1000).toFixed(1)} s)`;
    })
    .join(' · ');

  return [
    TITLE,
    '',
    `Each session starts the VS Code server from code-server ${/^\.installed-code-server-(.+?)-node-/.exec(installMarker() ?? '')?.[1] ?? ''} on 127.0.0.1 with fresh user data, opens the workbench in headless Chromium and lets the extension host load our extension from a folder holding **the same bundle file section 2 loads** (with the shipped package.json and media). The host's test entry (test/host/index.ts, activation-only mode) waits ${SETTLE_MS / 1000} s for the host's own startup activations to settle, checks that our extension is not active yet (its activation events are only its views and commands, which nothing in a fresh window with the Explorer open triggers; checked in every session, and the host lane's exthost log likewise shows our first activation with event \`api\`, from the tests), then times \`await vscode.extensions.getExtension('testnet-desk.testnet-desk').activate()\` with performance.now() and reads VS Code's own performance marks around the steps its ActivationTimes cover: code loading = \`willLoadExtensionCode\` → \`didLoadExtensionCode\` (the require of dist/extension.js), activate() call = \`willActivateExtension\` → \`didActivateExtension\` (our activate() and its return value; it returns synchronously). Their sum is what **Developer: Show Running Extensions** reports as activation time. The marks use Date.now() (1 ms resolution, as VS Code's ActivationTimes do). "activate() as an API caller sees it" adds VS Code's own work for a first activation (extension context, globalState/workspaceState readiness, messages to the workbench). "ready" is the wait for the returned API's \`ready\` (keys loaded from SecretStorage: real SecretStorage in the host, an empty stub in section 2). One session gives one sample (a second activate() in the same host is a no-op); ${valid.length} valid of ${results.length} session${results.length === 1 ? '' : 's'}${stoppedEarly ? `, stopped early by the ${START_BUDGET_MS / 1000} s budget` : ''}, so the host row is a median of very few samples: indicative, not a distribution. The stubbed rows' code loading is section 2's require, their activate() call section 2's activate().`,
    '',
    table,
    '',
    `Sessions: ${perRun}. Section wall time ${((Date.now() - sectionStart) / 1000).toFixed(1)} s. Logs of each session: \`.test-artifacts/bench-host/run-N/\`. To skip this section: \`npm run bench -- --host-runs=0\`.`,
  ].join('\n');
}
