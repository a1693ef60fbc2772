// A bot-like program outside VS Code for the reload test: it reads the sandbox's HMAC key from the
// data folder's keys.json, as a user's bot would, and keeps querying open orders, placing a LIMIT
// order far below the market and cancelling it, signed its own way (node:crypto, global fetch). It
// rewrites a status file after each round (requests that succeeded, every failure) until SIGTERM.
//   node out/test/e2e/support/bot.js <baseUrl> <keys.json> <status.json>
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';

export interface BotStatus {
  ok: number;
  failures: string[];
  rounds: number;
  /** When the last request succeeded (ms since epoch). */
  lastOkAt: number;
  stopped: boolean;
}

const [baseUrl, keysFile, statusFile] = process.argv.slice(2);
const keys = JSON.parse(fs.readFileSync(keysFile, 'utf8')) as { hmac: { apiKey: string; secret: string } };
const status: BotStatus = { ok: 0, failures: [], rounds: 0, lastOkAt: 0, stopped: false };
let running = true;

function write(): void {
  fs.writeFileSync(`${statusFile}.tmp`, JSON.stringify(status));
  fs.renameSync(`${statusFile}.tmp`, statusFile);
}

async function signed(method: string, path: string, params: Record<string, string>): Promise<unknown> {
  const query = new URLSearchParams({ ...params, timestamp: String(Date.now()) }).toString();
  const signature = createHmac('sha256', keys.hmac.secret).update(query).digest('hex');
  const response = await fetch(`${baseUrl}${path}?${query}&signature=${signature}`, {
    method,
    headers: { 'X-MBX-APIKEY': keys.hmac.apiKey },
    signal: AbortSignal.timeout(5000),
  });
  const body = (await response.json()) as { code?: number; msg?: string };
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${body.code} ${body.msg}`);
  status.ok++;
  status.lastOkAt = Date.now();
  return body;
}

async function round(n: number): Promise<void> {
  await signed('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
  const placed = (await signed('POST', '/api/v3/order', {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '0.001',
    price: '30000',
    newClientOrderId: `bot-${process.pid}-${n}`,
  })) as { orderId: number };
  await signed('DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(placed.orderId) });
}

async function main(): Promise<void> {
  process.on('SIGTERM', () => (running = false));
  for (let n = 1; running; n++) {
    try {
      await round(n);
    } catch (error) {
      status.failures.push(`${new Date().toISOString()} ${(error as Error).message}`);
    }
    status.rounds = n;
    write();
    await new Promise((r) => setTimeout(r, 250));
  }
  status.stopped = true;
  write();
}

void main();
