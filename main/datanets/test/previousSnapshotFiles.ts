// The snapshot writer as it was before session 8 (hyparquet-writer, the content column given as
// parsed JSON), kept as the reference the current writer's files are compared with byte for byte
// (writeSnapshotFiles.test.ts) and as the bench's before (bench/datanetFreeze).
import fs from 'node:fs';
import { ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import { fileWriter } from 'hyparquet-writer';
import type { ArtifactStore } from '../../artifacts/artifactStore';

interface SnapshotRow {
  source_id: string;
  contributor: string;
  content_json: string;
  content_hash: string;
  text: string;
}

/** One JSONL line of a snapshot: the source id, contributor, record hash and content. */
function snapshotLine(r: SnapshotRow): string {
  return `{"id":${JSON.stringify(r.source_id)},"contributor":"${r.contributor}","recordHash":"${r.content_hash}","content":${r.content_json}}\n`;
}

const ROWS_PER_GROUP = 10_000;

/**
 * Writes a version's records to the artifact store as JSONL and as Parquet (columns id,
 * contributor, record_hash, content (JSON), text: DuckDB, pandas and Spark read it as is), both
 * streamed in groups of 10,000 rows. Returns both sha256s.
 */
export function previousSnapshotFiles(store: ArtifactStore, rows: () => Iterable<SnapshotRow>): { jsonl: { sha256: string; size: number }; parquet: { sha256: string; size: number } } {
  const jsonl = store.putTempSync((tmp) => {
    const fd = fs.openSync(tmp, 'wx');
    try {
      let buf: string[] = [];
      for (const r of rows()) {
        buf.push(snapshotLine(r));
        if (buf.length >= ROWS_PER_GROUP) {
          fs.writeSync(fd, buf.join(''));
          buf = [];
        }
      }
      if (buf.length > 0) fs.writeSync(fd, buf.join(''));
    } finally {
      fs.closeSync(fd);
    }
  });
  const parquet = store.putTempSync((tmp) => {
    const names = ['id', 'contributor', 'record_hash', 'content', 'text'] as const;
    const empty = names.map((name) => ({ name, data: [] as string[], type: name === 'content' ? ('JSON' as const) : ('STRING' as const) }));
    const writer = new ParquetWriter({ writer: fileWriter(tmp), schema: schemaFromColumnData({ columnData: empty }) });
    let cols: string[][] = names.map(() => []);
    const flush = () => {
      if (cols[0]!.length === 0) return;
      writer.write({ columnData: names.map((name, i) => ({ name, data: name === 'content' ? cols[i]!.map((s) => JSON.parse(s)) : cols[i]! })), rowGroupSize: ROWS_PER_GROUP });
      cols = names.map(() => []);
    };
    for (const r of rows()) {
      cols[0]!.push(r.source_id);
      cols[1]!.push(r.contributor);
      cols[2]!.push(r.content_hash);
      cols[3]!.push(r.content_json);
      cols[4]!.push(r.text);
      if (cols[0]!.length >= ROWS_PER_GROUP) flush();
    }
    flush();
    writer.finish();
  });
  return { jsonl, parquet };
}
