// Write Environment to .env and the F5 environment, as the commands run them: the secret only
// after the modal (or the launch configuration's opt-in), Live refused, an untrusted workspace
// refused, the other lines of .env kept.
import '../../support/vscodeStub';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIVE, localSandbox, type Environment } from '../../../src/core/environments';
import { BotCommands } from '../../../src/vscode/environment/botCommands';
import { BotDebugConfigurationProvider } from '../../../src/vscode/environment/botDebugConfiguration';
import { SecretCredentialStore } from '../../../src/vscode/keys/secretCredentialStore';
import { TEST_API_KEY, TEST_SECRET } from '../../support/credentials';
import { MemoryLog, MemoryMemento, MemorySecrets } from '../../support/memory';
import { RecordingPrompter, type Answer } from '../../support/recordingPrompter';

const local = localSandbox('http://127.0.0.1:27182');

async function storeWithKey(environment: Environment): Promise<SecretCredentialStore> {
  const store = new SecretCredentialStore(new MemorySecrets(), new MemoryMemento(), new MemoryLog());
  await store.add(
    { label: 'bot', environment, keyType: 'hmac', apiKey: TEST_API_KEY, secret: TEST_SECRET },
    { makeActive: true },
  );
  return store;
}

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'bot-folder-'));
}

describe('Write Environment to .env (command)', () => {
  const bot = async (environment: Environment, answer: Answer, trusted = true, folders = [] as string[]) => {
    const prompter = new RecordingPrompter(answer);
    const log = new MemoryLog();
    const commands = new BotCommands({ environment }, await storeWithKey(environment), prompter.holder(), log, {
      folders: () => folders.map((path, i) => ({ name: `f${i}`, path })),
      isTrusted: () => trusted,
    });
    return { commands, prompter, log };
  };

  it('writes the variables without the secret by default (the first, focused button) and keeps other lines', async () => {
    const dir = folder();
    writeFileSync(join(dir, '.env'), 'PORT=3000\n');
    const { commands, prompter, log } = await bot(
      local,
      (s) => (s.kind === 'warning' ? s.buttons?.[0] : undefined),
      true,
      [dir],
    );
    const result = await commands.writeEnv();
    assert.deepEqual(prompter.of('warning')[0].buttons, ['Write Without Secret Key', 'Write With Secret Key']);
    assert.equal(result?.includedSecret, false);
    const text = readFileSync(join(dir, '.env'), 'utf8');
    assert.match(text, /^PORT=3000\n/);
    assert.match(text, /^BINANCE_STREAM_URL=ws:\/\/127\.0\.0\.1:27182\/ws$/m);
    assert.match(text, new RegExp(`^BINANCE_API_KEY=${TEST_API_KEY}$`, 'm'));
    assert.doesNotMatch(text, /BINANCE_API_SECRET/);
    assert.ok(!log.lines.join('\n').includes(TEST_API_KEY), 'the log names no key');
  });

  it('adds the secret only when chosen', async () => {
    const dir = folder();
    const { commands } = await bot(local, (s) => (s.kind === 'warning' ? 'Write With Secret Key' : undefined));
    assert.equal((await commands.writeEnv({ folder: dir }))?.includedSecret, true);
    assert.match(readFileSync(join(dir, '.env'), 'utf8'), new RegExp(`^BINANCE_API_SECRET=${TEST_SECRET}$`, 'm'));
  });

  it('refuses Live and an untrusted workspace before asking anything, and writes nothing', async () => {
    const dir = folder();
    const live = await bot(LIVE, () => 'Write With Secret Key');
    await assert.rejects(live.commands.writeEnv({ folder: dir }), /Live keys are never written to a file/);
    const untrusted = await bot(local, () => 'Write With Secret Key', false);
    await assert.rejects(untrusted.commands.writeEnv({ folder: dir }), /Trust this workspace first/);
    assert.equal(live.prompter.shown.length + untrusted.prompter.shown.length, 0);
    assert.equal(existsSync(join(dir, '.env')), false);
  });

  it('asks for the folder when there are several, and says to open one when there is none', async () => {
    const [a, b] = [folder(), folder()];
    const { commands, prompter } = await bot(
      local,
      (s) => (s.kind === 'pick' ? 'f1' : s.kind === 'warning' ? s.buttons?.[0] : undefined),
      true,
      [a, b],
    );
    await commands.writeEnv();
    assert.equal(prompter.of('pick')[0].text, 'Write .env in which folder?');
    assert.ok(existsSync(join(b, '.env')) && !existsSync(join(a, '.env')));
    const none = await bot(local, () => undefined, true, []);
    await assert.rejects(none.commands.writeEnv(), /Open your bot's folder first/);
  });
});

describe('bot environment for F5 (debug configuration provider)', () => {
  const provider = async (environment: Environment, canTrade = false) => {
    const prompter = new RecordingPrompter();
    const store = await storeWithKey(environment);
    let secretReads = 0;
    const keys = {
      activeFor: (id: string) => store.activeFor(id),
      readSecretMaterial: (id: string) => {
        secretReads++;
        return store.readSecretMaterial(id);
      },
    };
    const p = new BotDebugConfigurationProvider(
      { environment },
      keys,
      { canTrade: () => canTrade },
      prompter.holder(),
      new MemoryLog(),
    );
    return { p, prompter, reads: () => secretReads };
  };
  const config = (extra: object) => ({ type: 'node', request: 'launch', name: 'bot', program: 'bot.js', ...extra });

  it('leaves a configuration without "testnetDesk" alone', async () => {
    const { p, reads } = await provider(local);
    const plain = config({ env: { A: '1' } });
    assert.deepEqual(await p.resolveDebugConfiguration(undefined, plain), plain);
    assert.equal(reads(), 0);
  });

  it('adds the URLs and the key to env, keeping the other variables; the secret only with includeSecret', async () => {
    const { p, reads } = await provider(local);
    const resolved = await p.resolveDebugConfiguration(
      undefined,
      config({ testnetDesk: true, env: { A: '1', BINANCE_ENV: 'x' } }),
    );
    assert.equal(resolved?.env.A, '1');
    assert.equal(resolved?.env.BINANCE_ENV, 'local');
    assert.equal(resolved?.env.BINANCE_STREAM_URL, 'ws://127.0.0.1:27182/ws');
    assert.equal(resolved?.env.BINANCE_API_KEY, TEST_API_KEY);
    assert.equal(resolved?.env.BINANCE_API_SECRET, undefined);
    assert.equal(reads(), 0, 'the secret is not even read without the opt-in');
    const withSecret = await p.resolveDebugConfiguration(undefined, config({ testnetDesk: { includeSecret: true } }));
    assert.equal(withSecret?.env.BINANCE_API_SECRET, TEST_SECRET);
  });

  it('refuses Live unless Live trading is enabled (the launch stops, nothing secret read)', async () => {
    const refused = await provider(LIVE, false);
    assert.equal(
      await refused.p.resolveDebugConfiguration(undefined, config({ testnetDesk: { includeSecret: true } })),
      undefined,
    );
    assert.match(refused.prompter.of('error')[0].text, /Live trading is off/);
    assert.equal(refused.reads(), 0);
    const allowed = await provider(LIVE, true);
    assert.equal(
      (await allowed.p.resolveDebugConfiguration(undefined, config({ testnetDesk: true })))?.env.BINANCE_ENV,
      'live',
    );
  });

  it('stops a launch with a malformed "testnetDesk" and says why', async () => {
    const { p, prompter } = await provider(local);
    assert.equal(await p.resolveDebugConfiguration(undefined, config({ testnetDesk: 'yes' })), undefined);
    assert.match(prompter.of('error')[0].text, /must be true or \{ "includeSecret": true \}/);
  });
});
