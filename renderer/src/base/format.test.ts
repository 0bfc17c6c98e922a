import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatProgress, plural, shortSha } from './format';

describe('format', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MiB');
    expect(formatBytes(-1)).toBe('-');
  });

  it('shortens a sha256 to 12 hex digits', () => {
    expect(shortSha('a'.repeat(64))).toBe('aaaaaaaaaaaa');
  });

  it('formats durations', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
  });

  it('counts nouns', () => {
    expect(plural(1, 'job')).toBe('1 job');
    expect(plural(0, 'artifact')).toBe('0 artifacts');
  });

  it('formats progress, and nothing when the amount of work is unknown', () => {
    expect(formatProgress(0.423)).toBe('42%');
    expect(formatProgress(null)).toBe('');
  });
});
