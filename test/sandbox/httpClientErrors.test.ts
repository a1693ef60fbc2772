/**
 * Requests that never reach the request handler: a request or body that stops coming (timeouts)
 * and requests Node's HTTP parser rejects. Raw sockets, so the tests control every byte and see
 * exactly what comes back and when the connection closes.
 */
import * as assert from 'node:assert/strict';
import { connect } from 'node:net';
import { SandboxHandle, startSandbox } from '../../src/sandbox';

interface RawReply {
  status: number;
  head: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked field by field
  json: any;
  /** ms from the first byte sent until the server closed the connection. */
  closedAfterMs: number;
}

type Step = string | { pauseMs: number };

/** Sends `steps` (text, or a pause) on a fresh connection to 127.0.0.1 and reads until the server closes it. */
function exchange(port: number, steps: Step[], giveUpMs = 10_000): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let started = 0;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset after the answer still ends in 'close'
    socket.on('close', () => {
      clearTimeout(giveUp);
      const closedAfterMs = Date.now() - started;
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no HTTP answer before the close: ${JSON.stringify(text)}`));
      const head = text.slice(0, split);
      const body = text.slice(split + 4);
      resolve({ status: Number(head.split(' ')[1]), head, json: body ? JSON.parse(body) : undefined, closedAfterMs });
    });
    socket.once('connect', async () => {
      started = Date.now();
      for (const step of steps) {
        if (typeof step === 'string') socket.write(step);
        else await new Promise((r) => setTimeout(r, step.pauseMs));
      }
    });
  });
}

describe('sandbox HTTP: requests that stop coming or that Node cannot parse', function () {
  this.timeout(20000);
  const headersMs = 400;
  const requestMs = 2000;
  /** Node checks for expired requests on a timer (a quarter of headersMs here), plus a busy machine's delays. */
  const slack = 1500;
  let sb: SandboxHandle;
  let port: number;
  const logs: string[] = [];

  before(async () => {
    sb = await startSandbox({
      port: 0,
      marketMaker: false,
      httpTimeouts: { headersMs, requestMs },
      log: (l) => logs.push(l),
    });
    port = Number(new URL(sb.baseUrl).port);
  });
  after(() => sb.close());

  it('answers 408 in JSON and closes a request whose body never completes, within the request timeout', async () => {
    const reply = await exchange(port, [
      'POST /api/v3/order HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Content-Length: 100\r\n\r\nsymbol=BTCUSDT',
    ]);
    assert.equal(reply.status, 408, reply.head);
    assert.match(reply.head, /content-type: application\/json/i);
    assert.equal(reply.json.code, -1000);
    assert.match(reply.json.msg, /did not arrive in time.*within 0\.4 s.*within 2 s/);
    assert.ok(reply.closedAfterMs >= requestMs - 50, `closed after ${reply.closedAfterMs} ms, before the timeout`);
    assert.ok(reply.closedAfterMs <= requestMs + slack, `closed after ${reply.closedAfterMs} ms`);
    assert.ok(logs.some((l) => l.includes('POST /api/v3/order -> 408')));
  });

  it('answers 408 and closes a request whose headers never complete, within the headers timeout', async () => {
    const reply = await exchange(port, ['GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n']);
    assert.equal(reply.status, 408, reply.head);
    assert.equal(reply.json.code, -1000);
    assert.ok(reply.closedAfterMs >= headersMs - 50, `closed after ${reply.closedAfterMs} ms, before the timeout`);
    assert.ok(reply.closedAfterMs <= headersMs + slack, `closed after ${reply.closedAfterMs} ms`);
  });

  it('serves a slow but steady client whose body takes longer than the headers timeout', async () => {
    const body = 'symbol=BTCUSDT&side=BUY&type=LIMIT';
    const pieces = body.match(/.{1,5}/g)!;
    const steps: Step[] = [
      `POST /api/v3/order HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`,
    ];
    for (const piece of pieces) steps.push({ pauseMs: 100 }, piece);
    const reply = await exchange(port, steps);
    assert.ok(reply.closedAfterMs > headersMs, 'the body really took longer than the headers timeout');
    // The order endpoint's own answer (no API key), not a timeout.
    assert.equal(reply.status, 401, reply.head);
    assert.deepEqual(reply.json, { code: -2014, msg: 'API-key format invalid.' });
  });

  it('times only the arrival of the request: a slow answer (latency fault) is not cut off', async () => {
    sb.faults.setLatencyMs(requestMs + 300);
    try {
      const reply = await exchange(port, ['GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n']);
      assert.equal(reply.status, 200, reply.head);
      assert.ok(reply.closedAfterMs > requestMs, `answered after ${reply.closedAfterMs} ms`);
    } finally {
      sb.faults.clear();
    }
  });

  it('answers 431 in JSON for a URL over the header size limit, and logs no part of it', async () => {
    const secretLooking = 'f'.repeat(64);
    const reply = await exchange(port, [
      `GET /api/v3/order?symbol=BTCUSDT&x=${'a'.repeat(20_000)}&signature=${secretLooking} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    ]);
    assert.equal(reply.status, 431, reply.head);
    assert.equal(reply.json.code, -1101);
    assert.match(reply.json.msg, /request line and headers exceed 16384 bytes \(a long URL counts\)/);
    assert.match(reply.json.msg, /request body/);
    assert.ok(!logs.some((l) => l.includes(secretLooking) || l.includes('aaaa')), logs.join('\n'));
  });

  it('answers 400 in JSON for a malformed request line, naming the problem', async () => {
    for (const line of ['NOT A REQUEST\r\n\r\n', 'GET /api/v3/ping HTTP/9.9\r\n\r\n', 'GET  HTTP/1.1\r\n\r\n']) {
      const reply = await exchange(port, [line]);
      assert.equal(reply.status, 400, `${JSON.stringify(line)}: ${reply.head}`);
      assert.equal(reply.json.code, -1000);
      assert.match(reply.json.msg, /^Malformed HTTP request \(.+\); the connection is closed\.$/);
    }
  });

  it('keeps serving after rejected requests', async () => {
    const reply = await exchange(port, ['GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n']);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json, {});
  });

  it('refuses timeouts Node would not accept, with a message saying which', async () => {
    await assert.rejects(
      startSandbox({ port: 0, marketMaker: false, httpTimeouts: { headersMs: 5000, requestMs: 1000 } }),
      /httpTimeouts\.headersMs \(5000\) must not exceed httpTimeouts\.requestMs \(1000\)/,
    );
    await assert.rejects(
      startSandbox({ port: 0, marketMaker: false, httpTimeouts: { requestMs: 0 } }),
      /httpTimeouts\.requestMs must be a positive whole number of milliseconds \(got 0\)/,
    );
  });
});
