import fs from 'node:fs';
import path from 'node:path';
import type { DatanetImportResult, FieldMapping, ImportFormat, RejectedRow } from '../api/datanetSchemas';
import { ArtifactStore } from '../artifacts/artifactStore';
import { recordArtifact } from '../artifacts/artifactsRepository';
import type { Db } from '../workspace/openDatabase';
import { settleNearDuplicates } from './settleNearDuplicates';
import { MAX_REPORTED_REJECTIONS, type StagingResult } from './stageImport';
import { forEachStagedRecordSync, type StagedRecord } from './stagedRecord';
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
  /** About how many records the import brings, when known: it only sizes signalWriter's Bloom filter. */
  expectedRecords?: number;
}

/** What the commit needs of the staging: the rows read and the rejections staging already made. */
export type StagingSummary = Pick<StagingResult, 'rows' | 'rejected' | 'rejectedCount'>;

/** An import's commit, opened by beginImportCommit inside the caller's transaction. */
export interface ImportCommit {
  /** Inserts one staged record (in staging order) with its signals, or rejects its source id. */
  append(r: StagedRecord): void;
  /** Records appended so far (inserted or rejected). */
  readonly appended: number;
  /** After the last append: buckets, full text, duplicates, the report and the imports row. */
  finish(staging: StagingSummary): DatanetImportResult;
}

/**
 * The commit of an import, in parts, for a caller that holds a transaction open on `db` for all
 * of them: `append` each staged record as it comes (the import job's commit worker gets them
 * while the worker still stages the rest), then `finish` once. A row whose source id the datanet
 * already has (from an earlier import or earlier in this file) is rejected here, where the
 * database can tell. The caller rolls back on any failure or cancel: the datanet is then exactly
 * as before.
 */
export function beginImportCommit(db: Db, input: ImportCommitInput): ImportCommit {
  const rejected: RejectedRow[] = [];
  let rejectedCount = 0;
  const store = new ArtifactStore(input.artifactsRoot);
  const now = new Date().toISOString();
  const importId = Number(
    db
      .prepare('INSERT INTO datanet_imports (datanet_id, job_id, source, format, mapping_json, imported, rejected, report_sha256, created_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?)')
      .run(input.datanetId, input.jobId, input.source, input.format, JSON.stringify(input.mapping), '', now).lastInsertRowid,
  );
  const insert = db.prepare(`INSERT OR IGNORE INTO datanet_records (datanet_id, import_id, source_id, contributor, content_json, metadata_json, text, content_hash, status)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')`);
  const writeSignals = signalWriter(db, input.datanetId, input.threshold, input.expectedRecords);
  let imported = 0;
  let appended = 0;
  let firstId: number | null = null;
  const append = (r: StagedRecord) => {
    appended++;
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
  };
  const finish = (staging: StagingSummary): DatanetImportResult => {
    // Staging's rejections come first in the kept list, as when they were read before the commit.
    const kept = [...staging.rejected, ...rejected].slice(0, MAX_REPORTED_REJECTIONS);
    const allRejected = staging.rejectedCount + rejectedCount;
    const sharing = writeSignals.finish();
    if (firstId !== null) {
      // The import's rows are the ids from firstId on (this transaction holds the write lock);
      // their full-text rows go in with one statement (why: migration 20261205T1810).
      db.prepare('INSERT INTO datanet_records_fts (rowid, text) SELECT id, text FROM datanet_records WHERE id >= ? ORDER BY id').run(firstId);
      settleExactDuplicates(db, input.datanetId, firstId);
      settleNearDuplicates(db, input.datanetId, firstId, input.threshold, sharing);
    }
    kept.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line);
    const report = {
      datanet: input.datanetName,
      importId,
      source: input.source,
      format: input.format,
      mapping: input.mapping,
      rows: staging.rows,
      imported,
      rejectedCount: allRejected,
      rejected: kept,
      rejectedTruncated: allRejected > kept.length,
      createdAt: now,
    };
    const { sha256, size } = store.putBytesSync(Buffer.from(JSON.stringify(report, null, 2) + '\n'));
    recordArtifact(db, { sha256, size, name: `${input.datanetName}-import-${importId}-report.json`, mediaType: 'application/json' });
    db.prepare('UPDATE datanet_imports SET imported = ?, rejected = ?, report_sha256 = ? WHERE id = ?').run(imported, allRejected, sha256, importId);
    return { importId, imported, rejected: kept, rejectedCount: allRejected, report: store.pathOf(sha256), reportSha256: sha256 };
  };
  return {
    append,
    get appended() {
      return appended;
    },
    finish,
  };
}

/**
 * An import's commit from a staging file in one call, on the caller's thread: one transaction
 * inserts every staged record with its signals, settles duplicates, saves the report as an
 * artifact and records the import (beginImportCommit's parts in a row). Any failure rolls
 * everything back: the datanet is exactly as before. The staging file is removed either way.
 * The demo datanet and the stage/commit bench use it; the datanet.import job commits on its own
 * connection while it stages (importCommitWorker.ts).
 */
export function commitImport(db: Db, staging: StagingResult, input: ImportCommitInput): DatanetImportResult {
  const cacheBefore = withImportCache(db);
  try {
    return db.transaction(() => {
      const commit = beginImportCommit(db, { ...input, expectedRecords: staging.staged });
      forEachStagedRecordSync(staging.stagingPath, commit.append);
      return commit.finish(staging);
    })();
  } finally {
    db.pragma(`cache_size = ${cacheBefore}`);
    fs.rmSync(staging.stagingPath, { force: true });
  }
}

/**
 * A bulk import touches index pages all over (LSH buckets, norm hashes are random keys): a page
 * cache of IMPORT_CACHE_KIB for the commit. Returns the connection's own size, to set back.
 */
export function withImportCache(db: Db): number {
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  return cacheBefore;
}

/** Where staging files go: the artifact store's temp folder, swept on open after a crash. */
export function stagingDir(artifactsRoot: string): string {
  return path.join(artifactsRoot, 'tmp');
}
