/**
 * Loaded by mocha before any test (.mocharc.json "require"): sandboxes started as services in the
 * unit lane (and the CLI children they spawn, which inherit the environment) record their keys in
 * a temporary key registry, not in the developer's ~/.cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.TESTNET_DESK_KEY_REGISTRY) {
  const dir = mkdtempSync(join(tmpdir(), 'testnet-desk-key-registry-'));
  process.env.TESTNET_DESK_KEY_REGISTRY = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
