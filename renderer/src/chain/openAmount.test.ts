import { describe, expect, it } from 'vitest';
import { formatOpen, formatUnits, openToWei, parseOpenInput, parseWei } from './openAmount';

describe('formatUnits', () => {
  it('is exact past 2^53 and trims trailing zeros', () => {
    expect(formatUnits(1_500_000_000_000_000_000n)).toBe('1.5');
    expect(formatUnits(0n)).toBe('0');
    expect(formatUnits(21_000_000_000_000n)).toBe('0.000021');
    expect(formatUnits(1n)).toBe('0.000000000000000001');
    expect(formatUnits(123_456_789_012_345_678_901_234_567n)).toBe('123456789.012345678901234567');
    expect(formatUnits(-2_000_000_000_000_000_000n)).toBe('-2');
    expect(formatUnits(12345n, 2)).toBe('123.45');
  });
});

describe('formatOpen', () => {
  it('formats wei strings with the currency symbol and thousands separators', () => {
    expect(formatOpen('10000000000000000000000', 'OPEN')).toBe('10,000 OPEN');
    expect(formatOpen('1500000000000000000', 'OPEN')).toBe('1.5 OPEN');
    expect(formatOpen(0n, 'TOK')).toBe('0 TOK');
  });

  it('cuts long fractions without rounding up when asked', () => {
    expect(formatOpen('1234567891234567891', 'OPEN', 4)).toBe('1.2345… OPEN');
    expect(formatOpen('21000000000000', 'OPEN', 4)).toBe('<0.0001 OPEN');
    expect(formatOpen('999999999999999999', 'OPEN', 2)).toBe('0.99… OPEN');
    expect(formatOpen('2000000000000000000', 'OPEN', 4)).toBe('2 OPEN');
  });

  it('shows what it cannot parse as raw wei', () => {
    expect(formatOpen('abc', 'OPEN')).toBe('abc wei');
    expect(parseWei(' 12 ')).toBe(12n);
    expect(parseWei('1.5')).toBeNull();
  });
});

describe('parseOpenInput', () => {
  it('accepts decimals up to 18 places; empty means 0', () => {
    expect(parseOpenInput('1.5')).toEqual({ ok: true, value: '1.5' });
    expect(parseOpenInput('')).toEqual({ ok: true, value: '0' });
    expect(parseOpenInput('.25')).toEqual({ ok: true, value: '0.25' });
    expect(parseOpenInput('1_000')).toEqual({ ok: true, value: '1000' });
  });

  it('rejects negatives, words and too many decimals', () => {
    expect(parseOpenInput('-1').ok).toBe(false);
    expect(parseOpenInput('1e18').ok).toBe(false);
    expect(parseOpenInput('0.' + '1'.repeat(19)).ok).toBe(false);
    const r = parseOpenInput('abc', 'OPEN');
    expect(r.ok ? '' : r.error).toContain('not an amount of OPEN');
  });

  it('converts OPEN to wei exactly', () => {
    expect(openToWei('1.5')).toBe(1_500_000_000_000_000_000n);
    expect(openToWei('0.000000000000000001')).toBe(1n);
    expect(openToWei('12345678901234567890')).toBe(12_345_678_901_234_567_890n * 10n ** 18n);
  });
});
