// The two sides of the sandbox's files and answers agree: what the real program writes (discovery
// file, lock, keys.json, health) is what src/app/sandbox/protocol.ts reads, and the exit codes and
// the default port are the same numbers on both sides and in the manifest. (The layers keep the
// two implementations apart; this is where they meet.)
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchHealth } from '../../../src/app/sandbox/health';
import {
  DEFAULT_SANDBOX_PORT,
  parseDiscovery,
  parseKeys,
  parseLock,
  SandboxExitCode,
  SandboxFiles,
  sameRun,
} from '../../../src/app/sandbox/protocol';
import { DataFiles } from '../../../src/sandbox/service/dataDir';
import { ExitCode } from '../../../src/sandbox/service/exitCodes';
import { DEFAULT_PORT } from '../../../src/sandbox/service/ports';
import { SANDBOX_SERVICE_NAME } from '../../../src/sandbox/service/version';
import { buildBundle } from '../../sandbox/cliProcess';
import { manifest } from '../../support/manifest';
import { killSandboxes, newPlaces, newService } from './sandboxFixture';

describe('sandbox protocol: the program and the extension agree', function () {
  this.timeout(30_000);
  before(buildBundle);
  afterEach(killSandboxes);

  it('reads what the real program writes and answers', async () => {
    const places = newPlaces();
    const running = await newService(places).start(0);
    const discovery = parseDiscovery(readFileSync(places.discoveryFile, 'utf8'));
    assert.ok(discovery, 'the discovery file parses');
    const health = await fetchHealth(running.baseUrl);
    assert.ok(health, 'the health answer parses');
    assert.ok(sameRun(health, discovery));
    assert.equal(discovery.dataDir, places.dataDir);
    const lock = parseLock(readFileSync(join(places.dataDir, SandboxFiles.lock), 'utf8'));
    assert.deepEqual(lock, { pid: running.pid, startedAt: running.startedAt, port: running.port });
    const keys = parseKeys(readFileSync(join(places.dataDir, SandboxFiles.keys), 'utf8'));
    assert.equal(typeof keys, 'object', String(keys));
  });

  it('names the same exit codes, files, service and default port', () => {
    assert.deepEqual(SandboxExitCode, ExitCode);
    assert.deepEqual({ keys: DataFiles.keys, lock: DataFiles.lock, log: DataFiles.log }, SandboxFiles);
    assert.equal(SANDBOX_SERVICE_NAME, 'testnet-desk-sandbox');
    assert.equal(DEFAULT_SANDBOX_PORT, DEFAULT_PORT);
    assert.equal(manifest.contributes.configuration.properties['testnetDesk.sandbox.port'].default, DEFAULT_PORT);
    assert.equal(manifest.contributes.configuration.properties['testnetDesk.sandbox.port'].scope, 'machine');
  });

  it('treats malformed files as absent, and builds the URL from the port only', () => {
    for (const text of ['', '{', '[]', '{"format":"testnet-desk-sandbox-discovery","formatVersion":1,"pid":-1}'])
      assert.equal(parseDiscovery(text), undefined, text);
    const forged = parseDiscovery(
      JSON.stringify({
        format: 'testnet-desk-sandbox-discovery',
        formatVersion: 1,
        pid: 5,
        port: 4000,
        startedAt: 'x',
        version: '1',
        dataDir: '/d',
        baseUrl: 'http://evil.example:4000',
      }),
    );
    assert.equal(forged?.baseUrl, 'http://127.0.0.1:4000');
    assert.match(String(parseKeys('{"version":1,"hmac":{"apiKey":"a"}}')), /HMAC key is incomplete/);
  });
});
