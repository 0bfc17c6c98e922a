import crypto from 'node:crypto';
import type { PiiMatch } from '../api/datanetSchemas';
import { detectPii } from './detectPii';
import { minhashSignature } from './minhashSignature';
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
 * MinHash; without it both are computed here in JS (the reference).
 */
export function computeRecordSignals(text: string, hashed?: { normalized: string; minhash: Uint32Array }): RecordTextSignals {
  const normalized = hashed?.normalized ?? normalizeText(text);
  return {
    normHash: crypto.createHash('sha256').update(normalized).digest('hex').slice(0, 32),
    minhash: hashed?.minhash ?? minhashSignature(normalized),
    pii: detectPii(text),
    length: text.length,
    ...qualitySignals(text),
  };
}
