import { describe, expect, it } from 'vitest';
import { effectiveFilter, piiSegments, snippetSegments } from './recordsFormat';

describe('snippetSegments', () => {
  it('marks the FTS5 matches between brackets', () => {
    expect(snippetSegments('… the [quick] brown [fox]')).toEqual([
      { text: '… the ', mark: null },
      { text: 'quick', mark: 'match' },
      { text: ' brown ', mark: null },
      { text: 'fox', mark: 'match' },
    ]);
  });
  it('keeps text without matches whole', () => {
    expect(snippetSegments('plain')).toEqual([{ text: 'plain', mark: null }]);
  });
});

describe('piiSegments', () => {
  it('cuts the text at each span, in order, whatever order the spans come in', () => {
    const text = 'mail a@b.io or call 555-0100 now';
    const segs = piiSegments(text, [
      { kind: 'phone', start: 20, end: 28 },
      { kind: 'email', start: 5, end: 11 },
    ]);
    expect(segs.map((s) => s.text).join('')).toBe(text);
    expect(segs.filter((s) => s.mark).map((s) => [s.mark, s.text])).toEqual([
      ['email', 'a@b.io'],
      ['phone', '555-0100'],
    ]);
  });
  it('merges overlapping spans and ignores spans past the end', () => {
    const segs = piiSegments('abcdef', [
      { kind: 'a', start: 1, end: 4 },
      { kind: 'b', start: 2, end: 5 },
      { kind: 'c', start: 9, end: 12 },
    ]);
    expect(segs).toEqual([
      { text: 'a', mark: null },
      { text: 'bcd', mark: 'a' },
      { text: 'e', mark: 'b' },
      { text: 'f', mark: null },
    ]);
  });
});

describe('effectiveFilter', () => {
  it('searches when there is a search, else uses the filter', () => {
    expect(effectiveFilter('status:pending', '  hello ')).toBe('search:hello');
    expect(effectiveFilter('near-duplicate', '')).toBe('near-duplicate');
  });
});
