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

/**
 * `hashed` gives what a batch computed natively (recordHashes.ts): the normalised text and its
 * MinHash; `native` the heuristics and PII candidates (nativeTextSignals.ts). Without them each
 * is computed here in JS (the reference).
 */
export function computeRecordSignals(text: string, hashed?: { normalized: string; minhash: Uint32Array }, native?: NativeTextSignals | null): RecordTextSignals {
  const normalized = hashed?.normalized ?? normalizeText(text);
  return {
    normHash: crypto.createHash('sha256').update(normalized).digest('hex').slice(0, 32),
    minhash: hashed?.minhash ?? minhashSignature(normalized),
    pii: detectPii(text, native?.piiCandidates ?? ALL_PII_CANDIDATES),
    length: text.length,
    ...(native?.quality ?? qualitySignals(text)),
  };
}
