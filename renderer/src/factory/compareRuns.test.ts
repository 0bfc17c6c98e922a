import { describe, expect, it } from 'vitest';
import { bestRun, flatten, settingsTable } from './compareRuns';

describe('run comparison', () => {
  it('lists the differing settings first, lists as one value, layout left out', () => {
    const a = { pipeline: { lora: { rank: 8, targets: ['q', 'v'] }, train: { lr: 0.001 }, layout: { lora: { x: 1, y: 2 } } } };
    const b = { pipeline: { lora: { rank: 16, targets: ['q', 'v'] }, train: { lr: 0.001, warmup: 5 } } };
    expect(flatten(a.pipeline)).toEqual({ 'lora.rank': '8', 'lora.targets': 'q, v', 'train.lr': '0.001' });
    expect(settingsTable([a, b])).toEqual([
      { key: 'lora.rank', values: ['8', '16'], same: false },
      { key: 'train.warmup', values: [undefined, '5'], same: false },
      { key: 'lora.targets', values: ['q, v', 'q, v'], same: true },
      { key: 'train.lr', values: ['0.001', '0.001'], same: true },
    ]);
  });

  it('picks the finished run with the lowest eval loss, else final loss', () => {
    const runs = [
      { id: 'a', status: 'succeeded' as const, evalLoss: 2.1, finalLoss: 1.0 },
      { id: 'b', status: 'succeeded' as const, evalLoss: 1.9, finalLoss: 1.5 },
      { id: 'c', status: 'failed' as const, evalLoss: 0.5, finalLoss: 0.5 },
    ];
    expect(bestRun(runs)?.id).toBe('b');
    expect(bestRun([{ id: 'x', status: 'succeeded' as const, evalLoss: null, finalLoss: 3 }, { id: 'y', status: 'succeeded' as const, evalLoss: null, finalLoss: 2 }])?.id).toBe('y');
    expect(bestRun([runs[2]!])).toBeNull();
  });
});
