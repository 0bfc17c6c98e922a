import { ErrorCode, StudioError } from '../api/apiError';
import type { Datanet, DatanetStats, RecordSchemaKind } from '../api/datanetSchemas';
import type { Db } from '../workspace/openDatabase';
import { parseFilter } from './parseFilter';

interface DatanetRow {
  id: number;
  name: string;
  domain: string;
  description: string;
  licence: string;
  schema: RecordSchemaKind;
  near_dup_threshold: number;
  created_at: string;
}

const SELECT = `SELECT d.*, (SELECT COUNT(*) FROM datanet_records r WHERE r.datanet_id = d.id) AS records,
  (SELECT COUNT(*) FROM datanet_versions v WHERE v.datanet_id = d.id) AS versions FROM datanets d`;

function toDatanet(r: DatanetRow & { records: number; versions: number }): Datanet {
  return {
    id: r.id,
    name: r.name,
    schema: r.schema,
    domain: r.domain,
    description: r.description,
    licence: r.licence,
    nearDuplicateThreshold: r.near_dup_threshold,
    createdAt: r.created_at,
    records: r.records,
    versions: r.versions,
  };
}

export function createDatanet(
  db: Db,
  p: { name: string; schema: RecordSchemaKind; domain: string; description: string; licence: string; nearDuplicateThreshold: number },
): Datanet {
  if (db.prepare('SELECT 1 FROM datanets WHERE name = ?').get(p.name)) throw new StudioError(ErrorCode.Conflict, `A datanet named ${p.name} already exists.`, { name: p.name });
  db.prepare('INSERT INTO datanets (name, domain, description, licence, schema, near_dup_threshold, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    p.name,
    p.domain,
    p.description,
    p.licence,
    p.schema,
    p.nearDuplicateThreshold,
    new Date().toISOString(),
  );
  return getDatanet(db, p.name);
}

export function listDatanets(db: Db): Datanet[] {
  return (db.prepare(`${SELECT} ORDER BY d.name`).all() as (DatanetRow & { records: number; versions: number })[]).map(toDatanet);
}

/** By name; NOT_FOUND names the datanet and lists the ones there are. */
export function getDatanet(db: Db, name: string): Datanet {
  const row = db.prepare(`${SELECT} WHERE d.name = ?`).get(name) as (DatanetRow & { records: number; versions: number }) | undefined;
  if (!row) {
    const known = (db.prepare('SELECT name FROM datanets ORDER BY name').all() as { name: string }[]).map((r) => r.name);
    throw new StudioError(ErrorCode.NotFound, `No datanet named ${name}${known.length ? ` (there are: ${known.join(', ')})` : ''}.`, { name, known });
  }
  return toDatanet(row);
}

/**
 * A datanet's id by name, without the record and version counts getDatanet adds (at a million
 * records the count alone is ~20 ms, paid by every page of the record table). Same NOT_FOUND.
 */
export function getDatanetId(db: Db, name: string): number {
  const id = db.prepare('SELECT id FROM datanets WHERE name = ?').pluck().get(name) as number | undefined;
  return id ?? getDatanet(db, name).id;
}

export function datanetStats(db: Db, datanetId: number): DatanetStats {
  const byStatus = Object.fromEntries(
    (db.prepare('SELECT status, COUNT(*) AS n FROM datanet_records WHERE datanet_id = ? GROUP BY status').all(datanetId) as { status: string; n: number }[]).map((r) => [r.status, r.n]),
  );
  const one = (sql: string) => (db.prepare(sql).get(datanetId) as { n: number }).n;
  // Signal counts as the listings' filters (parseFilter.ts) count them: through the signals'
  // partial indexes, a few thousand entries instead of every record's signals (~0.6-0.9 s at 1M).
  const bySignal = (filter: string) => {
    const f = parseFilter(filter);
    return db.prepare(`SELECT COUNT(*) FROM datanet_records r WHERE r.datanet_id = ? AND (${f.sql})`).pluck().get(datanetId, ...f.params) as number;
  };
  const languages = Object.fromEntries(
    (db.prepare('SELECT language, COUNT(*) AS n FROM datanet_signals WHERE datanet_id = ? GROUP BY language ORDER BY n DESC').all(datanetId) as { language: string; n: number }[]).map((r) => [
      r.language,
      r.n,
    ]),
  );
  return {
    records: one('SELECT COUNT(*) AS n FROM datanet_records WHERE datanet_id = ?'),
    accepted: byStatus['accepted'] ?? 0,
    pending: byStatus['pending'] ?? 0,
    rejected: byStatus['rejected'] ?? 0,
    excluded: byStatus['excluded'] ?? 0,
    exactDuplicates: bySignal('duplicate'),
    nearDuplicates: one('SELECT COUNT(*) AS n FROM datanet_signals WHERE datanet_id = ? AND near_dup_cluster IS NOT NULL AND near_dup_cluster != record_id'),
    nearDuplicateClusters: one('SELECT COUNT(DISTINCT near_dup_cluster) AS n FROM datanet_signals WHERE datanet_id = ? AND near_dup_cluster IS NOT NULL'),
    pii: bySignal('pii'),
    quality: bySignal('quality'),
    contributors: one('SELECT COUNT(DISTINCT contributor) AS n FROM datanet_records WHERE datanet_id = ?'),
    imports: one('SELECT COUNT(*) AS n FROM datanet_imports WHERE datanet_id = ?'),
    versions: one('SELECT COUNT(*) AS n FROM datanet_versions WHERE datanet_id = ?'),
    languages,
  };
}
