import { describe, expect, it } from 'vitest';
import { appendPoints, emptyColumns, etaSeconds, MetricsHub, rowsOf } from './metricSeries';

describe('metric columns', () => {
  it('appends steps in order and fills a step reported twice (eval after train)', () => {
    const c = emptyColumns();
    appendPoints(c, [
      { step: 1, loss: 3, lr: 1e-4 },
      { step: 2, loss: 2.5, lr: 2e-4 },
    ]);
    appendPoints(c, [{ step: 2, evalLoss: 2.7 }]);
    expect(c.step).toEqual([1, 2]);
    expect(c.values.loss).toEqual([3, 2.5]);
    expect(c.values.evalLoss).toEqual([null, 2.7]);
    expect(c.values.lr).toEqual([1e-4, 2e-4]);
  });

  it('keeps x sorted when a point arrives out of order, and drops NaN as a gap', () => {
    const c = emptyColumns();
    appendPoints(c, [{ step: 1, loss: 1 }, { step: 3, loss: 3 }, { step: 2, loss: Number.NaN, lr: 5 }]);
    expect(c.step).toEqual([1, 2, 3]);
    expect(c.values.loss).toEqual([1, null, 3]);
    expect(c.values.lr).toEqual([null, 5, null]);
  });

  it('tells the run listeners, and only those', () => {
    const hub = new MetricsHub();
    let a = 0;
    let b = 0;
    hub.subscribe('a', () => a++);
    const off = hub.subscribe('b', () => b++);
    hub.append('a', [{ step: 1, loss: 1 }]);
    off();
    hub.append('b', [{ step: 1, loss: 1 }]);
    expect([a, b]).toEqual([1, 0]);
    expect(hub.columns('b').step).toEqual([1]);
  });
});

describe('rows from the core and the ETA', () => {
  it('turns points and evaluations into rows, and estimates the time left from the recent pace', () => {
    const t0 = Date.parse('2026-12-05T14:00:00Z');
    const points = [1, 2, 3, 4].map((step) => ({ step, loss: 4 - step / 2, lr: 1e-3, gradNorm: 1, tokensPerSecond: 100, memoryMB: 50, time: new Date(t0 + step * 2000).toISOString() }));
    const c = emptyColumns();
    appendPoints(c, rowsOf(points, [{ step: 4, evalLoss: 2.5, perplexity: 12, samples: [], checkpoint: true, time: '' }]));
    expect(c.step).toEqual([1, 2, 3, 4]);
    expect(c.values.evalLoss).toEqual([null, null, null, 2.5]);
    expect(c.values.memoryMB).toEqual([50, 50, 50, 50]);
    // 2 s a step, 6 steps left.
    expect(etaSeconds(c, 10)).toBeCloseTo(12);
    expect(etaSeconds(emptyColumns(), 10)).toBeNull();
  });
});
