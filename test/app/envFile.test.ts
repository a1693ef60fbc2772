// Write Environment to .env: refused when git tracks .env (staged or committed) or for Live, with
// nothing written; otherwise written atomically, owner-only when new, keeping the other lines. git
// is asked with the repository's fsmonitor hook turned off.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvFileRefused, writeEnvFile } from '../../src/app/envFile';
import { gitTracking } from '../../src/app/gitTracking';
import { LIVE, localSandbox, SPOT_TESTNET } from '../../src/core/environments';

const local = localSandbox('http://127.0.0.1:27182');
const input = { environment: local, keyType: 'hmac' as const, apiKey: 'KEY1', secret: 'SECRET1', label: 'Sandbox key' };

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bot-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  git('config', 'user.email', 't@example.com');
  git('config', 'user.name', 't');
  return dir;
}

describe('Write Environment to .env', () => {
  it('refuses a .env that git tracks (even only staged), and writes nothing', async () => {
    const dir = repo();
    writeFileSync(join(dir, '.env'), 'OTHER=1\n');
    execFileSync('git', ['add', '.env'], { cwd: dir });
    assert.deepEqual(await gitTracking(dir, '.env'), { kind: 'tracked' });
    await assert.rejects(writeEnvFile(dir, input), (error: unknown) => {
      return (
        error instanceof EnvFileRefused &&
        /is tracked by git/.test(error.message) &&
        /git rm --cached \.env/.test(error.message)
      );
    });
    assert.equal(readFileSync(join(dir, '.env'), 'utf8'), 'OTHER=1\n');
    assert.deepEqual(readdirSync(dir).sort(), ['.env', '.git']);
  });

  it('writes an untracked .env, owner-only, and says when it is not ignored', async () => {
    const dir = repo();
    const result = await writeEnvFile(dir, input);
    assert.equal(result.notIgnored, true);
    const text = readFileSync(join(dir, '.env'), 'utf8');
    assert.match(text, /^BINANCE_STREAM_URL=ws:\/\/127\.0\.0\.1:27182\/ws$/m);
    assert.match(text, /^BINANCE_API_SECRET=SECRET1$/m);
    assert.equal(statSync(join(dir, '.env')).mode & 0o777, 0o600);
    writeFileSync(join(dir, '.gitignore'), '.env\n');
    assert.deepEqual(await gitTracking(dir, '.env'), { kind: 'untracked', ignored: true });
    assert.equal((await writeEnvFile(dir, input)).notIgnored, false);
  });

  it('keeps the mode and the other lines of an existing file, and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bot-plain-'));
    assert.deepEqual(await gitTracking(dir, '.env'), { kind: 'noRepository' });
    writeFileSync(join(dir, '.env'), 'PORT=3000\nBINANCE_ENV=testnet\n');
    chmodSync(join(dir, '.env'), 0o640);
    await writeEnvFile(dir, input);
    const text = readFileSync(join(dir, '.env'), 'utf8');
    assert.match(text, /^PORT=3000\nBINANCE_ENV=local\n/);
    assert.equal(statSync(join(dir, '.env')).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir), ['.env']);
  });

  it('refuses Live before looking at the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bot-live-'));
    let asked = false;
    await assert.rejects(
      writeEnvFile(dir, { ...input, environment: LIVE }, async () => {
        asked = true;
        return { kind: 'noRepository' };
      }),
      /Live keys are never written to a file/,
    );
    assert.equal(asked, false);
    assert.equal(existsSync(join(dir, '.env')), false);
    // A forged object naming Live by id is Live too.
    await assert.rejects(writeEnvFile(dir, { ...input, environment: { ...SPOT_TESTNET, id: 'live' } }), EnvFileRefused);
  });

  it("does not run a repository's fsmonitor program while checking", async () => {
    const dir = repo();
    const marker = join(dir, 'fsmonitor-ran');
    const hook = join(dir, 'hook.sh');
    writeFileSync(hook, `#!/bin/sh\ntouch ${JSON.stringify(marker)}\n`);
    chmodSync(hook, 0o755);
    execFileSync('git', ['config', 'core.fsmonitor', hook], { cwd: dir });
    await gitTracking(dir, '.env');
    assert.equal(existsSync(marker), false, 'git ran the configured fsmonitor program');
  });
});
