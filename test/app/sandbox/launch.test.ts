// How the extension starts the sandbox program: detached, on the host's runtime as Node, with the
// keys kept out of its output, in its data folder, without the window's environment.
import * as assert from 'node:assert/strict';
import { childEnvironment, launchCommand } from '../../../src/app/sandbox/launch';

const places = {
  program: '/ext/dist/sandbox.js',
  runtime: '/usr/bin/code-helper',
  dataDir: '/g/sandbox',
  discoveryFile: '/g/sandbox.json',
};

describe('sandbox launch command', () => {
  it('runs dist/sandbox.js with the data folder, the discovery file, the port and no keys on stdout', () => {
    const command = launchCommand(places, 27182, { PATH: '/bin' });
    assert.equal(command.command, '/usr/bin/code-helper');
    assert.deepEqual(command.args, [
      '/ext/dist/sandbox.js',
      '--port',
      '27182',
      '--data',
      '/g/sandbox',
      '--discovery',
      '/g/sandbox.json',
      '--no-keys-on-stdout',
    ]);
    assert.equal(command.cwd, '/g/sandbox', 'never a workspace folder, which it would hold open');
  });

  it('passes the history to keep (testnetDesk.sandbox.keepHistory) as the retention of closed orders and trades', () => {
    const command = launchCommand(places, 27182, { PATH: '/bin' }, 5000);
    assert.deepEqual(command.args.slice(-4), ['--keep-closed-orders', '5000', '--keep-trades', '5000']);
  });

  it("runs Electron as Node and leaves the window's IPC handles and the host's NODE_OPTIONS behind", () => {
    const env = childEnvironment({
      PATH: '/bin',
      HOME: '/home/u',
      NODE_OPTIONS: '--inspect=9229',
      VSCODE_IPC_HOOK_CLI: '/tmp/vscode-ipc.sock',
      VSCODE_PID: '123',
      ELECTRON_NO_ATTACH_CONSOLE: '1',
    });
    assert.deepEqual(env, { PATH: '/bin', HOME: '/home/u', ELECTRON_RUN_AS_NODE: '1' });
  });
});
