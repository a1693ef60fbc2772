/**
 * The fixed default port and what to say when a port is taken.
 *
 * 27182 (the digits of e): not in the IANA service registry's common list nor /etc/services, and
 * below the ephemeral ranges (Linux 32768-60999, Windows and macOS 49152-65535), so an outgoing
 * connection never borrows it. `--port 0` still picks any free port.
 */
import { SANDBOX_SERVICE_NAME } from './version';

export const DEFAULT_PORT = 27182;

/** What a Testnet Desk sandbox already on the port said about itself, if it is one. */
export interface PortHolder {
  pid: number;
  dataDir: string;
}

export function portInUseMessage(port: number, holder?: PortHolder): string {
  const who = holder
    ? `another Testnet Desk sandbox (pid ${holder.pid}, data ${holder.dataDir}) is listening there`
    : 'another program is listening there';
  return (
    `Port ${port} on 127.0.0.1 is in use: ${who}. ` +
    (holder ? 'Use that one (its URL is http://127.0.0.1:' + port + '), stop it first, ' : 'Stop that program, ') +
    'or start this sandbox on another port: --port N (--port 0 picks a free one; in VS Code, the setting testnetDesk.sandbox.port).'
  );
}

/** Asks whatever listens on `port` whether it is a Testnet Desk sandbox (1 s at most). */
export async function identifyPortHolder(port: number): Promise<PortHolder | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/sandbox/v1/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { service?: unknown; pid?: unknown; dataDir?: unknown };
    if (body.service !== SANDBOX_SERVICE_NAME || typeof body.pid !== 'number') return undefined;
    return { pid: body.pid, dataDir: String(body.dataDir) };
  } catch {
    return undefined;
  }
}
