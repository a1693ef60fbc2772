import * as net from 'net';

/** A port on 127.0.0.1 that was free a moment ago (for testnetDesk.sandbox.port in a lane). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
