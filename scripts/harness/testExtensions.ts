// Test-only extensions that the harnesses load beside Testnet Desk: the e2e lane's network guard
// (test/e2e/support/session.ts) and the export probe (test/probe/extension.ts, host and e2e lanes).
// Each is a folder with a package.json and an extension.js that requires compiled test code from
// out/, so nothing of it is ever packaged into the .vsix.
import * as fs from 'fs';
import * as path from 'path';
import { PROBE_ID, PROBE_WALK_COMMAND, PROBE_WALK_TITLE } from '../../test/probe/protocol';
import { REPO_ROOT } from './paths';

export const TEST_EXTENSION_VERSION = '0.0.1';

export interface TestExtension {
  /** publisher.name */
  id: string;
  activationEvents: string[];
  contributes?: object;
  /** The whole extension.js. */
  source: string;
}

/** A compiled module under out/, or a clear error when the tests were not compiled. */
export function compiledModule(...relative: string[]): string {
  const file = path.join(REPO_ROOT, 'out', ...relative);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: compile the tests first (npm run compile-tests)`);
  return file;
}

/** Writes the extension into `parent`/<id>-<version>/ (emptied first) and returns that folder. */
export function writeTestExtension(parent: string, extension: TestExtension): string {
  const folder = path.join(parent, `${extension.id}-${TEST_EXTENSION_VERSION}`);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  const [publisher, name] = extension.id.split('.');
  const manifest = {
    name,
    publisher,
    version: TEST_EXTENSION_VERSION,
    engines: { vscode: '^1.90.0' },
    main: './extension.js',
    activationEvents: extension.activationEvents,
    ...(extension.contributes ? { contributes: extension.contributes } : {}),
  };
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(folder, 'extension.js'), extension.source);
  return folder;
}

/**
 * Registers an extension folder inside `extensionsDir` in its extensions.json, the way
 * `--install-extension` records a .vsix, so the server loads it as an installed (Production) extension.
 */
export function registerInstalled(extensionsDir: string, id: string, folder: string): void {
  const manifest = path.join(extensionsDir, 'extensions.json');
  const entries = fs.existsSync(manifest) ? (JSON.parse(fs.readFileSync(manifest, 'utf8')) as object[]) : [];
  entries.push({
    identifier: { id },
    version: TEST_EXTENSION_VERSION,
    location: { $mid: 1, fsPath: folder, external: `file://${folder}`, path: folder, scheme: 'file' },
    relativeLocation: path.basename(folder),
    metadata: { installedTimestamp: Date.now(), source: 'vsix' },
  });
  fs.writeFileSync(manifest, JSON.stringify(entries));
}

/** Writes the extension into `extensionsDir` and registers it there as installed. */
export function installTestExtension(extensionsDir: string, extension: TestExtension): void {
  registerInstalled(extensionsDir, extension.id, writeTestExtension(extensionsDir, extension));
}

/**
 * The export probe. `reportFile`: where it writes its report when run from the command palette (e2e);
 * without it the report is only the command's return value (host lane).
 */
export function exportProbe(reportFile?: string): TestExtension {
  const probeModule = compiledModule('test', 'probe', 'extension.js');
  return {
    id: PROBE_ID,
    activationEvents: [`onCommand:${PROBE_WALK_COMMAND}`],
    contributes: { commands: [{ command: PROBE_WALK_COMMAND, ...PROBE_WALK_TITLE }] },
    source: `'use strict';
const probe = require(${JSON.stringify(probeModule)});
exports.activate = (context) =>
  probe.activate(context, { vscode: require('vscode'), reportFile: ${JSON.stringify(reportFile)} });
exports.deactivate = () => probe.deactivate();
`,
  };
}
