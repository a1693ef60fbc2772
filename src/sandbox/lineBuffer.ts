/**
 * The CLI's log: lines gathered and written once per turn of the event loop, at most
 * `maxPerSecond` a second, then one line saying how many were left out. Under load the access
 * log would otherwise cost a synchronous write per request (stderr to a pipe or a terminal blocks
 * until the reader has taken it), and nobody reads thousands of lines a second.
 */
export interface LineBuffer {
  log(line: string): void;
  /** Writes what is pending now (and the count of lines left out, if any). */
  flush(): void;
}

export function bufferedLines(
  write: (text: string) => void,
  maxPerSecond = 50,
  now: () => number = Date.now,
): LineBuffer {
  let pending: string[] = [];
  let scheduled = false;
  let windowStart = -Infinity;
  let inWindow = 0;
  let leftOut = 0;
  const summary = (): void => {
    if (leftOut === 0) return;
    pending.push(
      `(${leftOut} more log line${leftOut === 1 ? '' : 's'} in that second not shown: at most ${maxPerSecond} a second)\n`,
    );
    leftOut = 0;
  };
  const flush = (): void => {
    scheduled = false;
    if (now() - windowStart >= 1000) summary();
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    write(text);
  };
  const schedule = (): void => {
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return {
    log(line: string): void {
      const t = now();
      if (t - windowStart >= 1000) {
        summary();
        windowStart = t;
        inWindow = 0;
      }
      if (inWindow < maxPerSecond) {
        inWindow++;
        pending.push(`${line}\n`);
        schedule();
      } else {
        leftOut++;
        // Say so even if nothing else is logged for a while.
        if (leftOut === 1) setTimeout(schedule, 1000 - (t - windowStart)).unref();
      }
    },
    flush(): void {
      summary();
      flush();
    },
  };
}
