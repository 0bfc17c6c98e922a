import { describe, expect, it } from 'vitest';
import { findDepthExcess } from './jsonDepth';

describe('findDepthExcess', () => {
  it('finds the bracket that goes past the limit', () => {
    expect(findDepthExcess('[[[1]]]', 3)).toBeNull();
    expect(findDepthExcess('[[[[1]]]]', 3)).toEqual({ offset: 3, limit: 3 });
    expect(findDepthExcess('{"a":{"b":[{}]}}', 4)).toBeNull();
    expect(findDepthExcess('{"a":{"b":[{}]}}', 3)).toEqual({ offset: 11, limit: 3 });
  });

  it('does not count brackets inside strings or comments, nor closing brackets that open nothing', () => {
    expect(findDepthExcess('["[[[[", "\\"[[[["]', 1)).toBeNull();
    expect(findDepthExcess('// [[[[\n[ /* {{{{ */ 1]', 1)).toBeNull();
    expect(findDepthExcess(']]]]]][[', 2)).toBeNull();
    expect(findDepthExcess(']]]]]][[[', 2)).toEqual({ offset: 8, limit: 2 });
  });

  it('measures a megabyte of brackets without recursion', () => {
    expect(findDepthExcess('['.repeat(1_000_000))?.offset).toBe(64);
  });
});
