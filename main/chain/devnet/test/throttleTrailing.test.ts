import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttleTrailing } from '../throttleTrailing';

describe('throttleTrailing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the first call at once and folds calls within the interval into one trailing run', () => {
    const runs: number[] = [];
    const t = throttleTrailing(() => runs.push(Date.now()), 1_000);
    const start = Date.now();
    t.call();
    expect(runs).toEqual([start]);
    for (let i = 0; i < 9; i++) {
      vi.advanceTimersByTime(100);
      t.call();
    }
    // 900 ms in: still one run; the trailing one comes at 1000 ms, never sooner.
    expect(runs).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(runs).toEqual([start, start + 1_000]);
    // Quiet for a while: the next call runs at once again.
    vi.advanceTimersByTime(5_000);
    t.call();
    expect(runs).toHaveLength(3);
    expect(runs[2]! - runs[1]!).toBeGreaterThanOrEqual(1_000);
  });

  it('cancel drops a pending trailing run', () => {
    const fn = vi.fn();
    const t = throttleTrailing(fn, 1_000);
    t.call();
    t.call();
    t.cancel();
    vi.advanceTimersByTime(2_000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
