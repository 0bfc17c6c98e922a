import { describe, expect, it } from 'vitest';
import { wordDiff } from './wordDiff';

const side = (parts: ReturnType<typeof wordDiff>, drop: 'added' | 'removed') =>
  parts
    .filter((p) => p.kind !== drop)
    .map((p) => p.text)
    .join('');

describe('wordDiff', () => {
  it('marks the changed word and keeps both texts recoverable', () => {
    const a = 'reset the router after the update';
    const b = 'reset the modem after the update today';
    const parts = wordDiff(a, b);
    expect(parts.filter((p) => p.kind === 'removed').map((p) => p.text.trim())).toEqual(['router']);
    expect(parts.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toEqual(['modem', 'today']);
    expect(side(parts, 'added')).toBe(a);
    expect(side(parts, 'removed')).toBe(b);
  });

  it('gives one same part for equal texts and whole blocks past the size limit', () => {
    expect(wordDiff('a b', 'a b')).toEqual([{ text: 'a b', kind: 'same' }]);
    expect(wordDiff('a b c', 'a x c', 2)).toEqual([
      { text: 'a b c', kind: 'removed' },
      { text: 'a x c', kind: 'added' },
    ]);
  });
});
