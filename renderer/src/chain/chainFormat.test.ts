import { describe, expect, it } from 'vitest';
import { formatAge, formatDecoded, formatErrorCall, formatGas, gasShare, looksLikeAddress, shortHex } from './chainFormat';
import { chainTabKey, chainTabTitle } from './chainViews';

describe('chainFormat', () => {
  it('shortens hex values', () => {
    expect(shortHex('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')).toBe('0xf39F…2266');
    expect(shortHex('0x1234')).toBe('0x1234');
  });
  it('groups gas and shows its share of the limit', () => {
    expect(formatGas(1234567)).toBe('1,234,567');
    expect(formatGas(null)).toBe('-');
    expect(gasShare(15_000_000, 30_000_000)).toBe('50.0%');
  });
  it('shows decoded values and errors on one line', () => {
    expect(formatDecoded('ipfs://x')).toBe('ipfs://x');
    expect(formatDecoded(['1', '2'])).toBe('["1","2"]');
    expect(formatDecoded(true)).toBe('true');
    expect(formatErrorCall('StakeTooLarge', ['79228162514264337593543950336'])).toBe('StakeTooLarge(79228162514264337593543950336)');
    expect(formatErrorCall('Named', ['text', '0xab'])).toBe('Named("text", 0xab)');
    expect(formatErrorCall('ZeroAmount', [])).toBe('ZeroAmount()');
  });
  it('says how long ago', () => {
    expect(formatAge(100, 100_500)).toBe('just now');
    expect(formatAge(100, 142_000)).toBe('42 s ago');
    expect(formatAge(0, 7_300_000)).toBe('2 h ago');
  });
  it('recognises addresses', () => {
    expect(looksLikeAddress('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')).toBe(true);
    expect(looksLikeAddress('0x12')).toBe(false);
  });
});

describe('chainViews', () => {
  it('gives one tab per list view and per block or transaction', () => {
    expect(chainTabKey({ page: 'blocks' })).toBe('chain:blocks');
    expect(chainTabKey({ page: 'accounts', address: '0xabc' })).toBe('chain:accounts');
    expect(chainTabKey({ page: 'block', number: 7 })).toBe('chain:block:7');
    expect(chainTabKey({ page: 'transaction', hash: '0xABC' })).toBe('chain:tx:0xabc');
    expect(chainTabTitle({ page: 'block', number: 7 })).toBe('Block #7');
    expect(chainTabTitle({ page: 'events' })).toBe('Events');
  });
});
