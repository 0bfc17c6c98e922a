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

export function computeRecordSignals(text: string): RecordTextSignals {
  const normalized = normalizeText(text);
  return {
    normHash: crypto.createHash('sha256').update(normalized).digest('hex').slice(0, 32),
    minhash: minhashSignature(normalized),
    pii: detectPii(text),
    length: text.length,
    ...qualitySignals(text),
  };
}
