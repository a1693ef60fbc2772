// The sandbox as a service shared by windows, with real detached processes of dist/sandbox.js:
// start, a second "window" attaching instead of starting, stop from either, a crash told apart
// from a clean stop, a restart with the same port and keys, a port in use, and two windows
// starting at the same moment.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { readSandboxKeys } from '../../../src/app/sandbox/dataFolder';
import { freePort } from '../../../src/app/sandbox/freePort';
import { isProcessAlive } from '../../../src/app/sandbox/processes';
import { SandboxStartError, type SandboxState } from '../../../src/app/sandbox/sandboxService';
import { buildBundle } from '../../sandbox/cliProcess';
import { killSandboxes, newPlaces, newService, until } from './sandboxFixture';

function states(service: { onDidChange(listener: (s: SandboxState) => void): unknown }): SandboxState[] {
  const seen: SandboxState[] = [];
  service.onDidChange((s) => seen.push(s));
  return seen;
}

describe('local sandbox service (real detached processes)', function () {
  this.timeout(40_000);
  before(buildBundle);
  afterEach(killSandboxes);

  it('starts the sandbox as a detached process of its own, and a second window attaches instead of starting', async () => {
    const places = newPlaces();
    const first = newService(places);
    const started = await first.start(0);
    assert.notEqual(started.pid, process.pid);
    assert.ok(isProcessAlive(started.pid));
    assert.equal(started.managed, true);
    assert.equal(started.dataDir, places.dataDir);
    const discovery = JSON.parse(readFileSync(places.discoveryFile, 'utf8'));
    assert.equal(discovery.pid, started.pid);
    assert.ok(!JSON.stringify(discovery).includes(readSandboxKeys(places.dataDir).hmac.secret));
    const second = newService(places);
    assert.equal((await second.reconnect())?.pid, started.pid);
    assert.equal((await second.start(0)).pid, started.pid, 'Start in another window uses the running one');
    // The key the extension stores stays valid: it is the data folder's.
    assert.equal(readSandboxKeys(places.dataDir).ed25519.apiKey.length, 64);
  });

  it('stops from either window; the other one sees a clean stop, not a crash', async () => {
    const places = newPlaces();
    const first = newService(places);
    const started = await first.start(0);
    first.watch();
    const seen = states(first);
    const second = newService(places);
    await second.reconnect();
    await second.stop();
    assert.equal(isProcessAlive(started.pid), false);
    assert.equal(existsSync(places.discoveryFile), false);
    await until('the first window to notice', () => first.state.kind === 'stopped');
    assert.deepEqual(
      seen.map((s) => s.kind),
      ['stopped'],
    );
  });

  it('reports a killed sandbox as crashed, with its log, and a restart keeps the port and the keys', async () => {
    const places = newPlaces();
    const port = await freePort();
    const service = newService(places);
    const started = await service.start(port);
    const keys = readSandboxKeys(places.dataDir);
    service.watch();
    process.kill(started.pid, 'SIGKILL');
    const lost = await until('the crash report', () => (service.state.kind === 'lost' ? service.state : undefined));
    assert.equal(lost.reason, 'crashed');
    assert.ok(
      lost.logTail.some((line) => line.includes(`listening on http://127.0.0.1:${port}`)),
      lost.logTail.join('\n'),
    );
    for (const line of lost.logTail)
      for (const secret of [keys.hmac.apiKey, keys.hmac.secret, keys.ed25519.apiKey])
        assert.ok(!line.includes(secret), `a key in the reported log: ${line}`);
    await service.stop();
    const again = await service.start(port);
    assert.notEqual(again.pid, started.pid);
    assert.equal(again.port, port);
    assert.deepEqual(readSandboxKeys(places.dataDir), keys);
  });

  it('says a port is in use by another program, and names a sandbox that holds it', async () => {
    const blocker: Server = createServer();
    const port = await new Promise<number>((r) =>
      blocker.listen(0, '127.0.0.1', () => r((blocker.address() as { port: number }).port)),
    );
    try {
      const service = newService(newPlaces());
      await assert.rejects(
        service.start(port),
        (error: unknown) =>
          error instanceof SandboxStartError &&
          error.reason === 'portInUse' &&
          error.port === port &&
          error.holder === undefined &&
          /Port \d+ on 127\.0\.0\.1 is in use by another program\./.test(error.message),
      );
      assert.equal(service.state.kind, 'stopped');
    } finally {
      blocker.close();
    }
    const other = newService(newPlaces());
    const running = await other.start(0);
    const service = newService(newPlaces());
    await assert.rejects(service.start(running.port), (error: unknown) => {
      return error instanceof SandboxStartError && error.holder?.pid === running.pid;
    });
  });

  it('two windows starting at the same moment end up with one sandbox', async () => {
    const places = newPlaces();
    const [a, b] = await Promise.all([newService(places).start(0), newService(places).start(0)]);
    assert.equal(a.pid, b.pid);
    assert.equal(a.port, b.port);
  });

  it('attaches to a sandbox by URL and reports "not answering" for a live process that stops answering', async () => {
    const places = newPlaces();
    const running = await newService(places).start(0);
    const other = newService(newPlaces(), { pollMs: 100 });
    const attached = await other.attach(running.baseUrl);
    assert.equal(attached.pid, running.pid);
    assert.equal(attached.managed, false, 'a sandbox of another data folder');
    other.watch();
    process.kill(running.pid, 'SIGSTOP');
    try {
      const lost = await until(
        '"not answering"',
        () => (other.state.kind === 'lost' ? other.state : undefined),
        20_000,
      );
      assert.equal(lost.reason, 'notAnswering');
    } finally {
      process.kill(running.pid, 'SIGCONT');
    }
    await assert.rejects(
      other.attach('http://127.0.0.1:9'),
      /No Testnet Desk sandbox answers at http:\/\/127\.0\.0\.1:9/,
    );
  });
});
