import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../../main/api/schemas';
import { appendLogs, filterLogs } from './logs';

const entry = (seq: number, level: LogEntry['level'] = 'info', message = `m${seq}`, source = 'core'): LogEntry => ({
  seq,
  time: '2026-11-24T20:00:00.000Z',
  level,
  source,
  message,
  jobId: null,
});

describe('logs', () => {
  it('appends in order and drops entries already held', () => {
    const held = appendLogs([], [entry(1), entry(2)]);
    const next = appendLogs(held, [entry(2), entry(3)]);
    expect(next.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(appendLogs(next, [entry(3)])).toBe(next);
  });

  it('sorts when recent history arrives after live entries', () => {
    const live = appendLogs([], [entry(10)]);
    expect(appendLogs(live, [entry(8), entry(9)]).map((e) => e.seq)).toEqual([8, 9, 10]);
  });

  it('keeps the newest entries up to the cap', () => {
    const many = Array.from({ length: 10 }, (_, i) => entry(i));
    expect(appendLogs([], many, 4).map((e) => e.seq)).toEqual([6, 7, 8, 9]);
  });

  it('filters by lowest level and by text', () => {
    const all = [entry(1, 'debug'), entry(2, 'info', 'opened workspace'), entry(3, 'warn'), entry(4, 'error', 'x', 'jobs')];
    expect(filterLogs(all, 'warn').map((e) => e.seq)).toEqual([3, 4]);
    expect(filterLogs(all, 'debug', 'WORKSPACE').map((e) => e.seq)).toEqual([2]);
    expect(filterLogs(all, 'debug', 'jobs').map((e) => e.seq)).toEqual([4]);
  });

  it('filters by job', () => {
    const all = [{ ...entry(1), jobId: 'j1' }, entry(2), { ...entry(3), jobId: 'j2' }];
    expect(filterLogs(all, 'debug', '', 'j1').map((e) => e.seq)).toEqual([1]);
    expect(filterLogs(all, 'debug', '', null)).toHaveLength(3);
  });
});
