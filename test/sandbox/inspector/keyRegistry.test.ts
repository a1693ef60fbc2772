// -2015 with the key registry: a key sent to the wrong sandbox is traced to the data folder it
// belongs to, a key lost to a reset is named as such, and the registry holds no key.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestRecord } from '../../../src/sandbox/inspector/record';
import { runService, type RunningService } from '../../../src/sandbox/service/runService';
import { Creds, signed } from '../httpHelpers';

describe('request inspector: -2015 and the key registry', function () {
  this.timeout(30_000);
  let root: string;
  let registry: string;
  const running: RunningService[] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'key-registry-'));
    registry = join(root, 'registry');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((service) => service.stop('test over')));
    rmSync(root, { recursive: true, force: true });
  });

  async function serve(dataDir?: string): Promise<RunningService> {
    const service = await runService({
      port: 0,
      dataDir,
      keyRegistryDir: registry,
      marketMaker: false,
      log: () => undefined,
    });
    running.push(service);
    return service;
  }

  const creds = (service: RunningService): Creds => ({
    kind: 'hmac',
    apiKey: service.sandbox.apiKey,
    secret: service.sandbox.secret,
  });

  async function failedAccount(at: RunningService, key: Creds): Promise<RequestRecord> {
    const reply = await signed(at.sandbox.baseUrl, key, 'GET', '/api/v3/account');
    assert.equal(reply.status, 401);
    assert.equal((reply.json as { code: number }).code, -2015);
    const [record] = at.sandbox.requests!.query({ limit: 1 });
    assert.equal(record.code, -2015);
    return record;
  }

  it("names the data folder a key belongs to when a bot sends it to another folder's sandbox", async () => {
    const folderA = join(root, 'a');
    const a = await serve(folderA);
    const keyOfA = creds(a);
    await a.stop('done with a');
    const b = await serve(join(root, 'b'));
    const record = await failedAccount(b, keyOfA);
    assert.match(
      record.diagnosis!.cause,
      /belongs to the sandbox data folder .*[/\\]a, not to this sandbox \(data folder .*[/\\]b\)/,
    );
    assert.match(record.diagnosis!.fix, /--data .*[/\\]a/);
    assert.equal(record.diagnosis!.details?.keyDataFolder, a.paths!.dir);

    // An in-memory sandbox reads the registry too; a folder deleted since is said to be gone.
    rmSync(folderA, { recursive: true });
    const inMemory = await serve();
    const gone = await failedAccount(inMemory, keyOfA);
    assert.match(gone.diagnosis!.cause, /\(which no longer exists\), not to this sandbox \(which runs in memory\)/);
  });

  it('says a key made at run time was lost to a reset of the same folder', async () => {
    const service = await serve(join(root, 'data'));
    const extra = service.sandbox.createAccount();
    const extraCreds: Creds = { kind: 'hmac', apiKey: extra.apiKey, secret: extra.secret };
    assert.equal((await signed(service.sandbox.baseUrl, extraCreds, 'GET', '/api/v3/account')).status, 200);
    service.sandbox.reset();
    const record = await failedAccount(service, extraCreds);
    assert.match(
      record.diagnosis!.cause,
      /made in this sandbox's data folder .* its state was reset or replaced by an import/,
    );
  });

  it('says nothing of a folder for a key no sandbox registered, and the registry holds no key', async () => {
    const service = await serve(join(root, 'data'));
    const stranger: Creds = { kind: 'hmac', apiKey: 'A'.repeat(64), secret: 'B'.repeat(64) };
    const record = await failedAccount(service, stranger);
    assert.match(record.diagnosis!.cause, /no such API key .*a sandbox data folder this machine has not seen/);
    assert.equal(record.diagnosis!.details?.keyDataFolder, undefined);
    const entries = readdirSync(registry);
    assert.equal(entries.length, 2, `the HMAC and Ed25519 keys of the folder: ${entries.join(', ')}`);
    for (const entry of entries) {
      const text = entry + readFileSync(join(registry, entry), 'utf8');
      for (const key of [service.sandbox.apiKey, service.sandbox.ed25519.apiKey, service.sandbox.secret])
        assert.ok(!text.includes(key), `${entry} holds a key`);
    }
  });
});
