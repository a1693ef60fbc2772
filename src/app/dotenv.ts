/**
 * Updating the bot's variables in an existing `.env` without touching anything else: every other
 * line (comments, blank lines, other variables, multi-line quoted values) stays as it was, a
 * variable already there is replaced where it stands (keeping its `export `), a duplicate of it is
 * dropped (dotenv readers let the last one win), and new variables are appended under a header.
 * The line ending of the file is kept. Pure (no file access): see writeEnvFile for the write.
 */
import { dotenvAssignment } from './botEnv';

export interface DotenvChange {
  readonly text: string;
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly removed: readonly string[];
}

interface Entry {
  /** The source lines of this entry (more than one for a multi-line quoted value). */
  lines: string[];
  name?: string;
  exported?: boolean;
  value?: string;
}

const ASSIGNMENT = /^(\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/** Splits a .env file into entries, keeping a multi-line quoted value together. */
export function parseDotenv(text: string): Entry[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const entries: Entry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = ASSIGNMENT.exec(lines[i]);
    if (!match || /^\s*#/.test(lines[i])) {
      entries.push({ lines: [lines[i]] });
      continue;
    }
    const entry: Entry = { lines: [lines[i]], name: match[3], exported: match[2] !== undefined };
    let raw = match[4];
    const quote = raw[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      // A value opened by a quote runs until the closing quote, possibly on a later line.
      while (!closes(raw.slice(1), quote) && i + 1 < lines.length) {
        i++;
        entry.lines.push(lines[i]);
        raw += `\n${lines[i]}`;
      }
    }
    entry.value = unquote(raw);
    entries.push(entry);
  }
  return entries;
}

function closes(rest: string, quote: string): boolean {
  for (let i = 0; i < rest.length; i++) {
    if (quote === '"' && rest[i] === '\\') i++;
    else if (rest[i] === quote) return true;
  }
  return false;
}

function unquote(raw: string): string {
  const quote = raw[0];
  if (quote === '"' || quote === "'" || quote === '`') {
    const end = raw.lastIndexOf(quote);
    const inner = end > 0 ? raw.slice(1, end) : raw.slice(1);
    return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : inner;
  }
  return raw.replace(/\s+#.*$/, '').trim();
}

export interface MergeOptions {
  /** The comment written above appended variables. */
  header: string;
  /**
   * Names this extension owns. One of them that is not in `variables` (e.g. the secret, when it is
   * left out this time) is removed only if BINANCE_API_KEY changes: it then belongs to another key.
   */
  managed: readonly string[];
}

export function mergeDotenv(
  existing: string | undefined,
  variables: readonly (readonly [string, string])[],
  options: MergeOptions,
): DotenvChange {
  const eol = existing?.includes('\r\n') ? '\r\n' : '\n';
  const entries = existing ? parseDotenv(existing) : [];
  const wanted = new Map(variables);
  const oldKey = entries.find((e) => e.name === 'BINANCE_API_KEY')?.value;
  const keyChanged = oldKey !== undefined && oldKey !== wanted.get('BINANCE_API_KEY');
  const added: string[] = [];
  const updated: string[] = [];
  const removed: string[] = [];
  const written = new Set<string>();
  const out: string[] = [];
  for (const entry of entries) {
    const name = entry.name;
    if (name === undefined) {
      out.push(...entry.lines);
      continue;
    }
    if (wanted.has(name)) {
      if (written.has(name)) continue; // a duplicate
      written.add(name);
      const value = wanted.get(name)!;
      if (entry.value !== value) updated.push(name);
      out.push(`${entry.exported ? 'export ' : ''}${dotenvAssignment(name, value)}`);
      continue;
    }
    if (options.managed.includes(name) && keyChanged) {
      removed.push(name);
      continue;
    }
    out.push(...entry.lines);
  }
  const missing = variables.filter(([name]) => !written.has(name));
  if (missing.length > 0) {
    if (out.length > 0 && out.at(-1)!.trim() !== '') out.push('');
    out.push(options.header);
    for (const [name, value] of missing) {
      added.push(name);
      out.push(dotenvAssignment(name, value));
    }
  }
  return { text: `${out.join(eol)}${eol}`, added, updated, removed };
}
