import assert from 'node:assert/strict';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Credential } from '../../src/core/credentials';
import { Environment, localSandbox } from '../../src/core/environments';
import { FetchTransport } from '../../src/core/fetchTransport';
import { publicRequest, Signer } from '../../src/core/signer';
import { TransportError } from '../../src/core/transport';

/** A tiny loopback HTTP server: each test sets `handler`. */
describe('FetchTransport (loopback HTTP server)', () => {
  let server: Server;
  let env: Environment;
  let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void = (_q, res) => res.end('{}');

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => handler(req, res, body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    env = localSandbox(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends method, headers and body; returns status, lower-cased headers and body text', async () => {
    let seen: { method?: string; url?: string; key?: string; ctype?: string; body?: string } = {};
    handler = (req, res, body) => {
      seen = {
        method: req.method,
        url: req.url,
        key: req.headers['x-mbx-apikey'] as string,
        ctype: req.headers['content-type'],
        body,
      };
      res.writeHead(201, { 'X-MBX-USED-WEIGHT-1M': '7', 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    };
    const cred = Credential.create({
      id: 'l',
      label: 'local',
      environment: env,
      keyType: 'hmac',
      apiKey: 'localApiKey123',
      secret: 'localSecret',
    });
    const prepared = new Signer(cred).signRest(
      { environment: env, method: 'POST', path: '/api/v3/order', params: { symbol: 'BTCUSDT' } },
      { timestamp: 1, recvWindow: 5000 },
    );
    const res = await new FetchTransport().send(prepared, { timeoutMs: 2000 });
    assert.equal(res.status, 201);
    assert.equal(res.headers['x-mbx-used-weight-1m'], '7');
    assert.ok(Object.keys(res.headers).every((k) => k === k.toLowerCase()));
    assert.equal(res.bodyText, '{"ok":true}');
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/api/v3/order');
    assert.equal(seen.key, 'localApiKey123');
    assert.equal(seen.ctype, 'application/x-www-form-urlencoded');
    assert.match(seen.body!, /^symbol=BTCUSDT&recvWindow=5000&timestamp=1&signature=[0-9a-f]{64}$/);
  });

  it('maps a timeout to TransportError kind "timeout" without the URL', async () => {
    handler = (_req, res) => setTimeout(() => res.end('{}'), 500);
    const prepared = publicRequest({
      environment: env,
      method: 'GET',
      path: '/api/v3/time',
      params: { signature: 'deadbeef'.repeat(8) },
    });
    await assert.rejects(
      new FetchTransport().send(prepared, { timeoutMs: 50 }),
      (e: TransportError) =>
        e instanceof TransportError &&
        e.kind === 'timeout' &&
        e.message === 'GET /api/v3/time timed out after 50 ms with no complete response.',
    );
  });

  it('maps a dropped connection to kind "network" without the URL or cause', async () => {
    handler = (req) => req.socket.destroy();
    const prepared = publicRequest({
      environment: env,
      method: 'GET',
      path: '/api/v3/account',
      params: { signature: 'deadbeef'.repeat(8) },
    });
    await assert.rejects(new FetchTransport().send(prepared, { timeoutMs: 2000 }), (e: TransportError) => {
      assert.equal(e.kind, 'network');
      assert.match(e.message, /^GET \/api\/v3\/account failed: /);
      assert.ok(!e.message.includes('deadbeef') && !e.message.includes('127.0.0.1'));
      assert.equal((e as { cause?: unknown }).cause, undefined);
      return true;
    });
  });

  it('maps a refused connection to kind "network"', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const prepared = publicRequest({
      environment: localSandbox(`http://127.0.0.1:${port}`),
      method: 'GET',
      path: '/api/v3/ping',
    });
    await assert.rejects(
      new FetchTransport().send(prepared, { timeoutMs: 2000 }),
      (e: TransportError) => e.kind === 'network' && /connection refused/.test(e.message),
    );
  });

  it('maps a caller abort to kind "aborted"', async () => {
    handler = (_req, res) => setTimeout(() => res.end('{}'), 300);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const prepared = publicRequest({ environment: env, method: 'GET', path: '/api/v3/ping' });
    await assert.rejects(
      new FetchTransport().send(prepared, { timeoutMs: 2000, signal: controller.signal }),
      (e: TransportError) => e.kind === 'aborted',
    );
  });

  it('refuses to follow a redirect', async () => {
    handler = (_req, res) => {
      res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    };
    const prepared = publicRequest({ environment: env, method: 'GET', path: '/api/v3/ping' });
    await assert.rejects(
      new FetchTransport().send(prepared, { timeoutMs: 2000 }),
      (e: TransportError) => e.kind === 'network' && /redirect/.test(e.message),
    );
  });

  it('drops a response body larger than the cap instead of buffering it', async () => {
    handler = (_req, res) => res.end('x'.repeat(4096));
    const prepared = publicRequest({ environment: env, method: 'GET', path: '/api/v3/exchangeInfo' });
    await assert.rejects(
      new FetchTransport({ maxResponseBytes: 1024 }).send(prepared, { timeoutMs: 2000 }),
      (e: TransportError) => e.kind === 'network' && /larger than 1024 bytes/.test(e.message),
    );
    const ok = await new FetchTransport({ maxResponseBytes: 8192 }).send(prepared, { timeoutMs: 2000 });
    assert.equal(ok.bodyText.length, 4096);
  });
});
