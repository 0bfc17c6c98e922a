import fs from 'node:fs';
import path from 'node:path';
import type { DatanetImportResult, FieldMapping, ImportFormat, RejectedRow } from '../api/datanetSchemas';
import { ArtifactStore } from '../artifacts/artifactStore';
import { recordArtifact } from '../artifacts/artifactsRepository';
import type { Db } from '../workspace/openDatabase';
import { settleNearDuplicates } from './settleNearDuplicates';
import { MAX_REPORTED_REJECTIONS, type StagingResult } from './stageImport';
import { forEachStagedRecordSync } from './stagedRecord';
import { settleExactDuplicates, signalWriter } from './storeSignals';

/** SQLite page cache while an import commits (KiB): bounds the commit's memory at any size. */
export const IMPORT_CACHE_KIB = 256 * 1024;

export interface ImportCommitInput {
  datanetId: number;
  datanetName: string;
  threshold: number;
  jobId: string | null;
  source: string;
  format: ImportFormat;
  mapping: FieldMapping;
  artifactsRoot: string;
}

/**
 * The main thread's half of an import: one transaction inserts every staged record with its
 * signals, settles duplicates, saves the report as an artifact and records the import. A row
 * whose source id the datanet already has (from an earlier import or earlier in this file) is
 * rejected here, where the database can tell. Any failure rolls everything back: the datanet
 * is exactly as before. The staging file is removed either way.
 */
export function commitImport(db: Db, staging: StagingResult, input: ImportCommitInput): DatanetImportResult {
  const rejected: RejectedRow[] = [...staging.rejected];
  let rejectedCount = staging.rejectedCount;
  const store = new ArtifactStore(input.artifactsRoot);
  // A bulk import touches index pages all over (LSH buckets, norm hashes are random keys): a
  // page cache of IMPORT_CACHE_KIB for the commit, then the connection's own again.
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    return db.transaction(() => {
      const now = new Date().toISOString();
      const importId = Number(
        db
          .prepare('INSERT INTO datanet_imports (datanet_id, job_id, source, format, mapping_json, imported, rejected, report_sha256, created_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?)')
          .run(input.datanetId, input.jobId, input.source, input.format, JSON.stringify(input.mapping), '', now).lastInsertRowid,
      );
      const insert = db.prepare(`INSERT OR IGNORE INTO datanet_records (datanet_id, import_id, source_id, contributor, content_json, metadata_json, text, content_hash, status)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')`);
      const writeSignals = signalWriter(db, input.datanetId, input.threshold, staging.staged);
      let imported = 0;
      let firstId: number | null = null;
      forEachStagedRecordSync(staging.stagingPath, (r) => {
        const res = insert.run(input.datanetId, importId, r.sourceId, r.contributor, r.contentJson, r.metadataJson, r.text, r.contentHash);
        if (res.changes === 0) {
          rejectedCount++;
          if (rejected.length < MAX_REPORTED_REJECTIONS) rejected.push({ line: r.line, ...(r.file ? { file: r.file } : {}), reason: `duplicate source id "${r.sourceId}" (already in the datanet or earlier in this file)` });
          return;
        }
        const id = Number(res.lastInsertRowid);
        firstId ??= id;
        writeSignals.write(id, r.signals);
        imported++;
      });
      const sharing = writeSignals.finish();
      if (firstId !== null) {
        // The import's rows are the ids from firstId on (this transaction holds the write lock);
        // their full-text rows go in with one statement (why: migration 20261205T1810).
        db.prepare('INSERT INTO datanet_records_fts (rowid, text) SELECT id, text FROM datanet_records WHERE id >= ? ORDER BY id').run(firstId);
        settleExactDuplicates(db, input.datanetId, firstId);
        settleNearDuplicates(db, input.datanetId, firstId, input.threshold, sharing);
      }
      rejected.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line);
      const report = {
        datanet: input.datanetName,
        importId,
        source: input.source,
        format: input.format,
        mapping: input.mapping,
        rows: staging.rows,
        imported,
        rejectedCount,
        rejected,
        rejectedTruncated: rejectedCount > rejected.length,
        createdAt: now,
      };
      const { sha256, size } = store.putBytesSync(Buffer.from(JSON.stringify(report, null, 2) + '\n'));
      recordArtifact(db, { sha256, size, name: `${input.datanetName}-import-${importId}-report.json`, mediaType: 'application/json' });
      db.prepare('UPDATE datanet_imports SET imported = ?, rejected = ?, report_sha256 = ? WHERE id = ?').run(imported, rejectedCount, sha256, importId);
      return { importId, imported, rejected, rejectedCount, report: store.pathOf(sha256), reportSha256: sha256 };
    })();
  } finally {
    db.pragma(`cache_size = ${cacheBefore}`);
    fs.rmSync(staging.stagingPath, { force: true });
  }
}

/** Where staging files go: the artifact store's temp folder, swept on open after a crash. */
export function stagingDir(artifactsRoot: string): string {
  return path.join(artifactsRoot, 'tmp');
}
