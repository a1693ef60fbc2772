// The data folder's marker and keys.json, and the command line: what is created, what is refused
// (with nothing changed), and the fixed default port.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../../../src/sandbox/service/cliArgs';
import { DATA_FORMAT, DATA_FORMAT_VERSION, openDataDir } from '../../../src/sandbox/service/dataDir';
import { ExitCode, ServiceError } from '../../../src/sandbox/service/exitCodes';
import { loadOrCreateKeys } from '../../../src/sandbox/service/keysFile';
import { openLogFile } from '../../../src/sandbox/service/logFile';
import { DEFAULT_PORT, portInUseMessage } from '../../../src/sandbox/service/ports';

const temp = (): string => mkdtempSync(join(tmpdir(), 'sandbox-files-'));

function refusedWith(code: number, pattern: RegExp): (error: unknown) => boolean {
  return (error) => error instanceof ServiceError && error.exitCode === code && pattern.test(error.message);
}

describe('sandbox data folder', () => {
  it('creates the folder (0700) with a format marker, and reopens it', () => {
    const dir = join(temp(), 'a', 'b');
    const paths = openDataDir(dir);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const marker = JSON.parse(readFileSync(paths.marker, 'utf8'));
    assert.equal(marker.format, DATA_FORMAT);
    assert.equal(marker.version, DATA_FORMAT_VERSION);
    assert.deepEqual(openDataDir(dir), paths);
  });

  it('accepts a new folder that holds only the log a launcher opened', () => {
    const dir = temp();
    writeFileSync(join(dir, 'sandbox.log'), 'early line\n');
    openDataDir(dir);
    assert.deepEqual(readdirSync(dir).sort(), ['sandbox-data.json', 'sandbox.log']);
  });

  it('refuses a folder of a newer format, or of another program, and changes nothing', () => {
    const newer = temp();
    writeFileSync(join(newer, 'sandbox-data.json'), JSON.stringify({ format: DATA_FORMAT, version: 99 }));
    assert.throws(
      () => openDataDir(newer),
      refusedWith(
        ExitCode.dataDirUnusable,
        new RegExp(`written by a newer sandbox \\(data format 99; this one reads up to ${DATA_FORMAT_VERSION}\\)`),
      ),
    );
    const other = temp();
    writeFileSync(join(other, 'sandbox-data.json'), JSON.stringify({ format: 'something-else', version: 1 }));
    assert.throws(() => openDataDir(other), refusedWith(ExitCode.dataDirUnusable, /does not describe a Testnet Desk/));
    assert.deepEqual(readdirSync(other), ['sandbox-data.json']);
  });
});

describe('sandbox keys.json', () => {
  it('generates the keys once, owner-only, and returns the same ones afterwards', () => {
    const file = join(temp(), 'keys.json');
    const first = loadOrCreateKeys(file);
    assert.equal(first.created, true);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(first.keys.hmac.apiKey, /^[A-Za-z0-9]{64}$/);
    assert.match(first.keys.ed25519.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
    const again = loadOrCreateKeys(file);
    assert.equal(again.created, false);
    assert.deepEqual(again.keys, first.keys);
  });

  it('makes a copied keys.json that others could read owner-only again', () => {
    const file = join(temp(), 'keys.json');
    loadOrCreateKeys(file);
    chmodSync(file, 0o644);
    loadOrCreateKeys(file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('refuses a damaged keys.json and never replaces it', () => {
    const dir = temp();
    const file = join(dir, 'keys.json');
    for (const content of [
      '{"version": 1, "hmac": {"apiKey": "abc"',
      JSON.stringify({ version: 2 }),
      JSON.stringify({
        version: 1,
        hmac: { apiKey: 'A', secret: 'B' },
        ed25519: { apiKey: 'C', privateKeyPem: 'not a key' },
      }),
    ]) {
      writeFileSync(file, content);
      assert.throws(
        () => loadOrCreateKeys(file),
        refusedWith(ExitCode.dataDirUnusable, /is damaged .*Nothing was changed/),
      );
      assert.equal(readFileSync(file, 'utf8'), content);
    }
    assert.deepEqual(readdirSync(dir), ['keys.json']);
  });
});

describe('sandbox log file', () => {
  it('appends timestamped lines and rotates by copying, so an fd held by a launcher still writes to the live file', () => {
    const dir = temp();
    const file = join(dir, 'sandbox.log');
    const log = openLogFile(file, 200);
    for (let i = 0; i < 10; i++) log.write(`line ${i}`);
    log.close();
    const live = readFileSync(file, 'utf8');
    const old = readFileSync(`${file}.1`, 'utf8');
    assert.match(old, /^\d{4}-\d\d-\d\dT[\d:.]+Z line 0\n/);
    assert.ok(live.length < 200, `the live file was truncated (${live.length} bytes)`);
    assert.match(live + old, /line 9/);
  });
});

describe('sandbox command line', () => {
  it('listens on the fixed default port unless --port says otherwise (0 = any free port)', () => {
    assert.equal(DEFAULT_PORT, 27182);
    assert.equal(parseArgs([]).port, DEFAULT_PORT);
    assert.equal(parseArgs(['--port', '0']).port, 0);
    assert.equal(parseArgs([]).dataDir, undefined, 'in memory without --data');
  });

  it('refuses bad arguments with the usage exit code', () => {
    for (const argv of [['--port', '-1'], ['--port', '70000'], ['--port'], ['--data'], ['--bogus']])
      assert.throws(() => parseArgs(argv), refusedWith(ExitCode.usage, /usage: sandbox/), argv.join(' '));
    assert.throws(
      () => parseArgs(['--data', 'x', '--in-memory']),
      refusedWith(ExitCode.usage, /--data and --in-memory exclude each other/),
    );
  });

  it('says what to do when a port is taken', () => {
    assert.equal(
      portInUseMessage(27182),
      'Port 27182 on 127.0.0.1 is in use: another program is listening there. Stop that program, or start this sandbox ' +
        'on another port: --port N (--port 0 picks a free one; in VS Code, the setting testnetDesk.sandbox.port).',
    );
    assert.match(
      portInUseMessage(27182, { pid: 7, dataDir: '/d' }),
      /another Testnet Desk sandbox \(pid 7, data \/d\) is listening there\. Use that one \(its URL is http:\/\/127\.0\.0\.1:27182\)/,
    );
  });
});
