import crypto from 'node:crypto';
import type { PiiMatch } from '../api/datanetSchemas';
import { ALL_PII_CANDIDATES, detectPii } from './detectPii';
import { minhashSignature } from './minhashSignature';
import type { NativeTextSignals } from './nativeTextSignals';
import { normalizeText } from './normalizeText';
import { qualitySignals, type QualitySignals } from './qualitySignals';

/** What one record's text alone decides; duplicates across records are settled in SQL at commit. */
export interface RecordTextSignals extends QualitySignals {
  normHash: string;
  minhash: Uint32Array;
  pii: PiiMatch[];
  length: number;
}

/** The normHash of a normalised text: the first 16 bytes of the SHA-256 of its UTF-8, in hex. */
export function normHashOf(normalized: string): string {
  return crypto.createHash('sha256').update(normalized).digest('hex').slice(0, 32);
}

/**
 * `hashed` gives what a batch computed natively: the MinHash with either the normalised text
 * (recordHashes.ts) or its normHash already (stageSignals.ts); `native` the heuristics and PII
 * candidates (nativeTextSignals.ts). Without them each is computed here in JS (the reference).
 */
export function computeRecordSignals(
  text: string,
  hashed?: { minhash: Uint32Array } & ({ normalized: string } | { normHash: string }),
  native?: NativeTextSignals | null,
): RecordTextSignals {
  let normHash: string;
  let minhash: Uint32Array;
  if (hashed && 'normHash' in hashed) ({ normHash, minhash } = hashed);
  else {
    const normalized = hashed?.normalized ?? normalizeText(text);
    normHash = normHashOf(normalized);
    minhash = hashed?.minhash ?? minhashSignature(normalized);
  }
  return {
    normHash,
    minhash,
    pii: detectPii(text, native?.piiCandidates ?? ALL_PII_CANDIDATES),
    length: text.length,
    ...(native?.quality ?? qualitySignals(text)),
  };
}
