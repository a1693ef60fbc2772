// The log lines shown when the sandbox stops unexpectedly: the last ones, and nothing secret even
// if a line carried a key, a secret, a signature or a PEM.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogTail, redactLogLine } from '../../../src/app/sandbox/logTail';

const KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';

describe('sandbox log tail', () => {
  it('returns the last lines, only the end of a large file being read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'log-')), 'sandbox.log');
    const lines = Array.from({ length: 5000 }, (_, i) => `2026-01-01T00:00:00.000Z GET /api/v3/ping -> 200 (${i} ms)`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    assert.deepEqual(readLogTail(file, 3), lines.slice(-3));
    assert.deepEqual(readLogTail(join(tmpdir(), 'no-such-log'), 3), []);
  });

  it('masks anything that looks like a key, a secret, a signature or a private key', () => {
    assert.equal(redactLogLine(`internal error: unknown key ${KEY}`), 'internal error: unknown key vmPU…<redacted>');
    assert.equal(
      redactLogLine('GET /api/v3/order?symbol=BTCUSDT&signature=abc123'),
      'GET /api/v3/order?symbol=BTCUSDT&signature=<redacted>',
    );
    assert.equal(redactLogLine('-----BEGIN PRIVATE KEY-----'), '<private key redacted>');
    assert.equal(
      redactLogLine('MC4CAQAwBQYDK2VwBCIEIP5sJ6JlD8MSfmMOwz6lTSL+zXrGKKUlzYCe5d3sCxgo').includes('MC4CAQAw'),
      false,
    );
    // Ordinary lines, paths and times stay readable.
    const plain =
      '2026-12-03T10:31:13.483Z sandbox 0.1.0 starting (pid 5038, data /home/user/.config/Code/User/globalStorage/testnet-desk.testnet-desk/sandbox, new keys)';
    assert.equal(redactLogLine(plain), plain);
  });
});
