import crypto from 'node:crypto';
import { english } from 'viem/accounts';

/** viem re-exports @scure/bip39's English wordlist: the words and their 11-bit indices. */
const INDEX = new Map(english.map((w, i) => [w, i]));

export function isBip39Word(word: string): boolean {
  return INDEX.has(word);
}

/**
 * True when the words are a BIP-39 mnemonic whose checksum holds: 12-24 words (a multiple of 3),
 * 11 bits each; the last words·11/33 bits are the first bits of sha256(entropy). Random English
 * that happens to use wordlist words fails the checksum 15 times in 16 (12 words) or more.
 */
export function isBip39Mnemonic(words: readonly string[]): boolean {
  const n = words.length;
  if (n < 12 || n > 24 || n % 3 !== 0) return false;
  let bits = '';
  for (const w of words) {
    const i = INDEX.get(w);
    if (i === undefined) return false;
    bits += i.toString(2).padStart(11, '0');
  }
  const checksumBits = n / 3;
  const entropyBits = bits.length - checksumBits;
  const entropy = Buffer.alloc(entropyBits / 8);
  for (let i = 0; i < entropy.length; i++) entropy[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const hash = crypto.createHash('sha256').update(entropy).digest();
  const expected = Array.from(hash.subarray(0, 1), (b) => b.toString(2).padStart(8, '0')).join('') + (checksumBits > 8 ? hash[1]!.toString(2).padStart(8, '0') : '');
  return bits.slice(entropyBits) === expected.slice(0, checksumBits);
}
