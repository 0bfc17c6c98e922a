import { describe, expect, it } from 'vitest';
import type { BlockSummary } from '../../../../main/api/chainSchemas';
import { mergeBlocks, RECENT_BLOCKS } from './chainStore';

const block = (number: number, transactionCount = 0): BlockSummary => ({
  number,
  hash: `0x${number.toString(16).padStart(64, '0')}`,
  timestamp: 1_700_000_000 + number,
  transactionCount,
  gasUsed: 0,
  baseFeePerGas: null,
});

describe('mergeBlocks', () => {
  it('keeps blocks newest first, one per number, the newer copy winning', () => {
    const merged = mergeBlocks([block(1), block(2)], [block(3), block(2, 5)]);
    expect(merged.map((b) => b.number)).toEqual([3, 2, 1]);
    expect(merged[1]!.transactionCount).toBe(5);
  });

  it('keeps only the most recent ones', () => {
    const many = Array.from({ length: RECENT_BLOCKS + 10 }, (_, i) => block(i));
    const merged = mergeBlocks([], many);
    expect(merged).toHaveLength(RECENT_BLOCKS);
    expect(merged[0]!.number).toBe(RECENT_BLOCKS + 9);
  });
});
