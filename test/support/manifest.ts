/**
 * Reads the extension's package.json contributions the way VS Code applies them, for tests of
 * what the workbench would show: the `viewsWelcome` entries whose `when` clause holds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { executedCommands } from './vscodeStub';

export const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));

export type Context = Record<string, string | boolean | undefined>;

/**
 * Evaluates the `when` clauses this manifest uses: `&&` of `key`, `!key`, `key == value` and
 * `key != value` (anything else throws, so a clause this cannot read is never taken as true).
 */
export function holds(when: string, context: Context): boolean {
  return when.split('&&').every((raw) => {
    const term = raw.trim();
    const compare = /^([\w.]+)\s*(==|!=)\s*([\w.-]+)$/.exec(term);
    if (compare) {
      const value = context[compare[1]];
      const equal = value !== undefined && String(value) === compare[3];
      return compare[2] === '==' ? equal : !equal;
    }
    const flag = /^(!?)([\w.]+)$/.exec(term);
    if (flag) return flag[1] === '!' ? !context[flag[2]] : Boolean(context[flag[2]]);
    throw new Error(`when-clause term not understood by the test: "${term}"`);
  });
}

/** The welcome contents VS Code would show in `view` for these context keys. */
export function welcomeFor(view: string, context: Context): string[] {
  return (manifest.contributes.viewsWelcome as { view: string; contents: string; when: string }[])
    .filter((entry) => entry.view === view && holds(entry.when, context))
    .map((entry) => entry.contents);
}

/** The context keys as the extension last set them through `setContext` (vscode stub's record). */
export function contextFromSetContext(): Context {
  const context: Context = {};
  for (const { id, args } of executedCommands)
    if (id === 'setContext') context[args[0] as string] = args[1] as string | boolean;
  return context;
}
