// A drift-free interval timer: tick k is due at start + k·interval on the monotonic clock, so
// the time spent sampling never pushes later ticks back (psrecord and mprof sleep after each
// sample and drift). A tick that falls more than one interval behind is skipped and counted.

export interface Ticker {
  stop(): void;
  /** Ticks skipped because the previous one overran. */
  readonly skipped: number;
}

export function startTicker(intervalMs: number, onTick: (dueMs: number) => void): Ticker {
  const origin = performance.now();
  let k = 0;
  let skipped = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = (): void => {
    k++;
    let due = origin + k * intervalMs;
    const now = performance.now();
    if (now - due > intervalMs) {
      const behind = Math.floor((now - due) / intervalMs);
      skipped += behind;
      k += behind;
      due = origin + k * intervalMs;
    }
    timer = setTimeout(fire, Math.max(0, due - performance.now()), due);
  };
  const fire = (due: number): void => {
    if (stopped) return;
    onTick(due);
    if (!stopped) schedule();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    get skipped() {
      return skipped;
    },
  };
}
