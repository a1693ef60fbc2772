/** What of a request may be kept: masked keys, parameters without their signature. */

/** "vmPUZE6m…1a2b": enough to tell keys apart, never enough to use one. */
export function maskKey(key: string): string {
  if (key.length <= 12) return `${key.slice(0, 2)}…`;
  return `${key.slice(0, 4)}…${key.slice(-4)}`;
}

/** The parameters with the signature replaced and any apiKey masked. */
export function redactParams(params: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of params) {
    if (name === 'signature') out[name] = `(redacted, ${value.length} characters)`;
    else if (name === 'apiKey') out[name] = maskKey(value);
    else out[name] = value.length > 200 ? `${value.slice(0, 200)}… (${value.length} characters)` : value;
  }
  return out;
}

/** A form-encoded component decoded ('+' is a space); one that cannot be decoded stays as sent. */
export function decodeFormComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Decoded name/value pairs of a form-encoded string, in order, duplicates kept (for the record only). */
export function formPairs(raw: string): [string, string][] {
  if (raw === '') return [];
  return raw.split('&').map((part) => {
    const eq = part.indexOf('=');
    return eq < 0
      ? [decodeFormComponent(part), '']
      : [decodeFormComponent(part.slice(0, eq)), decodeFormComponent(part.slice(eq + 1))];
  });
}
