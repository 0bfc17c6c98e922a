import type { DatanetRecord, RecordSignals } from '../api/datanetSchemas';
import type { Db } from '../workspace/openDatabase';
import { parseFilter } from './parseFilter';

const SORT_SQL: Record<string, string> = {
  id: 'r.id',
  length: 's.length',
  piiCount: 's.pii_count',
  meanWordLength: 's.mean_word_length',
  symbolRatio: 's.symbol_ratio',
  alphaRatio: 's.alpha_ratio',
  dupLineRatio: 's.dup_line_ratio',
  topNgramRatio: 's.top_ngram_ratio',
  contributor: 'r.contributor',
};

interface Row {
  id: number;
  source_id: string;
  import_id: number;
  contributor: string;
  content_json: string;
  metadata_json: string;
  text: string;
  content_hash: string;
  status: DatanetRecord['status'];
  status_reason: string | null;
  norm_hash: string | null;
  exact_dup_of: number | null;
  near_dup_cluster: number | null;
  pii_count: number;
  pii_json: string;
  length: number;
  words: number;
  mean_word_length: number;
  symbol_ratio: number;
  alpha_ratio: number;
  dup_line_ratio: number;
  top_ngram_ratio: number;
  stop_words: number;
  language: string;
  quality_flags: string;
}

export function toRecord(r: Row): DatanetRecord {
  const signals: RecordSignals | null =
    r.norm_hash === null
      ? null
      : {
          exactDupOf: r.exact_dup_of,
          nearDupCluster: r.near_dup_cluster,
          piiCount: r.pii_count,
          pii: JSON.parse(r.pii_json),
          length: r.length,
          words: r.words,
          meanWordLength: r.mean_word_length,
          symbolRatio: r.symbol_ratio,
          alphaRatio: r.alpha_ratio,
          dupLineRatio: r.dup_line_ratio,
          topNgramRatio: r.top_ngram_ratio,
          stopWords: r.stop_words,
          language: r.language,
          qualityFlags: r.quality_flags === '' ? [] : r.quality_flags.split(','),
        };
  return {
    id: r.id,
    sourceId: r.source_id,
    importId: r.import_id,
    contributor: r.contributor,
    content: JSON.parse(r.content_json),
    metadata: JSON.parse(r.metadata_json),
    text: r.text,
    contentHash: r.content_hash,
    status: r.status,
    statusReason: r.status_reason,
    signals,
  };
}

/**
 * Totals per (datanet, filter), kept until anything is written: the table asks for a page of 200
 * rows at a time and each page carries the total, which at a million records is a count of up to
 * a million index entries. The stamp is this connection's total_changes() (every row it wrote)
 * and data_version (bumped by a commit on any other connection), so any write drops them all.
 */
const totals = new WeakMap<Db, { stamp: string; counts: Map<string, number> }>();

function cachedTotal(db: Db, key: string, count: () => number): number {
  const stamp = `${db.prepare('SELECT total_changes()').pluck().get() as number}:${db.pragma('data_version', { simple: true }) as number}`;
  let entry = totals.get(db);
  if (!entry || entry.stamp !== stamp) {
    entry = { stamp, counts: new Map() };
    totals.set(db, entry);
  }
  let n = entry.counts.get(key);
  if (n === undefined) {
    n = count();
    entry.counts.set(key, n);
  }
  return n;
}

/**
 * One page of a datanet's records under a filter, sorted by a signal column. The page's ids are
 * chosen first (index entries only, so a deep OFFSET skips small entries, not ~1 KB rows with
 * their signals), then those rows are read.
 */
export function listRecords(
  db: Db,
  datanetId: number,
  q: { filter: string; sort: string; descending: boolean; offset: number; limit: number },
): { total: number; records: DatanetRecord[]; highlights: Record<string, string> } {
  const f = parseFilter(q.filter);
  // With the slim (datanet_id) index, SQLite checks a filter's records against the datanet by
  // probing that index (datanet_id = ? AND rowid = ?), not by reading their ~1 KB rows.
  const where = `WHERE r.datanet_id = ? AND (${f.sql})`;
  const params = [datanetId, ...f.params];
  // Most filters never read the signals: counting them needs no join.
  const usesSignals = /\bs\./.test(f.sql);
  const total = cachedTotal(db, `${datanetId}\n${q.filter}`, () =>
    db.prepare(`SELECT COUNT(*) FROM datanet_records r ${usesSignals ? 'LEFT JOIN datanet_signals s ON s.record_id = r.id' : ''} ${where}`).pluck().get(...params) as number,
  );
  const sortSql = SORT_SQL[q.sort] ?? 'r.id';
  const order = `${sortSql} ${q.descending ? 'DESC' : 'ASC'}, r.id`;
  const join = usesSignals || sortSql.startsWith('s.') ? 'LEFT JOIN datanet_signals s ON s.record_id = r.id' : '';
  const ids = db.prepare(`SELECT r.id FROM datanet_records r ${join} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).pluck().all(...params, q.limit, q.offset) as number[];
  const rows =
    ids.length === 0
      ? []
      : (db.prepare(`SELECT r.*, s.* FROM datanet_records r LEFT JOIN datanet_signals s ON s.record_id = r.id WHERE r.id IN (SELECT value FROM json_each(?)) ORDER BY ${order}`).all(JSON.stringify(ids)) as Row[]);
  const records = rows.map(toRecord);
  const highlights: Record<string, string> = {};
  if (f.search && records.length > 0) {
    const snip = db.prepare("SELECT rowid AS id, snippet(datanet_records_fts, 0, '[', ']', '…', 24) AS s FROM datanet_records_fts WHERE datanet_records_fts MATCH ? AND rowid = ?");
    for (const r of records) {
      const h = snip.get(f.search, r.id) as { id: number; s: string } | undefined;
      if (h) highlights[String(r.id)] = h.s;
    }
  }
  return { total, records, highlights };
}

export function getRecord(db: Db, datanetId: number, id: number): DatanetRecord | null {
  const row = db.prepare('SELECT r.*, s.* FROM datanet_records r LEFT JOIN datanet_signals s ON s.record_id = r.id WHERE r.datanet_id = ? AND r.id = ?').get(datanetId, id) as Row | undefined;
  return row ? toRecord(row) : null;
}
