/**
 * Child process of the activation section: loads one bundle and reports timings as one JSON line.
 *   node out/bench/lib/loadProbe.js <bundle.js> extension|library
 * `extension` also calls activate() with the stubbed vscode module and awaits the returned `ready`.
 */
import Module from 'node:module';
import { performance } from 'node:perf_hooks';
import { installLoopbackGuard } from './loopbackGuard';
import { createExtensionContext, createVscodeStub } from './vscodeStub';

async function main(): Promise<void> {
  const [bundle, mode] = process.argv.slice(2);
  installLoopbackGuard();
  const stub = createVscodeStub();
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const originalLoad = loader._load;
  loader._load = function (request, parent, isMain) {
    return request === 'vscode' ? stub : originalLoad.call(this, request, parent, isMain);
  };

  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(bundle) as {
    activate?: (ctx: unknown) => { ready?: Promise<unknown> };
    deactivate?: () => Promise<void>;
  };
  const t1 = performance.now();
  let activateMs: number | undefined;
  let readyMs: number | undefined;
  if (mode === 'extension') {
    if (typeof exported.activate !== 'function') throw new Error('bundle has no activate()');
    const api = exported.activate(createExtensionContext(process.cwd()));
    const t2 = performance.now();
    activateMs = t2 - t1;
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error('ready did not settle within 5 s')), 5000).unref(),
    );
    await Promise.race([api.ready, timeout]);
    readyMs = performance.now() - t2;
    await exported.deactivate?.();
  }
  process.stdout.write(`${JSON.stringify({ requireMs: t1 - t0, activateMs, readyMs })}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
