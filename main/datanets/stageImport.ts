import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { ErrorCode, StudioError } from '../api/apiError';
import type { FieldMapping, RecordSchemaKind, RejectedRow } from '../api/datanetSchemas';
import { computeRecordSignals } from './computeRecordSignals';
import { mapRowUnhashed } from './mapRow';
import { nativeTextSignals, nativeTextSignalsAvailable } from './nativeTextSignals';
import { normalizeText } from './normalizeText';
import { recordHashes } from './recordHashes';
import { stageSignals, stageSignalsAvailable } from './stageSignals';
import { readSourceRows, type ImportSource } from './readSourceRows';
import type { ReadOptions } from './sourceRow';
import { encodeStagedRecords, signalColumns, type StagedRecord } from './stagedRecord';

/** Rejections kept in full; beyond this only the count grows (the report says so). */
export const MAX_REPORTED_REJECTIONS = 1000;
/** Records hashed per native call: enough to amortise the call, few enough to keep memory flat. */
const HASH_BATCH = 512;

export interface StagingResult {
  stagingPath: string;
  staged: number;
  rejected: RejectedRow[];
  rejectedCount: number;
  rows: number;
}

/**
 * The worker's half of an import, to a staging file: stageRecords' frames appended to a file
 * under `stagingDir` (stagedRecord.ts), so memory stays bounded by one batch of rows and the file
 * is never held. On any failure or cancel the file is removed.
 */
export async function stageImport(
  src: ImportSource,
  opts: { schema: RecordSchemaKind; mapping: FieldMapping; split: 'file' | 'paragraph'; stagingDir: string },
  read: ReadOptions,
): Promise<StagingResult> {
  fs.mkdirSync(opts.stagingDir, { recursive: true });
  const stagingPath = path.join(opts.stagingDir, `datanet-import-${process.pid}-${crypto.randomBytes(6).toString('hex')}.staged`);
  const out = fs.createWriteStream(stagingPath, { flags: 'wx' });
  // Write errors surface through once(out, 'drain' | 'finish'); after a destroy they are moot.
  out.on('error', () => {});
  try {
    const summary = await stageRecords(src, opts, read, async (frames) => {
      if (!out.write(frames)) await once(out, 'drain');
    });
    out.end();
    await once(out, 'finish');
    return { stagingPath, ...summary };
  } catch (err) {
    out.destroy();
    fs.rmSync(stagingPath, { force: true });
    throw err;
  }
}

/**
 * Reads the source row by row, maps and checks each row, computes its own-text signals, and hands
 * the records to `emit` as staging frames (stagedRecord.ts), one batch at a time, in source order;
 * staging waits for `emit`, so a slow consumer holds the reading back and memory stays bounded by
 * a few batches. Each batch of HASH_BATCH records takes one native pass (stageSignals.ts): record
 * hashes for all, and for ASCII texts the normalised text's hash, MinHash, quality heuristics and
 * PII pre-checks; other texts take recordHashes.ts and the JS reference. Nothing here touches the
 * database.
 */
export async function stageRecords(
  src: ImportSource,
  opts: { schema: RecordSchemaKind; mapping: FieldMapping; split: 'file' | 'paragraph' },
  read: ReadOptions,
  emit: (frames: Buffer, records: number) => Promise<void>,
): Promise<Omit<StagingResult, 'stagingPath'>> {
  const rejected: RejectedRow[] = [];
  let rejectedCount = 0;
  let staged = 0;
  let rows = 0;
  const reject = (r: RejectedRow) => {
    rejectedCount++;
    if (rejected.length < MAX_REPORTED_REJECTIONS) rejected.push(r);
  };
  const useNativeText = nativeTextSignalsAvailable();
  const useStageSignals = stageSignalsAvailable();
  let pending: { mapped: Exclude<ReturnType<typeof mapRowUnhashed>, { error: string }>; line: number; file: string | undefined }[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const texts = batch.map((p) => p.mapped.text);
    const canonical = batch.map((p) => p.mapped.canonical);
    // One native pass per record where the engine has it: an ASCII text is normalised, hashed and
    // measured there. The other texts (and every text without it) are normalised here and take
    // recordHashes and the reference heuristics, as before.
    const fast = useStageSignals ? stageSignals(texts, canonical) : null;
    const slow = batch.flatMap((_, i) => (fast?.[i]!.ascii ? [] : [i]));
    const normalized = new Map(slow.map((i) => [i, normalizeText(texts[i]!)]));
    const slowHashes = recordHashes(slow.map((i) => ({ normalized: normalized.get(i)!, canonical: canonical[i]! })));
    const slowText = useNativeText && !fast && slow.length > 0 ? nativeTextSignals(slow.map((i) => texts[i]!)) : null;
    const slowAt = new Map(slow.map((i, k) => [i, k]));
    const records = batch.map(({ mapped, line, file }, i): StagedRecord => {
      const f = fast?.[i];
      const k = slowAt.get(i);
      const signals =
        f?.ascii
          ? computeRecordSignals(mapped.text, { normHash: f.ascii.normHash, minhash: f.ascii.minhash }, f.ascii.text)
          : computeRecordSignals(mapped.text, { normalized: normalized.get(i)!, minhash: slowHashes[k!]!.minhash }, slowText?.[k!]);
      return {
        line,
        ...(file ? { file } : {}),
        sourceId: mapped.sourceId,
        contributor: mapped.contributor,
        contentJson: JSON.stringify(mapped.content),
        metadataJson: JSON.stringify(mapped.metadata),
        text: mapped.text,
        contentHash: f?.contentHash ?? slowHashes[k!]!.contentHash,
        signals: signalColumns(signals),
      };
    });
    staged += batch.length;
    await emit(encodeStagedRecords(records), records.length);
  };
  // A file that changes while it is read would give a mix of two versions: refuse it.
  const before = src.files.map((f) => fingerprint(f));
  for await (const row of readSourceRows(src, opts.split, read)) {
    rows++;
    const where = { line: row.line, ...(src.isFolder && row.file ? { file: row.file } : {}), ...(row.rowGroup !== undefined ? { rowGroup: row.rowGroup, row: row.row } : {}) };
    if ('error' in row) {
      reject({ ...where, reason: row.error });
      continue;
    }
    const fallbackId = src.isFolder && row.file ? `${row.file}:${row.line}` : `line-${row.line}`;
    const mapped = mapRowUnhashed(row.fields, opts.schema, opts.mapping, fallbackId);
    if ('error' in mapped) {
      reject({ ...where, reason: mapped.error });
      continue;
    }
    pending.push({ mapped, line: row.line, file: where.file });
    if (pending.length >= HASH_BATCH) await flush();
  }
  await flush();
  // Readers that stop between files or row groups return quietly: a cancel must still fail.
  if (read.signal.aborted) throw new StudioError(ErrorCode.Cancelled, 'Import cancelled; nothing was stored.');
  src.files.forEach((f, i) => {
    if (fingerprint(f) !== before[i]) throw new StudioError('DATANET_SOURCE_CHANGED', `${f} changed while it was read; nothing was imported. Import it again once it is complete.`, { file: f });
  });
  return { staged, rejected, rejectedCount, rows };
}

function fingerprint(file: string): string {
  const s = fs.statSync(file);
  return `${s.size}:${s.mtimeMs}:${s.ino}`;
}
