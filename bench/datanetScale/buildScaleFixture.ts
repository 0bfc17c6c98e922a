// A bench fixture, not an import: writes rows into a datanet directly in the workspace schema,
// computing every signal with the same functions the import runs (mapRowUnhashed, recordHashes,
// nativeTextSignals, computeRecordSignals, signalWriter, the bulk full-text insert and the
// duplicate settling), in this process and without the import's source parsing, staging file,
// worker and single transaction. That makes a million-record datanet buildable on a loaded box
// for the query, scroll and freeze benches, which measure what happens after an import.
// test/integration/datanetScaleFixture.test.ts checks that it stores exactly what a real import
// of the same rows stores.
import type { FieldMapping } from '../../main/api/datanetSchemas';
import { ArtifactStore } from '../../main/artifacts/artifactStore';
import { recordArtifact } from '../../main/artifacts/artifactsRepository';
import { computeRecordSignals } from '../../main/datanets/computeRecordSignals';
import { mapRowUnhashed } from '../../main/datanets/mapRow';
import { nativeTextSignals, nativeTextSignalsAvailable } from '../../main/datanets/nativeTextSignals';
import { normalizeText } from '../../main/datanets/normalizeText';
import { recordHashes } from '../../main/datanets/recordHashes';
import { settleNearDuplicates } from '../../main/datanets/settleNearDuplicates';
import { signalColumns } from '../../main/datanets/stagedRecord';
import { settleExactDuplicates, signalWriter } from '../../main/datanets/storeSignals';
import type { Db } from '../../main/workspace/openDatabase';

/** Rows per native hashing call (as the import's staging). */
const BATCH = 512;
/** Rows per transaction: keeps the WAL small at a million rows. */
const ROWS_PER_TRANSACTION = 25_000;

export const SCALE_MAPPING: FieldMapping = { contributorField: 'who' };

export interface FixtureTimes {
  rows: number;
  /** Wall and CPU seconds of each phase. */
  phases: Record<string, { seconds: number; cpuSeconds: number }>;
}

/**
 * Adds `rows` (fields id, text, who) to the datanet as one import of a text-schema datanet,
 * every record pending, with its signals, LSH buckets and full-text row, duplicates settled.
 */
export function buildScaleFixture(
  db: Db,
  datanet: { id: number; name: string; threshold: number },
  rows: Iterable<Record<string, unknown>>,
  artifactsRoot: string,
  onProgress: (done: number) => void = () => {},
): FixtureTimes {
  const phases: FixtureTimes['phases'] = {};
  const phase = <T>(name: string, fn: () => T): T => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const out = fn();
    const c = process.cpuUsage(c0);
    phases[name] = { seconds: +((performance.now() - t0) / 1000).toFixed(2), cpuSeconds: +((c.user + c.system) / 1e6).toFixed(2) };
    return out;
  };
  const store = new ArtifactStore(artifactsRoot);
  const report = store.putBytesSync(Buffer.from(JSON.stringify({ datanet: datanet.name, source: 'bench fixture (bench/datanetScale/buildScaleFixture.ts)' }) + '\n'));
  recordArtifact(db, { ...report, name: `${datanet.name}-bench-fixture-report.json`, mediaType: 'application/json' });
  const importId = Number(
    db
      .prepare("INSERT INTO datanet_imports (datanet_id, job_id, source, format, mapping_json, imported, rejected, report_sha256, created_at) VALUES (?, NULL, 'bench fixture', 'jsonl', ?, 0, 0, ?, ?)")
      .run(datanet.id, JSON.stringify(SCALE_MAPPING), report.sha256, new Date().toISOString()).lastInsertRowid,
  );
  const insert = db.prepare(`INSERT INTO datanet_records (datanet_id, import_id, source_id, contributor, content_json, metadata_json, text, content_hash, status)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')`);
  const writeSignals = signalWriter(db, datanet.id, datanet.threshold);
  // The records sharing a bucket with an earlier one, from every transaction's finish (each
  // batch's probes see every earlier batch's rows, so together they are the import's).
  const sharing: number[] = [];
  const useNativeText = nativeTextSignalsAvailable();
  let firstId: number | null = null;
  let done = 0;
  let batch: Exclude<ReturnType<typeof mapRowUnhashed>, { error: string }>[] = [];
  let sinceCommit = 0;
  const writeBatch = db.transaction((b: typeof batch) => {
    const normalized = b.map((m) => normalizeText(m.text));
    const hashes = recordHashes(b.map((m, i) => ({ normalized: normalized[i]!, canonical: m.canonical })));
    const texts = useNativeText ? nativeTextSignals(b.map((m) => m.text)) : null;
    b.forEach((m, i) => {
      const { contentHash, minhash } = hashes[i]!;
      const s = computeRecordSignals(m.text, { normalized: normalized[i]!, minhash }, texts?.[i]);
      const res = insert.run(datanet.id, importId, m.sourceId, m.contributor, JSON.stringify(m.content), JSON.stringify(m.metadata), m.text, contentHash);
      const id = Number(res.lastInsertRowid);
      firstId ??= id;
      writeSignals.write(id, signalColumns(s));
    });
  });
  // Batches of BATCH rows, grouped ROWS_PER_TRANSACTION to a transaction by BEGIN/COMMIT around them.
  phase('records', () => {
    db.exec('BEGIN');
    try {
      let line = 0;
      const flush = () => {
        if (batch.length === 0) return;
        writeBatch(batch);
        done += batch.length;
        sinceCommit += batch.length;
        batch = [];
        if (sinceCommit >= ROWS_PER_TRANSACTION) {
          sharing.push(...writeSignals.finish()); // the staged LSH rows into datanet_lsh in key order, as the import's commit does
          db.exec('COMMIT');
          db.exec('BEGIN');
          sinceCommit = 0;
          onProgress(done);
        }
      };
      for (const fields of rows) {
        line++;
        const m = mapRowUnhashed(fields, 'text', SCALE_MAPPING, `line-${line}`);
        if ('error' in m) throw new Error(`fixture row ${line}: ${m.error}`);
        batch.push(m);
        if (batch.length >= BATCH) flush();
      }
      flush();
      sharing.push(...writeSignals.finish());
      db.exec('COMMIT');
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  });
  if (firstId !== null) {
    const from = firstId;
    phase('fullText', () => db.transaction(() => db.prepare('INSERT INTO datanet_records_fts (rowid, text) SELECT id, text FROM datanet_records WHERE id >= ? ORDER BY id').run(from))());
    phase('exactDuplicates', () => db.transaction(() => settleExactDuplicates(db, datanet.id, from))());
    phase('nearDuplicates', () => db.transaction(() => settleNearDuplicates(db, datanet.id, from, datanet.threshold, sharing))());
  }
  db.prepare('UPDATE datanet_imports SET imported = ? WHERE id = ?').run(done, importId);
  onProgress(done);
  return { rows: done, phases };
}
