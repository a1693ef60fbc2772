// Finding the running sandbox from the discovery file: a live run is used, a stale file (dead
// process, another run on the port, unreadable) is removed, a live process that does not answer
// keeps its file, and a file replaced meanwhile is not removed.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover } from '../../../src/app/sandbox/discovery';
import type { SandboxHealth } from '../../../src/app/sandbox/protocol';

const RUN = { pid: 4242, startedAt: '2026-01-02T03:04:05.000Z', port: 27182, version: '0.1.0', dataDir: '/data' };

function discoveryFile(
  content: object | string = { format: 'testnet-desk-sandbox-discovery', formatVersion: 1, ...RUN },
): string {
  const file = join(mkdtempSync(join(tmpdir(), 'discovery-')), 'sandbox.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const answering = (health: SandboxHealth | undefined) => async (): Promise<SandboxHealth | undefined> => health;

describe('sandbox discovery file', () => {
  it('uses the run that answers with the same pid and start time', async () => {
    const file = discoveryFile();
    const found = await discover(file, answering(RUN), () => true);
    assert.equal(found.kind, 'running');
    assert.equal(found.kind === 'running' && found.sandbox.baseUrl, 'http://127.0.0.1:27182');
    assert.ok(existsSync(file));
  });

  it('removes a stale file: the process is gone, or another run answers on the port', async () => {
    const dead = discoveryFile();
    assert.equal((await discover(dead, answering(undefined), () => false)).kind, 'stale');
    assert.equal(existsSync(dead), false);
    const replaced = discoveryFile();
    const otherRun = { ...RUN, pid: 99, startedAt: '2026-02-02T00:00:00.000Z' };
    assert.equal((await discover(replaced, answering(otherRun), () => true)).kind, 'stale');
    assert.equal(existsSync(replaced), false);
    const reusedPid = discoveryFile();
    assert.equal((await discover(reusedPid, answering({ ...RUN, startedAt: 'later' }), () => true)).kind, 'stale');
    const garbage = discoveryFile('{"pid": 1');
    assert.equal((await discover(garbage, answering(undefined), () => true)).kind, 'stale');
    assert.equal(existsSync(garbage), false);
  });

  it('keeps the file of a live process that does not answer (busy or hung: it may answer next time)', async () => {
    const file = discoveryFile();
    assert.equal((await discover(file, answering(undefined), () => true)).kind, 'unanswered');
    assert.ok(existsSync(file));
  });

  it('does not remove a file that a new sandbox wrote meanwhile', async () => {
    const file = discoveryFile();
    const fresh = JSON.stringify({ format: 'testnet-desk-sandbox-discovery', formatVersion: 1, ...RUN, pid: 5151 });
    const found = await discover(
      file,
      async () => {
        writeFileSync(file, fresh); // a new run replaces the file while the old one is being checked
        return undefined;
      },
      () => false,
    );
    assert.equal(found.kind, 'stale');
    assert.equal(readFileSync(file, 'utf8'), fresh);
  });

  it('finds nothing without a file', async () => {
    assert.deepEqual(await discover(join(tmpdir(), 'no-such-dir-x', 'sandbox.json'), answering(RUN), () => true), {
      kind: 'none',
    });
  });
});
