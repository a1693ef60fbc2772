// What another extension in the same extension host can reach from an object it was handed (our
// extension's exports): walks the object graph the way a curious or hostile extension would, and
// reports where a secret or a full API key turned up, which reachable functions look like they sign,
// read key material or answer prompts, and which of them accepted the walker's own prompter.
//
// It follows own and inherited properties (string and symbol keys) up to the shared built-ins,
// invokes getters, walks functions' own properties, Map keys/values, Set values, iterators and
// promise results (with a time bound), and calls every reachable method whose name reads like an
// accessor (get*, list*, read*, to*, active*, …) with no argument and then with each id-like string
// seen so far (so `store.list()` leads to a credential and `readSecretMaterial(id)` to its secret).
// Functions named like a prompter setter (`setPrompter`, or `set` on an object reached through a
// `prompter` key) are called with the walker's prompter. No dependency on vscode: the unit lane
// tests the walker itself; the host and e2e lanes run it inside the extension host (test/probe).
import { KeyObject } from 'node:crypto';

export interface Needle {
  /** Says what the value is ("HMAC secret"); the value itself never appears in a report. */
  label: string;
  value: string;
}

export interface NeedleHit {
  needle: string;
  /** How the value was reached, e.g. `exports.store.list().0.toStored().secret`. */
  path: string;
}

export interface WalkReport {
  /** Own property keys of the root, as strings. */
  rootKeys: string[];
  rootFrozen: boolean;
  /** Objects and functions walked (built-ins excluded). */
  nodes: number;
  /** Accessor-like methods and getters invoked. */
  calls: number;
  hits: NeedleHit[];
  /** Paths of reachable functions or keys whose names say they sign, hold key material or prompt. */
  capabilities: string[];
  /** Paths of functions that were called with the walker's prompter. */
  prompterInstalls: string[];
  /** A bound (depth, nodes, calls) cut the walk short. */
  truncated: boolean;
}

export interface WalkOptions {
  needles: readonly Needle[];
  /** Handed to every prompter-setter-like function found; omitted: none is called. */
  prompter?: object;
  maxDepth?: number;
  maxNodes?: number;
  maxCalls?: number;
  /** How long a promise (a getter's or method's result) is awaited. */
  settleMs?: number;
}

const ACCESSOR =
  /^(get|list|read|find|active|current|available|describe|entries|values|keys|snapshot|to[A-Z_]|hmac|private|secret)/;
const PROMPT = /prompt/i;
const CAPABILITY = /secret|sign|prompt|privateKey|toStored|hmac|apiKey/i;
const ID_KEY = /(^id$|Id$|^key$)/;
const NOT_A_WALK_KEY = new Set(['caller', 'callee', 'arguments']);

/** Objects every extension shares (globalThis and what hangs off it): never ours, never walked. */
function builtIns(): Set<unknown> {
  const set = new Set<unknown>();
  const add = (start: unknown): void => {
    for (let v = start; v !== null && (typeof v === 'object' || typeof v === 'function') && !set.has(v);) {
      set.add(v);
      v = Object.getPrototypeOf(v);
    }
  };
  add(globalThis);
  // String keys only: a symbol-keyed global may be exactly what a test wants walked.
  for (const key of Object.getOwnPropertyNames(globalThis)) {
    try {
      const value = (globalThis as Record<string, unknown>)[key];
      add(value);
      if (typeof value === 'function') add((value as { prototype?: unknown }).prototype);
    } catch {
      // a throwing global getter: nothing to add
    }
  }
  add(async function () {});
  add(function* () {});
  add(async function* () {});
  add([][Symbol.iterator]());
  add(new Map().entries());
  add(new Set().values());
  add(''[Symbol.iterator]());
  return set;
}

/** A Proxy may throw from its traps: treated as having nothing more to give. */
function ownKeys(value: object): (string | symbol)[] {
  try {
    return Reflect.ownKeys(value);
  } catch {
    return [];
  }
}

function prototypeOf(value: object): object | null {
  try {
    return Object.getPrototypeOf(value) as object | null;
  } catch {
    return null;
  }
}

const isObjectLike = (v: unknown): v is object => v !== null && (typeof v === 'object' || typeof v === 'function');
const keyText = (k: string | symbol): string => (typeof k === 'symbol' ? `[${String(k)}]` : k);
const sleep = (ms: number) => new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref());

interface Item {
  value: unknown;
  path: string;
  depth: number;
  /** The key this value was reached through. */
  via: string;
}

class Walk {
  readonly hits = new Map<string, NeedleHit>();
  readonly capabilities = new Set<string>();
  readonly prompterInstalls = new Set<string>();
  readonly ids = new Set<string>();
  nodes = 0;
  calls = 0;
  truncated = false;
  readonly #builtIns = builtIns();
  readonly #options: Required<Omit<WalkOptions, 'prompter'>> & { prompter?: object };
  readonly #needleBytes: { label: string; bytes: Buffer }[];

  constructor(options: WalkOptions) {
    this.#options = { maxDepth: 8, maxNodes: 20_000, maxCalls: 3_000, settleMs: 300, ...options };
    this.#needleBytes = options.needles.map((n) => ({ label: n.label, bytes: Buffer.from(n.value, 'utf8') }));
  }

  /** One breadth-first pass; ids found on the way are offered to accessors on the next pass. */
  async pass(root: unknown, rootPath: string): Promise<void> {
    const seen = new Set<unknown>();
    this.nodes = 0; // per pass: the last pass, which knows every id, is the one reported
    const queue: Item[] = [{ value: root, path: rootPath, depth: 0, via: '' }];
    for (let item = queue.shift(); item; item = queue.shift()) {
      const { value, path, depth } = item;
      if (typeof value === 'string') {
        this.#checkString(value, path);
        continue;
      }
      if (!isObjectLike(value) || seen.has(value) || this.#builtIns.has(value)) continue;
      if (depth > this.#options.maxDepth || this.nodes >= this.#options.maxNodes) {
        this.truncated = true;
        continue;
      }
      seen.add(value);
      this.nodes++;
      const next = (v: unknown, p: string, via = '') => queue.push({ value: v, path: p, depth: depth + 1, via });
      if (value instanceof KeyObject) {
        this.#checkKeyObject(value, path);
        continue;
      }
      if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
        this.#checkBytes(value, path);
        continue;
      }
      if (value instanceof Promise) next(await this.#settle(value), `${path}.<resolved>`);
      else if (value instanceof Map) {
        let i = 0;
        for (const [k, v] of value) {
          next(k, `${path}.<key ${i}>`);
          next(v, `${path}.<value ${i++}>`);
        }
      } else if (value instanceof Set) {
        let i = 0;
        for (const v of value) next(v, `${path}.<item ${i++}>`);
      }
      await this.#walkProperties(value, path, item.via, next);
    }
  }

  async #walkProperties(
    value: object,
    path: string,
    via: string,
    next: (v: unknown, p: string, via?: string) => void,
  ): Promise<void> {
    const done = new Set<string | symbol>();
    for (let owner: object | null = value; owner && !this.#builtIns.has(owner); owner = prototypeOf(owner)) {
      for (const key of ownKeys(owner)) {
        if (done.has(key) || NOT_A_WALK_KEY.has(key as string) || (key === 'constructor' && owner !== value)) continue;
        done.add(key);
        if (typeof key === 'string') this.#checkString(key, `${path}.<a property name>`);
        const name = this.#printable(keyText(key));
        const at = `${path}.${name}`;
        let descriptor: PropertyDescriptor | undefined;
        try {
          descriptor = Reflect.getOwnPropertyDescriptor(owner, key);
        } catch {
          descriptor = undefined;
        }
        if (!descriptor) continue;
        if (CAPABILITY.test(name)) this.capabilities.add(at);
        if (descriptor.get || descriptor.set) {
          if (!descriptor.get) continue;
          const got = await this.#invoke(descriptor.get, value, []);
          if (got.ok) next(got.value, at, name);
          continue;
        }
        const member = descriptor.value;
        if (typeof member === 'string' && ID_KEY.test(name)) this.ids.add(member);
        if (typeof member === 'function') {
          if (this.#options.prompter && (PROMPT.test(name) || (name === 'set' && PROMPT.test(via)))) {
            const installed = await this.#invoke(member, value, [this.#options.prompter]);
            if (installed.ok) this.prompterInstalls.add(at);
          }
          if (ACCESSOR.test(name)) await this.#callAccessor(member, value, at, next);
        }
        next(member, at, name);
      }
    }
  }

  async #callAccessor(
    fn: (...args: unknown[]) => unknown,
    receiver: object,
    at: string,
    next: (v: unknown, p: string, via?: string) => void,
  ): Promise<void> {
    const argLists: unknown[][] = [[]];
    if (fn.length > 0) for (const id of this.ids) argLists.push([id]);
    for (const args of argLists) {
      const result = await this.#invoke(fn, receiver, args);
      if (!result.ok) continue;
      const shown = args.length ? `${at}(<id>)` : `${at}()`;
      next(this.#drainIterator(result.value), shown);
    }
  }

  /** Calls fn; a thrown error or a rejected/slow promise is a miss, not a failure of the walk. */
  async #invoke(fn: (...args: unknown[]) => unknown, receiver: unknown, args: unknown[]) {
    if (this.calls >= this.#options.maxCalls) {
      this.truncated = true;
      return { ok: false as const };
    }
    this.calls++;
    try {
      const value = fn.apply(receiver, args);
      return { ok: true as const, value: value instanceof Promise ? await this.#settle(value) : value };
    } catch {
      return { ok: false as const };
    }
  }

  async #settle(promise: Promise<unknown>): Promise<unknown> {
    const outcome = await Promise.race([
      promise.then(
        (value) => ({ value }),
        (reason: unknown) => ({ value: reason }),
      ),
      sleep(this.#options.settleMs),
    ]);
    return outcome === 'timeout' ? undefined : outcome.value;
  }

  #drainIterator(value: unknown): unknown {
    if (!isObjectLike(value) || Array.isArray(value) || typeof (value as Iterator<unknown>).next !== 'function')
      return value;
    const items: unknown[] = [];
    try {
      for (
        let i = 0, r = (value as Iterator<unknown>).next();
        !r.done && i < 1000;
        i++, r = (value as Iterator<unknown>).next()
      )
        items.push(r.value);
    } catch {
      // an iterator that throws: keep what it gave
    }
    return items;
  }

  /** A property name that is itself a needle must not carry it into the report. */
  #printable(name: string): string {
    return this.#options.needles.some((n) => n.value && name.includes(n.value)) ? '<a needle-named key>' : name;
  }

  #checkString(text: string, path: string): void {
    for (const n of this.#options.needles)
      if (n.value && text.includes(n.value)) this.hits.set(`${n.label} ${path}`, { needle: n.label, path });
  }

  #checkBytes(value: ArrayBufferView | ArrayBuffer, path: string): void {
    const bytes = ArrayBuffer.isView(value)
      ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
      : Buffer.from(value);
    for (const n of this.#needleBytes)
      if (n.bytes.length && bytes.includes(n.bytes)) this.hits.set(`${n.label} ${path}`, { needle: n.label, path });
    this.#checkString(bytes.toString('utf8'), path);
  }

  #checkKeyObject(key: KeyObject, path: string): void {
    if (key.type === 'public') return;
    this.capabilities.add(`${path} (${key.type} KeyObject)`);
    try {
      if (key.type === 'secret') this.#checkBytes(key.export(), path);
      else this.#checkString(String(key.export({ type: 'pkcs8', format: 'pem' })), path);
    } catch {
      // not exportable: still reported as a capability
    }
  }
}

/**
 * Walks everything reachable from `root` (see the file comment). Passes repeat while new id-like
 * strings turn up (at most three), so an accessor that needs an id is tried with the ids the graph
 * itself gives away.
 */
export async function walkForSecrets(root: unknown, rootPath: string, options: WalkOptions): Promise<WalkReport> {
  const walk = new Walk(options);
  for (let pass = 0; pass < 3; pass++) {
    const idsBefore = walk.ids.size;
    await walk.pass(root, rootPath);
    if (walk.ids.size === idsBefore) break;
  }
  return {
    rootKeys: isObjectLike(root) ? Reflect.ownKeys(root).map(keyText) : [],
    rootFrozen: isObjectLike(root) && Object.isFrozen(root),
    nodes: walk.nodes,
    calls: walk.calls,
    hits: [...walk.hits.values()],
    capabilities: [...walk.capabilities],
    prompterInstalls: [...walk.prompterInstalls],
    truncated: walk.truncated,
  };
}

/**
 * The needles for one key: its full API key and its secret, or for a PEM key the longest base64 line
 * of its body (present in any copy of the PEM, whatever its header or line endings).
 */
export function keyNeedles(label: string, key: { apiKey: string; secret?: string; privateKeyPem?: string }): Needle[] {
  const needles: Needle[] = [{ label: `${label} full API key`, value: key.apiKey }];
  if (key.secret) needles.push({ label: `${label} secret`, value: key.secret });
  if (key.privateKeyPem) {
    const body = key.privateKeyPem
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('-----'))
      .sort((a, b) => b.length - a.length)[0];
    if (body) needles.push({ label: `${label} private key PEM`, value: body });
  }
  return needles;
}
