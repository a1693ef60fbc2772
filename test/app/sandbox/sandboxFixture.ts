/**
 * Real sandbox processes for the tests of src/app/sandbox: a fresh global-storage-like folder per
 * test, services that launch dist/sandbox.js detached (as the extension does), and a clean-up that
 * kills whatever those folders' locks and discovery files still name, so no sandbox outlives a test.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SandboxPlaces } from '../../../src/app/sandbox/launch';
import { isProcessAlive } from '../../../src/app/sandbox/processes';
import { SandboxService, type SandboxServiceOptions } from '../../../src/app/sandbox/sandboxService';

export const PROGRAM = resolve(__dirname, '../../../../dist/sandbox.js');

const folders: string[] = [];
const services: SandboxService[] = [];

export function newPlaces(): SandboxPlaces {
  const storage = mkdtempSync(join(tmpdir(), 'testnet-desk-storage-'));
  folders.push(storage);
  return {
    program: PROGRAM,
    runtime: process.execPath,
    dataDir: join(storage, 'sandbox'),
    discoveryFile: join(storage, 'sandbox.json'),
  };
}

export function newService(places: SandboxPlaces, options: Partial<SandboxServiceOptions> = {}): SandboxService {
  const service = new SandboxService({ places, pollMs: 200, ...options });
  services.push(service);
  return service;
}

/** Every pid the test folders name (lock, discovery), killed. */
export function killSandboxes(): void {
  for (const service of services.splice(0)) service.dispose();
  for (const storage of folders.splice(0)) {
    for (const file of [join(storage, 'sandbox', 'sandbox.lock'), join(storage, 'sandbox.json')]) {
      try {
        const pid = (JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown }).pid;
        if (typeof pid === 'number' && pid !== process.pid && isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        // no file
      }
    }
  }
}

export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
