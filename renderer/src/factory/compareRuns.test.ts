import { describe, expect, it } from 'vitest';
import { bestRun, settingText } from './compareRuns';

describe('run comparison', () => {
  it('picks the completed run with the lowest eval loss, else final loss', () => {
    const runs = [
      { id: 'a', status: 'completed' as const, evalLoss: 2.1, finalLoss: 1.0 },
      { id: 'b', status: 'completed' as const, evalLoss: 1.9, finalLoss: 1.5 },
      { id: 'c', status: 'failed' as const, evalLoss: 0.5, finalLoss: 0.5 },
    ];
    expect(bestRun(runs)?.id).toBe('b');
    expect(bestRun([{ id: 'x', status: 'completed' as const, evalLoss: null, finalLoss: 3 }, { id: 'y', status: 'completed' as const, evalLoss: null, finalLoss: 2 }])?.id).toBe('y');
    expect(bestRun([runs[2]!])).toBeNull();
  });

  it('writes settings as the file does', () => {
    expect([settingText(['q', 'v']), settingText(undefined), settingText(0.001), settingText({ x: 1 })]).toEqual(['q, v', '—', '0.001', '{"x":1}']);
  });
});
