import { checksumAddress as viemChecksum } from 'viem';
import { describe, expect, it } from 'vitest';
import { addressProblem, checksummed } from './checkAddress';

// viem's EIP-55 is the reference; main/api has its own because it imports no chain library.
describe('checkAddress', () => {
  it('checksums exactly as viem does', () => {
    let seed = 12345;
    const nextByte = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let n = 0; n < 500; n++) {
      const lower = `0x${Array.from({ length: 20 }, () => nextByte().toString(16).padStart(2, '0')).join('')}` as `0x${string}`;
      const expected = viemChecksum(lower);
      expect(checksummed(lower)).toBe(expected);
      expect(addressProblem(expected)).toBeNull();
    }
  });

  it('refuses a mixed-case address whose case is not its checksum', () => {
    expect(addressProblem('0x70997970C51812dc3A010C7d01b50e0d17dc79C8')).toBeNull();
    expect(addressProblem('0x70997970c51812dc3a010c7d01b50e0d17dc79C8')).toMatch(/EIP-55/);
    expect(addressProblem('0x70997970c51812dc3a010c7d01b50e0d17dc79c8')).toBeNull();
    expect(addressProblem('0x70997970C51812DC3A010C7D01B50E0D17DC79C8')).toBeNull();
    expect(addressProblem('0x1234')).toMatch(/40 hex digits/);
  });
});
