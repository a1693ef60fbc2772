/**
 * Section 4: cost of Signer.signRest per key type (the whole signed-request build: environment
 * check, parameter encoding, signature, URL), plus raw node:crypto HMAC for scale. Batches of each
 * participant are interleaved round-robin; the median batch gives ns/op.
 */
import { createHmac, generateKeyPairSync, KeyObject } from 'node:crypto';
import { Credential, KeyType } from '../../src/core/credentials';
import { localSandbox } from '../../src/core/environments';
import { Signer } from '../../src/core/signer';
import { int, markdownTable, median, ratio, rotated } from '../lib/stats';

const ROUNDS = 60;
const BUDGET_MS = 12_000;
/** Aim for batches of about this long so timer resolution does not matter. */
const BATCH_TARGET_NS = 2_000_000;

interface Participant {
  name: string;
  op: () => unknown;
  batch: number;
  perOpNs: number[];
}

function pem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function timeBatch(op: () => unknown, n: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) op();
  return Number(process.hrtime.bigint() - t0);
}

export function runSigning(): string {
  const environment = localSandbox('http://127.0.0.1:1'); // signing only, nothing is sent
  const ed = generateKeyPairSync('ed25519');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const hmacSecret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'; // the docs' example key, not a real one
  const credential = (keyType: KeyType, material: { secret?: string; privateKeyPem?: string }): Credential =>
    Credential.create({
      id: keyType,
      label: keyType,
      environment,
      keyType,
      apiKey: `bench${keyType}ApiKey0123456789`,
      ...material,
    });
  const signers: [string, Signer][] = [
    ['Signer.signRest, HMAC-SHA-256', new Signer(credential('hmac', { secret: hmacSecret }))],
    ['Signer.signRest, Ed25519', new Signer(credential('ed25519', { privateKeyPem: pem(ed.privateKey) }))],
    ['Signer.signRest, RSA-2048 (PKCS#1 v1.5)', new Signer(credential('rsa', { privateKeyPem: pem(rsa.privateKey) }))],
  ];
  const request = {
    environment,
    method: 'POST' as const,
    path: '/api/v3/order',
    params: {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.0002',
      price: '30000.00',
      newClientOrderId: 'td-bench-000000000001',
    },
  };
  let ts = 1_700_000_000_000;
  const participants: Participant[] = signers.map(([name, signer]) => ({
    name,
    op: () => signer.signRest(request, { timestamp: ts++, recvWindow: 5000 }),
    batch: 1,
    perOpNs: [],
  }));
  const payload =
    'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.0002&price=30000.00&newClientOrderId=td-bench-000000000001&recvWindow=5000&timestamp=1700000000000';
  participants.push({
    name: 'raw node:crypto createHmac only (no Signer), same payload',
    op: () => createHmac('sha256', hmacSecret).update(payload).digest('hex'),
    batch: 1,
    perOpNs: [],
  });

  // Calibrate (doubles as warm-up): size each batch to about BATCH_TARGET_NS.
  for (const p of participants) {
    for (let i = 0; i < 50; i++) p.op();
    const probe = Math.max(1, timeBatch(p.op, 50) / 50);
    p.batch = Math.max(1, Math.round(BATCH_TARGET_NS / probe));
  }
  const started = Date.now();
  let rounds = 0;
  for (; rounds < ROUNDS && Date.now() - started < BUDGET_MS; rounds++) {
    for (const p of rotated(participants, rounds)) p.perOpNs.push(timeBatch(p.op, p.batch) / p.batch);
  }
  const hmacNs = median(participants[0].perOpNs);
  const rows = participants.map((p, i) => {
    const ns = median(p.perOpNs);
    return [p.name, int(ns), int(1e9 / ns), `${p.batch}`, i === 0 ? '1.00× (reference)' : ratio(ns, hmacNs)];
  });
  return [
    '### 4. Signing cost per operation',
    '',
    `Signer.signRest for a POST /api/v3/order with 7 parameters (percent-encoding, signature, URL and body), one credential per key type; keys generated in this run. ${rounds} rounds; each round times one batch (≈2 ms) per participant, interleaved round-robin; the table shows the median batch's ns/op.`,
    '',
    markdownTable(['operation', 'ns/op (median)', 'ops/s', 'batch size', 'vs Signer HMAC'], rows),
  ].join('\n');
}
