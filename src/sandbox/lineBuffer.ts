/**
 * Log lines gathered and written once per turn of the event loop: under load the access log
 * would otherwise cost one write system call per request (stderr to a pipe or a terminal is
 * written synchronously).
 */
export function bufferedLines(write: (text: string) => void): { log(line: string): void; flush(): void } {
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    write(text);
  };
  return {
    log(line: string): void {
      pending.push(`${line}\n`);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
