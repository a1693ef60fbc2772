/**
 * Export, import and reset of a running sandbox's state over its control API (GET and PUT
 * /sandbox/v1/state, POST /sandbox/v1/reset). The state file is opaque here: the sandbox writes
 * and checks it (format, version, checksum) and says what is wrong with a bad one.
 */

/** The sandbox refused or failed; the message is the sandbox's own, saying what was wrong. */
export class SandboxStateError extends Error {
  override readonly name = 'SandboxStateError';
}

const TIMEOUT_MS = 60_000;

export async function exportSandboxState(baseUrl: string): Promise<Uint8Array> {
  const response = await call(baseUrl, 'GET', '/sandbox/v1/state');
  return new Uint8Array(await response.arrayBuffer());
}

/** Replaces the sandbox's state with a state file's; the sandbox changes nothing if it cannot read it. */
export async function importSandboxState(baseUrl: string, file: Uint8Array): Promise<void> {
  await call(baseUrl, 'PUT', '/sandbox/v1/state', file);
}

export async function resetSandboxState(baseUrl: string): Promise<void> {
  await call(baseUrl, 'POST', '/sandbox/v1/reset');
}

async function call(baseUrl: string, method: string, path: string, body?: Uint8Array): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      body,
      headers: body ? { 'Content-Type': 'application/octet-stream' } : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new SandboxStateError(`The local sandbox did not answer (${(error as Error).message}). Is it running?`);
  }
  if (response.ok) return response;
  let reason = `HTTP ${response.status}`;
  try {
    const answer = (await response.json()) as { error?: unknown };
    if (typeof answer.error === 'string') reason = answer.error;
  } catch {
    // Not JSON: the status says enough.
  }
  if (response.status === 404)
    reason = 'this sandbox is older and has no state endpoints; restart it from this version of Testnet Desk';
  throw new SandboxStateError(`The local sandbox refused: ${reason}`);
}
