/**
 * Runs `fn` at most once per `intervalMs`. The first call runs at once; calls within the interval
 * fold into one trailing run at its end, so the last change is always announced. `cancel` drops
 * a pending trailing run (the devnet stopped). The timer is unref'd: it never keeps Node alive.
 */
export function throttleTrailing(fn: () => void, intervalMs: number, now: () => number = Date.now): { call(): void; cancel(): void } {
  let lastRun = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    timer = undefined;
    lastRun = now();
    fn();
  };
  return {
    call() {
      if (timer) return;
      const wait = lastRun + intervalMs - now();
      if (wait <= 0) run();
      else {
        timer = setTimeout(run, wait);
        timer.unref();
      }
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
