// The walker the export probe runs in the host and e2e lanes (test/support/exportWalk.ts): it must find
// key material wherever an object graph lets another extension reach it, so that "found nothing" in
// those lanes means something. Real Credential objects, a store and a prompter holder shaped like the
// ones the extension used to export.
import * as assert from 'assert';
import { Credential } from '../../src/core/credentials';
import { localSandbox } from '../../src/core/environments';
import { keyNeedles, walkForSecrets, type Needle } from './exportWalk';
import { DOC_ED25519_PEM, DOC_ED25519_WS_API_KEY, DOC_HMAC } from './vectors';

const env = localSandbox('http://127.0.0.1:9');
const hmac = Credential.create({ id: 'k-hmac', label: 'hmac', environment: env, keyType: 'hmac', ...DOC_HMAC });
const ed25519 = Credential.create({
  id: 'k-ed',
  label: 'ed',
  environment: env,
  keyType: 'ed25519',
  apiKey: DOC_ED25519_WS_API_KEY,
  privateKeyPem: DOC_ED25519_PEM,
});
const needles: Needle[] = [
  ...keyNeedles('HMAC', DOC_HMAC),
  ...keyNeedles('Ed25519', { apiKey: DOC_ED25519_WS_API_KEY, privateKeyPem: DOC_ED25519_PEM }),
];

/** Like SecretCredentialStore: credentials in a private field, key material only through methods. */
class Store {
  readonly #credentials = [hmac, ed25519];
  list(): readonly Credential[] {
    return this.#credentials;
  }
  async readSecretMaterial(id: string): Promise<{ secret?: string; privateKeyPem?: string } | undefined> {
    const stored = this.#credentials.find((c) => c.id === id)?.toStored();
    return stored && { secret: stored.secret, privateKeyPem: stored.privateKeyPem };
  }
}

class PrompterHolder {
  #current: object = { real: true };
  get current(): object {
    return this.#current;
  }
  set(prompter: object | undefined): void {
    this.#current = prompter ?? { real: true };
  }
}

const labelsFound = (hits: { needle: string }[]) => [...new Set(hits.map((h) => h.needle))].sort();
const allLabels = needles.map((n) => n.label).sort();

describe('export walk (what another extension can reach)', () => {
  it('finds every secret and full API key behind methods, getters and ids the graph gives away', async () => {
    const report = await walkForSecrets({ ready: Promise.resolve(), store: new Store() }, 'exports', { needles });
    assert.deepStrictEqual(labelsFound(report.hits), allLabels);
    const paths = report.hits.map((h) => h.path);
    assert.ok(paths.includes('exports.store.list().0.apiKey'), paths.join('\n'));
    assert.ok(paths.includes('exports.store.list().0.toStored().secret'), paths.join('\n'));
    assert.ok(
      paths.some((p) => p.startsWith('exports.store.readSecretMaterial(<id>)')),
      `readSecretMaterial was never called with a credential's id:\n${paths.join('\n')}`,
    );
    assert.ok(report.capabilities.some((c) => c.endsWith('readSecretMaterial')));
    assert.strictEqual(report.truncated, false);
  });

  it('looks inside Maps, Sets, promise results, function properties, Buffers and key objects', async () => {
    const only = (label: string) => needles.filter((n) => n.label === label);
    const cases: [string, unknown, Needle[]][] = [
      ['Map value', new Map([['k', { s: DOC_HMAC.secret }]]), only('HMAC secret')],
      ['Map key', new Map([[DOC_HMAC.apiKey, 1]]), only('HMAC full API key')],
      ['Set', new Set([[DOC_HMAC.secret]]), only('HMAC secret')],
      ['promise result', { later: Promise.resolve({ s: DOC_HMAC.secret }) }, only('HMAC secret')],
      ['function property', Object.assign(() => undefined, { config: { s: DOC_HMAC.secret } }), only('HMAC secret')],
      ['Buffer', { b: Buffer.from(`x${DOC_HMAC.secret}y`) }, only('HMAC secret')],
      ['a Credential', { c: hmac }, [...only('HMAC secret'), ...only('HMAC full API key')]],
      ['private KeyObject', { k: ed25519.privateKey() }, only('Ed25519 private key PEM')],
      ['inherited getter', Object.create({ get deep() { return [DOC_HMAC.secret]; } }), only('HMAC secret')], // prettier-ignore
      ['property name', { [DOC_HMAC.apiKey]: true }, only('HMAC full API key')],
    ];
    for (const [what, root, expected] of cases) {
      const report = await walkForSecrets(root, 'root', { needles });
      assert.deepStrictEqual(
        labelsFound(report.hits),
        expected.map((n) => n.label).sort(),
        `${what}: ${JSON.stringify(report)}`,
      );
    }
  });

  it('installs its prompter through setPrompter and through set() on an object reached as "prompter"', async () => {
    const holder = new PrompterHolder();
    const other = new PrompterHolder();
    const probePrompter = { probe: true };
    const api = { setPrompter: (p: object | undefined) => holder.set(p), coordinator: { prompter: other } };
    const report = await walkForSecrets(api, 'exports', { needles, prompter: probePrompter });
    assert.deepStrictEqual(report.prompterInstalls.sort(), ['exports.coordinator.prompter.set', 'exports.setPrompter']);
    assert.strictEqual(holder.current, probePrompter);
    assert.strictEqual(other.current, probePrompter);
  });

  it('finds nothing and installs nothing from a frozen { ready }', async () => {
    const ready = Object.freeze(Promise.resolve());
    const report = await walkForSecrets(Object.freeze({ ready }), 'exports', { needles, prompter: {} });
    assert.deepStrictEqual(report.rootKeys, ['ready']);
    assert.strictEqual(report.rootFrozen, true);
    assert.deepStrictEqual(report.hits, []);
    assert.deepStrictEqual(report.capabilities, []);
    assert.deepStrictEqual(report.prompterInstalls, []);
    assert.strictEqual(report.nodes, 2); // the object and its promise; the promise's prototype is a built-in
  });

  it('ends on cycles and stops at its depth bound, saying so', async () => {
    const cyclic: { self?: unknown; s: string } = { s: 'nothing' };
    cyclic.self = cyclic;
    assert.strictEqual((await walkForSecrets(cyclic, 'root', { needles })).truncated, false);
    let deep: object = { s: DOC_HMAC.secret };
    for (let i = 0; i < 12; i++) deep = { next: deep };
    const report = await walkForSecrets(deep, 'root', { needles, maxDepth: 8 });
    assert.strictEqual(report.truncated, true);
    assert.deepStrictEqual(report.hits, []);
  });

  it('never writes a needle into its report (the e2e probe stores the report in a file)', async () => {
    const report = await walkForSecrets({ store: new Store() }, 'exports', { needles });
    assert.ok(report.hits.length > 0);
    const text = JSON.stringify(report);
    for (const n of needles) assert.ok(!text.includes(n.value), `${n.label} is in the report`);
  });
});
