/**
 * Runs the bundled sandbox program (dist/sandbox.js) as a child process for the CLI and service
 * tests: its JSON line, its exit, and a clean-up that leaves no sandbox behind.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const BUNDLE = join(ROOT, 'dist/sandbox.js');

export interface CliInfo {
  baseUrl: string;
  wsApiUrl: string;
  streamUrl: string;
  apiKey: string;
  secret: string;
  ed25519: { apiKey: string; privateKeyPem: string };
  keysFile?: string;
  port: number;
  pid: number;
  startedAt: string;
  version: string;
  dataDir: string;
}

export interface Started {
  child: ChildProcess;
  info: CliInfo;
  stdout: () => string;
  stderr: () => string;
}

/** Every child the tests started, killed by stopAll(). */
const children = new Set<ChildProcess>();

export function spawnCli(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [BUNDLE, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Starts the program and resolves with its JSON line. */
export function start(args: string[]): Promise<Started> {
  const child = spawnCli(args);
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error('sandbox CLI did not print its JSON line in time')), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const newline = out.indexOf('\n');
      if (newline >= 0 && timer) {
        clearTimeout(timer);
        try {
          resolveStart({ child, info: JSON.parse(out.slice(0, newline)), stdout: () => out, stderr: () => err });
        } catch (error) {
          reject(error);
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`sandbox CLI exited early with ${code}: ${err}`)));
  });
}

/** Runs the program to its exit; resolves with the code and what it wrote. */
export async function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await exitCode(child);
  return { code, stdout, stderr };
}

export function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit(child.exitCode);
    else child.once('exit', (code) => resolveExit(code));
  });
}

export function stopAll(): void {
  for (const child of children) if (child.exitCode === null && child.pid) child.kill('SIGKILL');
  children.clear();
}

/** Rebuilds dist/ (esbuild.js bundles the extension too); the sandbox bundle must be fresh either way. */
export async function buildBundle(): Promise<void> {
  const startedAt = Date.now() - 1000;
  await new Promise<void>((done) => execFile(process.execPath, ['esbuild.js'], { cwd: ROOT }, () => done()));
  if (statSync(BUNDLE).mtimeMs < startedAt) throw new Error('node esbuild.js did not rebuild dist/sandbox.js');
}
