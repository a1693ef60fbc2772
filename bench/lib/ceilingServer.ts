/**
 * The ceiling of the load section: the least a server must do for a signed order, in its own
 * process. node:http reads the form body, verifies the HMAC and answers a fixed order JSON of the
 * sandbox's own size; /ws-api/v3 does the same per frame. Prints {"baseUrl","wsApiUrl"} on stdout.
 *   node out/bench/lib/ceilingServer.js <samples.json>   ({ secret, restBody, wsResult })
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { sortedPayload } from './orderLoad';

const samples = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as {
  secret: string;
  restBody: string;
  wsResult: unknown;
};
const verified = (payload: string, signature: string): boolean => {
  const expected = createHmac('sha256', samples.secret).update(payload).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(expected, given);
};

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('latin1');
    const at = body.lastIndexOf('&signature=');
    const ok = at > 0 && verified(body.slice(0, at), body.slice(at + '&signature='.length));
    const text = ok ? samples.restBody : '{"code":-1022,"msg":"Signature for this request is not valid."}';
    res.writeHead(ok ? 200 : 400, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  });
});

const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id: unknown; params: Record<string, string> };
      const ok = verified(sortedPayload(frame.params), frame.params.signature ?? '');
      ws.send(JSON.stringify(ok ? { id: frame.id, ...(samples.wsResult as object) } : { id: frame.id, status: 400 }));
    });
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(
    `${JSON.stringify({ baseUrl: `http://127.0.0.1:${port}`, wsApiUrl: `ws://127.0.0.1:${port}/ws-api/v3` })}\n`,
  );
});
process.on('SIGTERM', () => process.exit(0));
