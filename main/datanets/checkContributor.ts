import { getAddress, isAddress } from 'viem';

/**
 * A contributor address in its EIP-55 form, or why it is not one. All-lowercase addresses carry
 * no checksum and are accepted; mixed case must match EIP-55 (a typo in one letter is caught).
 */
export function checkContributor(raw: unknown): { address: string } | { error: string } {
  if (typeof raw !== 'string' || raw.trim() === '') return { error: 'no contributor address' };
  const a = raw.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(a)) return { error: `contributor "${a.slice(0, 60)}" is not an address (0x and 40 hex digits)` };
  if (!isAddress(a, { strict: true })) return { error: `contributor ${a} fails its EIP-55 checksum (mixed case must match; lowercase has none)` };
  return { address: getAddress(a) };
}
