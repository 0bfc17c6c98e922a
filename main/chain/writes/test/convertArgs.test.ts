import { parseAbiItem, type AbiFunction } from 'viem';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../api/apiError';
import { convertArgs, parseOpen } from '../convertArgs';

const fn = (sig: string) => parseAbiItem(sig) as AbiFunction;
const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err as StudioError;
  }
  throw new Error('did not throw');
};

describe('convertArgs', () => {
  it('converts words and JSON to the values viem encodes', () => {
    const f = fn('function f(uint256 a, int8 b, address c, bool d, bytes32 e, string s, uint64[] xs, (uint256 datanetId, uint256 version)[] vs)');
    const out = convertArgs(f, [
      '12',
      -3,
      '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
      'true',
      `0x${'ab'.repeat(32)}`,
      'hi',
      '[1, "2", "0x03"]',
      '[{"datanetId": 1, "version": "2"}]',
    ]);
    expect(out).toEqual([12n, -3n, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', true, `0x${'ab'.repeat(32)}`, 'hi', [1n, 2n, 3n], [{ datanetId: 1n, version: 2n }]]);
  });

  it('names the argument, its type and what is wrong', () => {
    const f = fn('function claim(uint256 batchId, address contributor, uint256 amount, bytes32[] proof)');
    const cases: [unknown[], RegExp][] = [
      [['x', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', 1, []], /argument 1 "batchId" \(uint256\): "x" is not a whole number/],
      [[1, '0x1234', 1, []], /argument 2 "contributor" \(address\): "0x1234" is not an address/],
      [[1, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', -1, []], /argument 3 "amount" \(uint256\): -1 is outside uint256's range/],
      [[1, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', 1, ['0x12']], /argument 4 "proof"\[0\] \(bytes32\): "0x12" is 1 bytes, expected 32/],
      [[1, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', 1, '[oops'], /argument 4 "proof" \(bytes32\[\]\): "\[oops" is not valid JSON/],
      [[1], /claim takes 4 argument\(s\)/],
    ];
    for (const [args, message] of cases) {
      const err = errorOf(() => convertArgs(f, args));
      expect(err.code).toBe('CHAIN_INVALID_ARGUMENT');
      expect(err.message).toMatch(message);
    }
    expect(errorOf(() => convertArgs(fn('function g(uint8 x)'), [256])).message).toMatch(/outside uint8's range 0\.\.255/);
    expect(errorOf(() => convertArgs(fn('function g(uint256 x)'), [2 ** 60])).message).toMatch(/pass large numbers as strings/);
  });

  it('parses amounts of OPEN', () => {
    expect(parseOpen('value', '1.5')).toBe(1_500_000_000_000_000_000n);
    expect(errorOf(() => parseOpen('value', '-1')).message).toMatch(/value: "-1" is not an amount of OPEN/);
    expect(errorOf(() => parseOpen('value', '1e18')).code).toBe('CHAIN_INVALID_ARGUMENT');
  });
});
