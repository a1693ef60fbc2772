/**
 * The sandbox's state as one file: a JSON header line (format, version, the writing sandbox's
 * version, size and SHA-256 of the body), then the body, the engine's object graph and the keys
 * made at run time, serialized with node:v8 (it keeps Maps, Sets, bigints and shared references,
 * see engine/state.ts). The same format serves the data folder's snapshot and Export/Import, so a
 * team's fixture file is what a sandbox would have written itself.
 */
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { EngineState } from '../engine/state';

export const STATE_FORMAT = 'testnet-desk-sandbox-state';
export const STATE_FORMAT_VERSION = 1;
const MAX_HEADER_BYTES = 4096;

/** A key made while the sandbox ran (an extra account's HMAC key, a registered public key). */
export type AddedKey =
  | { accountId: number; apiKey: string; kind: 'hmac'; secret: string }
  | { accountId: number; apiKey: string; kind: 'public'; publicKeyPem: string };

export interface SandboxState {
  engine: EngineState;
  addedKeys: AddedKey[];
}

export interface StateHeader {
  format: typeof STATE_FORMAT;
  version: number;
  sandboxVersion: string;
  createdAt: string;
  /** The journal that continues this snapshot in a data folder (0 in an export). */
  generation: number;
  bytes: number;
  sha256: string;
}

/** Why a state file cannot be read; the message says which file and what to do. */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}

export function encodeState(state: SandboxState, sandboxVersion: string, generation = 0): Buffer {
  const body = serialize(state);
  const header: StateHeader = {
    format: STATE_FORMAT,
    version: STATE_FORMAT_VERSION,
    sandboxVersion,
    createdAt: new Date().toISOString(),
    generation,
    bytes: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
  };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), body]);
}

/** Reads a state file's bytes; `name` says in messages which file it was. */
export function decodeState(data: Buffer, name: string): { header: StateHeader; state: SandboxState } {
  const newline = data.subarray(0, MAX_HEADER_BYTES).indexOf(0x0a);
  if (newline < 0) throw new StateFileError(`${name} is not a sandbox state file (no header line).`);
  let header: StateHeader;
  try {
    header = JSON.parse(data.subarray(0, newline).toString('utf8')) as StateHeader;
  } catch {
    throw new StateFileError(`${name} is not a sandbox state file (its header is not JSON).`);
  }
  if (header?.format !== STATE_FORMAT)
    throw new StateFileError(`${name} is not a sandbox state file (format ${JSON.stringify(header?.format)}).`);
  if (typeof header.version !== 'number' || header.version > STATE_FORMAT_VERSION)
    throw new StateFileError(
      `${name} was written by a newer sandbox (${String(header.sandboxVersion)}, state format ${String(header.version)}; ` +
        `this one reads up to ${STATE_FORMAT_VERSION}). Update Testnet Desk to read it.`,
    );
  const body = data.subarray(newline + 1);
  if (body.length !== header.bytes)
    throw new StateFileError(
      `${name} is truncated or damaged: its body has ${body.length} bytes, its header says ${header.bytes}.`,
    );
  if (createHash('sha256').update(body).digest('hex') !== header.sha256)
    throw new StateFileError(`${name} is damaged: its checksum does not match its content.`);
  let state: SandboxState;
  try {
    state = deserialize(body) as SandboxState;
  } catch (error) {
    throw new StateFileError(`${name} cannot be read: ${(error as Error).message}.`);
  }
  if (!state?.engine?.ledger || !Array.isArray(state.engine.markets) || !Array.isArray(state.addedKeys))
    throw new StateFileError(`${name} does not hold a sandbox state.`);
  return { header, state };
}
