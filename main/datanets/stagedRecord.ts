import type { MappedRecord } from './mapRow';
import type { RecordTextSignals } from './computeRecordSignals';

/**
 * One line of an import's staging file (JSON Lines under artifacts/tmp): a mapped record with its
 * own-text signals, the MinHash as base64. The worker writes these; commit inserts them.
 */
export interface StagedRecord extends MappedRecord {
  line: number;
  file?: string;
  signals: Omit<RecordTextSignals, 'minhash'> & { minhash: string };
}
