import '../../support/vscodeStub';
import { MemoryLog, MemoryMemento, MemorySecrets } from '../../support/memory';
import assert from 'node:assert/strict';
import { SPOT_TESTNET } from '../../../src/core/environments';
import { SecretCredentialStore } from '../../../src/vscode/keys/secretCredentialStore';
import { TEST_API_KEY, TEST_SECRET } from '../../support/credentials';

const INDEX = 'testnetDesk.keys.index';
const ITEM = 'testnetDesk.keys.item.';

function makeStore(): { store: SecretCredentialStore; secrets: MemorySecrets; state: MemoryMemento; log: MemoryLog } {
  const secrets = new MemorySecrets();
  const state = new MemoryMemento();
  const log = new MemoryLog();
  const store = new SecretCredentialStore(secrets, state, log);
  return { store, secrets, state, log };
}

const input = (apiKey = TEST_API_KEY, label = 'unit key') => ({
  label,
  environment: SPOT_TESTNET,
  keyType: 'hmac' as const,
  apiKey,
  secret: TEST_SECRET,
});

describe('SecretCredentialStore: no half-written keys, no secret in logs', () => {
  it('a failed index write leaves no orphaned secret behind and no key in the list', async () => {
    const { store, secrets } = makeStore();
    await store.ready();
    secrets.failStore = (key) => key === INDEX;
    await assert.rejects(store.add(input()));
    const orphans = [...secrets.data.keys()].filter((k) => k.startsWith(ITEM));
    assert.deepEqual(orphans, [], 'the secret written before the failed index write must be removed again');
    assert.equal(store.list().length, 0);
  });

  it('a failed secret write leaves the index untouched', async () => {
    const { store, secrets } = makeStore();
    await store.ready();
    secrets.failStore = (key) => key.startsWith(ITEM);
    await assert.rejects(store.add(input()));
    assert.equal(secrets.data.get(INDEX), undefined);
    assert.equal(store.list().length, 0);
  });

  it('re-adding a key whose index entry exists does not depend on rewriting the index', async () => {
    const { store, secrets } = makeStore();
    await store.ready();
    const first = await store.add(input());
    secrets.failStore = (key) => key === INDEX;
    const again = await store.add(input(TEST_API_KEY, 'renamed by re-add'));
    assert.equal(again.id, first.id);
    assert.deepEqual(
      store.list().map((c) => c.label),
      ['renamed by re-add'],
    );
  });

  it('remove deletes the secret before dropping the index entry; a failed delete keeps the key listed and says so', async () => {
    const { store, secrets, state } = makeStore();
    await store.ready();
    const a = await store.add(input(TEST_API_KEY, 'a'));
    const b = await store.add(input(`${TEST_API_KEY.slice(0, -1)}Z`, 'b'));
    secrets.failDelete = (key) => key === ITEM + b.id;
    await assert.rejects(
      store.removeWhere(() => true),
      /b/,
    );
    // "a" is fully gone; "b" is fully there (index, secret, list): nothing is half removed.
    assert.equal(secrets.data.has(ITEM + a.id), false);
    assert.equal(secrets.data.has(ITEM + b.id), true);
    assert.deepEqual(JSON.parse(secrets.data.get(INDEX) ?? '[]'), [b.id]);
    assert.deepEqual(
      store.list().map((c) => c.label),
      ['b'],
    );
    assert.equal(store.activeFor(SPOT_TESTNET.id)?.id, b.id);
    assert.ok(!Object.values(state.get<Record<string, string>>('testnetDesk.keys.active', {}) ?? {}).includes(a.id));
  });

  it('an unreadable stored item is skipped without quoting any of its content in the log', async () => {
    const { store, secrets, log } = makeStore();
    secrets.data.set(INDEX, JSON.stringify(['x']));
    secrets.data.set(`${ITEM}x`, TEST_SECRET);
    await store.reload();
    assert.equal(store.list().length, 0);
    assert.ok(log.lines.some((l) => l.includes('Skipped stored key x')));
    for (const line of log.lines)
      assert.ok(!line.includes(TEST_SECRET.slice(0, 8)), `leaked secret prefix in: ${line}`);
  });
});

describe('SecretCredentialStore.readSecretMaterial', () => {
  it('an unreadable entry fails with a message that quotes none of its text', async () => {
    const { store, secrets } = makeStore();
    secrets.data.set(`${ITEM}x`, TEST_SECRET);
    await assert.rejects(store.readSecretMaterial('x'), (error: Error) => {
      assert.ok(!error.message.includes(TEST_SECRET.slice(0, 8)), `leaked secret prefix in: ${error.message}`);
      assert.match(error.message, /add the key again/i);
      return true;
    });
  });
});
