// Packages the extension exactly as it ships (`vsce package --no-dependencies`, which runs the
// `vscode:prepublish` build) and unpacks it, so the host tests load the packaged files.
import * as fs from 'fs';
import * as path from 'path';
import { runToCompletion } from './children';
import { ARTIFACTS, REPO_ROOT } from './paths';

export const VSIX = path.join(ARTIFACTS, 'testnet-desk.vsix');
export const UNPACKED = path.join(ARTIFACTS, 'vsix-unpacked');

export async function packageVsix(): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.rmSync(VSIX, { force: true });
  const log = path.join(ARTIFACTS, 'vsce.log');
  fs.writeFileSync(log, '');
  const vsce = path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  await runToCompletion(
    vsce,
    [
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      // README links to media/screenshots/*.png; rewriting them needs the repository URL, which the
      // manifest does not have yet. The test .vsix is never published, so links stay relative.
      '--no-rewrite-relative-links',
      '--out',
      VSIX,
    ],
    log,
    {
      cwd: REPO_ROOT,
      timeoutMs: 300_000,
    },
  ).catch((error) => {
    process.stderr.write(fs.readFileSync(log, 'utf8').split('\n').slice(-40).join('\n') + '\n');
    throw error;
  });
  return VSIX;
}

/** Unpacks the .vsix; returns the folder that holds the packaged package.json. */
export async function unpackVsix(vsix: string): Promise<string> {
  fs.rmSync(UNPACKED, { recursive: true, force: true });
  fs.mkdirSync(UNPACKED, { recursive: true });
  await runToCompletion('unzip', ['-q', vsix, '-d', UNPACKED], path.join(ARTIFACTS, 'unzip.log'), {
    timeoutMs: 60_000,
  });
  return path.join(UNPACKED, 'extension');
}
