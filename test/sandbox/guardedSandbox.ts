/**
 * Mocha hooks for the compatibility suites: install the loopback guard, then start a sandbox on
 * 127.0.0.1; close both afterwards. The returned object is filled in by `before`.
 */
import { SandboxHandle, startSandbox } from '../../src/sandbox';
import { installLoopbackGuard, LoopbackGuard } from './loopbackGuard';

export interface GuardedSandbox {
  sb: SandboxHandle;
  guard: LoopbackGuard;
}

export function useGuardedSandbox(beforeStart?: () => void): GuardedSandbox {
  const ctx = {} as GuardedSandbox;
  before(async () => {
    ctx.guard = installLoopbackGuard();
    beforeStart?.();
    ctx.sb = await startSandbox({ port: 0 });
  });
  after(async () => {
    await ctx.sb?.close();
    ctx.guard?.restore();
  });
  return ctx;
}
