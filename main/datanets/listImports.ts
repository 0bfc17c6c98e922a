import type { Db } from '../workspace/openDatabase';

export function listImports(db: Db, datanetId: number) {
  const rows = db.prepare('SELECT * FROM datanet_imports WHERE datanet_id = ? ORDER BY id').all(datanetId) as {
    id: number;
    source: string;
    format: string;
    mapping_json: string;
    imported: number;
    rejected: number;
    report_sha256: string;
    created_at: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    format: r.format,
    mapping: JSON.parse(r.mapping_json) as Record<string, unknown>,
    imported: r.imported,
    rejected: r.rejected,
    reportSha256: r.report_sha256,
    createdAt: r.created_at,
  }));
}
