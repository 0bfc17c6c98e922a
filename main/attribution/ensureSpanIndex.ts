import { createHash } from 'node:crypto';
import path from 'node:path';
import { ErrorCode, StudioError } from '../api/apiError';
import { getDatanet } from '../datanets/datanetsRepository';
import { getVersionRow, versionRecords } from '../datanets/versionsRepository';
import type { NativeEngine } from '../engine/native/index';
import type { Tokenizer } from '../engine/tokenizer/Tokenizer';
import type { Db } from '../workspace/openDatabase';
import { openSpanIndex, StaleSpanIndexError, type SpanIndex } from './openSpanIndex';
import { writeSpanIndex } from './writeSpanIndex';

/** A datanet version's records as the span index takes them (leaf order: record id). */
export interface VersionDocuments {
  datanet: { name: string; version: number; root: string };
  records: { record: string; contributor: string; text: string }[];
}

/** sha256 of the tokenizer's JSON as parsed: an index built under another vocabulary or merges is stale. */
export function tokenizerFingerprint(tokenizer: Tokenizer): string {
  return createHash('sha256').update(JSON.stringify(tokenizer.json)).digest('hex');
}

/** Parses "name" or "name@3"; anything else after the "@" is refused rather than read as NaN. */
export function parseDatanetRef(ref: string): { name: string; version?: number } {
  const at = ref.lastIndexOf('@');
  if (at < 0) return { name: ref };
  const version = ref.slice(at + 1);
  if (!/^[1-9][0-9]{0,8}$/.test(version)) {
    throw new StudioError(ErrorCode.InvalidRequest, `Datanet reference ${JSON.stringify(ref)}: the version after "@" must be a positive integer (NAME@VERSION).`, { datanet: ref });
  }
  return { name: ref.slice(0, at), version: Number(version) };
}

/** A version's identity (the records are read only when an index must be built). */
export function versionIdentity(db: Db, name: string, version?: number): VersionDocuments['datanet'] & { versionId: number } {
  const d = getDatanet(db, name);
  const v = getVersionRow(db, d.id, d.name, version);
  return { name: d.name, version: v.version, root: v.merkle_root, versionId: v.id };
}

/** A version's records in leaf order (record id), on the thread that owns the database. */
export function versionDocuments(db: Db, name: string, version?: number): VersionDocuments {
  const { versionId, ...datanet } = versionIdentity(db, name, version);
  const records = [...versionRecords(db, versionId)].map((r) => ({ record: r.source_id, contributor: r.contributor, text: r.text }));
  return { datanet, records };
}

/** Where a version's index under one tokenizer lives: one folder per (datanet version, tokenizer). */
export function spanIndexDir(workspaceRoot: string, datanet: { name: string; version: number }, fingerprint: string): string {
  return path.join(workspaceRoot, 'indexes', 'spans', `${datanet.name}-v${datanet.version}-${fingerprint.slice(0, 16)}`);
}

export interface EnsuredSpanIndex {
  index: SpanIndex;
  /** Whether it was (re)built now, and why. */
  built: boolean;
  rebuiltBecause: string | null;
  ms: number;
}

/**
 * Opens the version's span index, building it when missing and rebuilding it when stale or
 * corrupt (openSpanIndex refuses those): an index is never trusted, only checked. `records` is
 * called only when a build is needed.
 */
export function ensureSpanIndex(
  engine: NativeEngine,
  workspaceRoot: string,
  datanet: VersionDocuments['datanet'],
  tokenizer: Tokenizer,
  records: () => VersionDocuments['records'],
): EnsuredSpanIndex {
  const started = performance.now();
  const fingerprint = tokenizerFingerprint(tokenizer);
  const dir = spanIndexDir(workspaceRoot, datanet, fingerprint);
  const expected = { datanetRoot: datanet.root, tokenizerFingerprint: fingerprint };
  let reason: string;
  try {
    return { index: openSpanIndex(engine, dir, expected), built: false, rebuiltBecause: null, ms: performance.now() - started };
  } catch (err) {
    if (!(err instanceof StaleSpanIndexError)) throw err;
    reason = err.reason;
  }
  const docs = records().map((r) => ({ record: r.record, contributor: r.contributor, ids: tokenizer.encode(r.text, { addSpecialTokens: false }) }));
  writeSpanIndex(engine, dir, docs, { datanet, tokenizer: { fingerprint, vocabSize: tokenizer.vocabSize } });
  return { index: openSpanIndex(engine, dir, expected), built: true, rebuiltBecause: reason, ms: performance.now() - started };
}
