/** How chain values read on screen: hashes and addresses shortened, gas grouped, decoded args. */

/** "0x1234…abcd": enough to tell apart, the full value goes in the title. */
export function shortHex(hex: string, head = 6, tail = 4): string {
  return hex.length <= head + tail + 3 ? hex : `${hex.slice(0, head)}…${hex.slice(-tail)}`;
}

/** 1234567 -> "1,234,567". */
export function formatGas(gas: number | null | undefined): string {
  return gas === null || gas === undefined ? '-' : gas.toLocaleString('en-US');
}

/** Gas used as a share of the limit: "52.1%". */
export function gasShare(used: number, limit: number): string {
  return limit > 0 ? `${((used / limit) * 100).toFixed(1)}%` : '-';
}

/** A decoded value (JSON, bigints already strings) on one line: strings bare, the rest as JSON. */
export function formatDecoded(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}

/** Positional error arguments as a call: `InsufficientWrapped(0xabc…, "0", "5")`. */
export function formatErrorCall(name: string, args: readonly unknown[]): string {
  return `${name}(${args.map((a) => (typeof a === 'string' && !/^0x[0-9a-fA-F]+$/.test(a) && !/^-?\d+$/.test(a) ? JSON.stringify(a) : formatDecoded(a))).join(', ')})`;
}

/** "just now", "42 s ago", "3 min ago", "2 h ago" from unix seconds. */
export function formatAge(seconds: number, nowMs: number = Date.now()): string {
  const diff = Math.max(0, Math.round(nowMs / 1000 - seconds));
  if (diff < 2) return 'just now';
  if (diff < 60) return `${diff} s ago`;
  if (diff < 3600) return `${Math.floor(diff / 60)} min ago`;
  if (diff < 86_400) return `${Math.floor(diff / 3600)} h ago`;
  return `${Math.floor(diff / 86_400)} d ago`;
}

/** Whether a decoded value looks like an address (so it can be labelled and linked). */
export function looksLikeAddress(value: unknown): value is string {
  return typeof value === 'string' && /^0x[0-9a-fA-F]{40}$/.test(value);
}

/** Whether a decoded value looks like a transaction hash. */
export function looksLikeHash(value: unknown): value is string {
  return typeof value === 'string' && /^0x[0-9a-fA-F]{64}$/.test(value);
}
