import { describe, expect, it } from 'vitest';
import { formatBps, formatSeconds, share } from './govFormat';

describe('govFormat', () => {
  it('shows basis points with their percentage', () => {
    expect(formatBps(250)).toBe('250 bps · 2.50%');
    expect(formatBps(10_000)).toBe('10,000 bps · 100.00%');
  });
  it('shows durations in the largest units that fit', () => {
    expect(formatSeconds(59)).toBe('59 s');
    expect(formatSeconds(65)).toBe('1 min 5 s');
    expect(formatSeconds(7_260)).toBe('2 h 1 min');
  });
  it('splits the tally by wei without losing precision, and 0 when nothing was cast', () => {
    expect(share('100000000000000000000', '100000000000000000000', '300000000000000000000')).toBe(25);
    expect(share('0', '0', '0')).toBe(0);
  });
});
