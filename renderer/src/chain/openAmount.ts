/**
 * Amounts of the native currency (OPEN, 18 decimals). Wei cross the API as decimal strings
 * (they pass 2^53), so everything here is bigint: no float ever touches an amount.
 */

export const OPEN_DECIMALS = 18;

/** An exact decimal string of `value / 10^decimals`, trailing zeros trimmed ("1.5", "0.000021"). */
export function formatUnits(value: bigint, decimals: number = OPEN_DECIMALS): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const fraction = (abs % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Thousands separators in the whole part only: "1234567.5" -> "1,234,567.5". */
function groupThousands(decimal: string): string {
  const [whole, fraction] = decimal.split('.');
  const sign = whole!.startsWith('-') ? '-' : '';
  const digits = sign ? whole!.slice(1) : whole!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** Parses a wei amount from the API; null when it is not a whole decimal number. */
export function parseWei(wei: string | bigint): bigint | null {
  if (typeof wei === 'bigint') return wei;
  return /^-?\d+$/.test(wei.trim()) ? BigInt(wei.trim()) : null;
}

/**
 * Wei -> "1,234.5 OPEN". Exact unless `maxDecimals` is given, in which case the fraction is cut
 * (never rounded up) and a non-zero remainder shows as "<0.0001" or a trailing "…".
 */
export function formatOpen(wei: string | bigint, symbol: string, maxDecimals?: number): string {
  const value = parseWei(wei);
  if (value === null) return `${String(wei)} wei`;
  let text = formatUnits(value);
  if (maxDecimals !== undefined) {
    const [whole, fraction = ''] = text.split('.');
    if (fraction.length > maxDecimals) {
      const cut = fraction.slice(0, maxDecimals).replace(/0+$/, '');
      if (whole === '0' || whole === '-0') {
        if (!cut) return `<${maxDecimals === 0 ? '1' : `0.${'0'.repeat(maxDecimals - 1)}1`} ${symbol}`;
      }
      text = `${whole}${cut ? `.${cut}` : ''}…`;
    }
  }
  return `${groupThousands(text)} ${symbol}`;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * An amount typed in OPEN ("1.5", "", "0") for a payable call: the same rule as the core's
 * parseOpen (non-negative, at most 18 decimals). Returns the cleaned decimal text; empty is 0.
 */
export function parseOpenInput(text: string, symbol = 'OPEN'): ParseResult<string> {
  const t = text.trim().replace(/_/g, '');
  if (t === '') return { ok: true, value: '0' };
  if (!/^\d+(\.\d+)?$/.test(t) && !/^\.\d+$/.test(t)) {
    return { ok: false, error: `"${text}" is not an amount of ${symbol}: a non-negative decimal such as 1.5` };
  }
  const normalised = t.startsWith('.') ? `0${t}` : t;
  const fraction = normalised.split('.')[1] ?? '';
  if (fraction.length > OPEN_DECIMALS) return { ok: false, error: `${symbol} has at most ${OPEN_DECIMALS} decimals` };
  return { ok: true, value: normalised };
}

/** "1.5" OPEN -> wei as a bigint (for display next to the input). */
export function openToWei(decimal: string): bigint {
  const [whole, fraction = ''] = decimal.split('.');
  return BigInt(whole || '0') * 10n ** BigInt(OPEN_DECIMALS) + BigInt(fraction.padEnd(OPEN_DECIMALS, '0') || '0');
}
