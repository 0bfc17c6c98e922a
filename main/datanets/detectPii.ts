import type { PiiMatch } from '../api/datanetSchemas';
import { isBip39Mnemonic, isBip39Word } from './checkSeedPhrase';

// secp256k1's group order: a private key is a scalar in [1, n-1].
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
const IPV6 = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:])/g;
const PHONE = /(?<![\w+])\+?\(?\d[\d ().-]{7,18}\d(?!\w)/g;
const HEX_KEY = /(?<![0-9A-Za-z])(?:0x)?[0-9a-fA-F]{64}(?![0-9A-Za-z])/g;
/** Shapes of secrets from cloud, code hosting and payment providers. */
const API_KEYS: [string, RegExp][] = [
  ['aws-access-key', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g],
  ['github-token', /\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,90})\b/g],
  ['gitlab-token', /\bglpat-[A-Za-z0-9_-]{20}\b/g],
  ['stripe-key', /\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{24,99}\b/g],
  ['google-api-key', /\bAIza[0-9A-Za-z_-]{35}\b/g],
  ['slack-token', /\bxox[abpors]-[0-9A-Za-z-]{10,72}\b/g],
  ['openai-key', /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b/g],
];

/**
 * Which detectors may match a text, one bit each (the engine's PiiCandidate, datanet_text.h):
 * the engine sets a bit unless a necessary condition of that detector's pattern fails (no '@',
 * no run of 9 phone digits, ...), so skipping the detectors whose bit is clear changes nothing.
 */
export const PII_CANDIDATE = { apiKey: 1, hexKey: 2, email: 4, iban: 8, card: 16, ipv4: 32, ipv6: 64, seedPhrase: 128, phone: 256 } as const;
export const ALL_PII_CANDIDATES = 0x1ff;

/**
 * Every PII match in a text with its span (UTF-16 offsets, end exclusive), in text order.
 * `candidates` (PII_CANDIDATE bits) skips the detectors that cannot match.
 */
export function detectPii(text: string, candidates: number = ALL_PII_CANDIDATES): PiiMatch[] {
  const out: PiiMatch[] = [];
  const taken: [number, number][] = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && a < e);
  const add = (kind: string, start: number, end: number) => {
    if (overlaps(start, end)) return;
    taken.push([start, end]);
    out.push({ kind, start, end });
  };
  const each = (bit: number, re: RegExp, fn: (m: RegExpExecArray) => void) => {
    if ((candidates & bit) === 0) return;
    for (const m of text.matchAll(re)) fn(m as RegExpExecArray);
  };
  const C = PII_CANDIDATE;
  // Most specific first: a key or card must not be reported as a phone number.
  for (const [kind, re] of API_KEYS) each(C.apiKey, re, (m) => add(kind, m.index, m.index + m[0].length));
  each(C.hexKey, HEX_KEY, (m) => {
    const k = BigInt(m[0].startsWith('0x') ? m[0] : `0x${m[0]}`);
    if (k > 0n && k < SECP256K1_N) add('eth-private-key', m.index, m.index + m[0].length);
  });
  each(C.email, EMAIL, (m) => add('email', m.index, m.index + m[0].length));
  each(C.iban, IBAN, (m) => {
    if (ibanValid(m[0])) add('iban', m.index, m.index + m[0].length);
  });
  each(C.card, CARD, (m) => {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) add('card', m.index, m.index + m[0].length);
  });
  each(C.ipv4, IPV4, (m) => {
    if (m[0].split('.').every((o) => Number(o) <= 255)) add('ip', m.index, m.index + m[0].length);
  });
  each(C.ipv6, IPV6, (m) => add('ip', m.index, m.index + m[0].length));
  if (candidates & C.seedPhrase) for (const span of seedPhrases(text)) add('seed-phrase', span[0], span[1]);
  each(C.phone, PHONE, (m) => {
    const digits = m[0].replace(/\D/g, '').length;
    if (digits >= 9 && digits <= 15) add('phone', m.index, m.index + m[0].length);
  });
  return out.sort((a, b) => a.start - b.start);
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616: move the first four characters to the end, letters to 10-35, the number mod 97 is 1. */
export function ibanValid(raw: string): boolean {
  const s = raw.replace(/ /g, '');
  if (s.length < 15 || s.length > 34) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= 'A' && ch <= 'Z' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    if (v < 0 || v > 35) return false;
    rem = v > 9 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

/** Runs of 12-24 consecutive wordlist words whose longest valid prefix passes the checksum. */
function seedPhrases(text: string): [number, number][] {
  const words = [...text.matchAll(/[a-z]+/g)];
  const spans: [number, number][] = [];
  let i = 0;
  while (i < words.length) {
    if (!isBip39Word(words[i]![0])) {
      i++;
      continue;
    }
    // Extend the run while the next word is a wordlist word separated only by whitespace.
    let j = i + 1;
    while (j < words.length && isBip39Word(words[j]![0]) && /^\s+$/.test(text.slice(words[j - 1]!.index + words[j - 1]![0].length, words[j]!.index))) j++;
    let found = false;
    for (let start = i; start + 12 <= j && !found; start++) {
      for (const n of [24, 21, 18, 15, 12]) {
        if (start + n > j) continue;
        if (isBip39Mnemonic(words.slice(start, start + n).map((w) => w[0]))) {
          const last = words[start + n - 1]!;
          spans.push([words[start]!.index, last.index + last[0].length]);
          found = true;
          break;
        }
      }
    }
    i = j;
  }
  return spans;
}
