import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/**
 * EIP-55: a hex digit is upper case where the matching nibble of keccak256(lower-case hex, as
 * ASCII) is 8 or more. Written here rather than taken from viem because main/api is bundled into
 * every runtime and imports no chain library (checkAddress.test.ts holds it to viem's).
 */
function checksumAddress(lower: string): `0x${string}` {
  const hex = lower.slice(2);
  const hash = bytesToHex(keccak_256(utf8ToBytes(hex)));
  let out = '0x';
  for (let i = 0; i < 40; i++) out += parseInt(hash[i]!, 16) >= 8 ? hex[i]!.toUpperCase() : hex[i]!;
  return out as `0x${string}`;
}

/**
 * The one address rule for CLI arguments, API params and forms: 0x and 40 hex digits, and when
 * the digits mix upper and lower case, the case must be the EIP-55 checksum. All-lower and
 * all-upper addresses carry no checksum and are taken as they are; a mixed-case one with a wrong
 * checksum is a typo (or a tampered address) and must not send anything anywhere.
 */
export function addressProblem(text: string): string | null {
  if (!text.startsWith('0x')) return 'an address starts with 0x';
  const hex = text.slice(2);
  if (!/^[0-9a-fA-F]*$/.test(hex)) return 'an address has only hex digits (0-9, a-f) after 0x';
  if (hex.length !== 40) return `an address has 40 hex digits after 0x; this has ${hex.length}`;
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return null;
  if (checksumAddress(text.toLowerCase()) !== text) {
    return 'the mixed upper/lower case does not match the EIP-55 checksum (a typo?); check the address, or write it all in lower case';
  }
  return null;
}

/** The checksummed form of an address that passed addressProblem. */
export function checksummed(text: string): `0x${string}` {
  return checksumAddress(text.toLowerCase());
}
