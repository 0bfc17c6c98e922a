// The freeze bench's datanet: n accepted records of real prose (scaleRecords: sentences of the
// State of the Union addresses, ~1 KB each, 500 contributors) written straight into the
// workspace schema with the import's own mapping and record hash. No signals, LSH or full-text
// rows: a freeze reads none of them, and leaving them out keeps a 1M fixture buildable here.
import { mapRowUnhashed } from '../../main/datanets/mapRow';
import { recordHashes } from '../../main/datanets/recordHashes';
import type { Db } from '../../main/workspace/openDatabase';
import { SCALE_MAPPING } from '../datanetScale/buildScaleFixture';
import { scaleRecords } from '../datanetScale/scaleRecords';

const BATCH = 512;

export function buildFreezeFixture(db: Db, datanetId: number, n: number): void {
  const importId = Number(
    db
      .prepare("INSERT INTO datanet_imports (datanet_id, job_id, source, format, mapping_json, imported, rejected, report_sha256, created_at) VALUES (?, NULL, 'freeze bench', 'jsonl', ?, ?, 0, '', ?)")
      .run(datanetId, JSON.stringify(SCALE_MAPPING), n, new Date().toISOString()).lastInsertRowid,
  );
  const insert = db.prepare(`INSERT INTO datanet_records (datanet_id, import_id, source_id, contributor, content_json, metadata_json, text, content_hash, status)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'accepted')`);
  type Mapped = Exclude<ReturnType<typeof mapRowUnhashed>, { error: string }>;
  const write = db.transaction((b: Mapped[]) => {
    const hashes = recordHashes(b.map((m) => ({ normalized: m.text, canonical: m.canonical })));
    b.forEach((m, i) => insert.run(datanetId, importId, m.sourceId, m.contributor, JSON.stringify(m.content), JSON.stringify(m.metadata), m.text, hashes[i]!.contentHash));
  });
  let batch: Mapped[] = [];
  let i = 0;
  for (const row of scaleRecords(n)) {
    const m = mapRowUnhashed(row, 'text', SCALE_MAPPING, String(i++));
    if ('error' in m) throw new Error(`freeze fixture row ${i}: ${m.error}`);
    batch.push(m);
    if (batch.length === BATCH) {
      write(batch);
      batch = [];
    }
  }
  if (batch.length > 0) write(batch);
}
