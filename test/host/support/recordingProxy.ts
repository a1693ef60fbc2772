// A loopback HTTP proxy in front of a sandbox that records every request's method, path and whether
// it carried an API key or a signature, so a test can prove what reached an environment. WebSocket
// upgrades are recorded and refused (no key can be sent over a connection that never opens).
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface Recorded {
  method: string;
  url: string;
  apiKeyHeader?: string;
  upgrade: boolean;
}

export interface RecordingProxy {
  baseUrl: string;
  records: Recorded[];
  close(): Promise<void>;
}

export async function startRecordingProxy(targetBaseUrl: string): Promise<RecordingProxy> {
  const target = new URL(targetBaseUrl);
  const records: Recorded[] = [];
  const server = http.createServer((req, res) => {
    records.push({
      method: req.method ?? '',
      url: req.url ?? '',
      apiKeyHeader: req.headers['x-mbx-apikey'] as string | undefined,
      upgrade: false,
    });
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket) => {
    records.push({
      method: req.method ?? '',
      url: req.url ?? '',
      apiKeyHeader: req.headers['x-mbx-apikey'] as string | undefined,
      upgrade: true,
    });
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    records,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
