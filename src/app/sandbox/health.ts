/** Asks a port on 127.0.0.1 whether a Testnet Desk sandbox listens there, and which run it is. */
import { parseHealth, type SandboxHealth } from './protocol';

export type HealthProbe = (baseUrl: string) => Promise<SandboxHealth | undefined>;

/** GET /sandbox/v1/health; undefined when nothing (or something else) answers within the time. */
export const fetchHealth: HealthProbe = async (baseUrl, timeoutMs = 2000) => {
  try {
    const response = await fetch(`${baseUrl}/sandbox/v1/health`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    return parseHealth(await response.json());
  } catch {
    return undefined;
  }
};

/** Asks for a clean stop (POST /sandbox/v1/shutdown); false if it did not accept. */
export async function requestShutdown(baseUrl: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/sandbox/v1/shutdown`, {
      method: 'POST',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.status === 202;
  } catch {
    return false;
  }
}
