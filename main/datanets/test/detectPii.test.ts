import { describe, expect, it } from 'vitest';
import { english, generateMnemonic } from 'viem/accounts';
import { detectPii, ibanValid, luhnValid } from '../detectPii';
import { isBip39Mnemonic } from '../checkSeedPhrase';

const kinds = (text: string) => detectPii(text).map((m) => m.kind);

describe('detectPii', () => {
  it('finds e-mails, IPs and API-key shapes with their spans', () => {
    const text = 'mail ada@example.org from 192.168.1.20 with AKIAIOSFODNN7EXAMPLE';
    const found = detectPii(text);
    expect(found.map((m) => [m.kind, text.slice(m.start, m.end)])).toEqual([
      ['email', 'ada@example.org'],
      ['ip', '192.168.1.20'],
      ['aws-access-key', 'AKIAIOSFODNN7EXAMPLE'],
    ]);
    expect(kinds('version 999.1.1.1 is not an address')).toEqual([]);
  });

  it('reports card numbers only when the Luhn check holds, IBANs only when mod-97 holds', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(kinds('card 4111 1111 1111 1111 ok')).toEqual(['card']);
    expect(kinds('card 4111 1111 1111 1112 ok')).not.toContain('card');
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('GB82WEST12345698765433')).toBe(false);
    expect(kinds('pay to GB82 WEST 1234 5698 7654 32 today')).toEqual(['iban']);
    expect(kinds('pay to GB82 WEST 1234 5698 7654 33 today')).not.toContain('iban');
  });

  it('finds private keys in the secp256k1 range and checksum-valid BIP-39 phrases', () => {
    expect(kinds('key 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80 here')).toEqual(['eth-private-key']);
    expect(kinds(`key 0x${'f'.repeat(64)} is past the group order`)).toEqual([]);
    const phrase = generateMnemonic(english);
    const words = phrase.split(' ');
    expect(isBip39Mnemonic(words)).toBe(true);
    const text = `my wallet: ${phrase}. keep it safe`;
    const m = detectPii(text).find((x) => x.kind === 'seed-phrase');
    expect(m && text.slice(m.start, m.end)).toBe(phrase);
    // Swap the last word for another: the checksum (4 bits for 12 words) fails 15 times in 16,
    // so try words until one fails and check it is not reported.
    const broken = english.map((w) => [...words.slice(0, 11), w]).find((ws) => !isBip39Mnemonic(ws))!;
    expect(kinds(`my wallet: ${broken.join(' ')}.`)).not.toContain('seed-phrase');
  });

  it('finds phone numbers but not short numbers or years', () => {
    expect(kinds('call +44 20 7946 0958 now')).toEqual(['phone']);
    expect(kinds('in 1984 there were 42 of them')).toEqual([]);
  });
});
