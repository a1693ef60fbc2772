/**
 * A PEM pasted into a one-line input box loses its line breaks. This rebuilds the standard form
 * (BEGIN line, base64 body in 64-character lines, END line). Pure (no `vscode`).
 */
export function normalizePem(text: string): string {
  const trimmed = text.trim();
  const match = /^-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----$/.exec(trimmed);
  if (!match) return trimmed;
  const [, kind, body] = match;
  const base64 = body.replace(/\s+/g, '');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${kind}-----`, ...lines, `-----END ${kind}-----`].join('\n');
}
