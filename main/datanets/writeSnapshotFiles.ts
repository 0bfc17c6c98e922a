import fs from 'node:fs';
import { ParquetWriter, fileWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { ArtifactStore } from '../artifacts/artifactStore';
import { loadNativeEngine } from '../engine/native';

export interface SnapshotRow {
  source_id: string;
  contributor: string;
  content_json: string;
  content_hash: string;
  text: string;
}

/** One JSONL line of a snapshot: the source id, contributor, record hash and content. */
export function snapshotLine(r: SnapshotRow): string {
  return `{"id":${JSON.stringify(r.source_id)},"contributor":"${r.contributor}","recordHash":"${r.content_hash}","content":${r.content_json}}\n`;
}

const ROWS_PER_GROUP = 10_000;
const NAMES = ['id', 'contributor', 'record_hash', 'content', 'text'] as const;

type Compress = (input: Uint8Array) => Uint8Array;
let nativeSnappy: Compress | null | undefined;

/**
 * The engine's Snappy, the same bytes as hyparquet-writer's own (native/test/parquetSnappy.test.ts)
 * at a fraction of the CPU: that JS compressor was most of a snapshot's time. Null when the engine
 * is not built or predates it (the writer then uses its own), or when
 * STUDIO_PARQUET_SNAPPY=reference asks for the JS one.
 */
function snappyCompressor(): Compress | null {
  if (process.env.STUDIO_PARQUET_SNAPPY === 'reference') return null;
  if (nativeSnappy !== undefined) return nativeSnappy;
  try {
    const engine = loadNativeEngine();
    nativeSnappy = typeof engine.parquetSnappy === 'function' ? (input) => engine.parquetSnappy(input) : null;
  } catch {
    nativeSnappy = null;
  }
  return nativeSnappy;
}

/**
 * Writes a version's records to the artifact store as JSONL and as Parquet (columns id,
 * contributor, record_hash, content (JSON), text: DuckDB, pandas and Spark read it as is), both
 * in groups of 10,000 rows from ONE pass over the rows (each group is the memory held). Returns
 * both sha256s. The bytes are those of the writer before session 8
 * (main/datanets/test/previousSnapshotFiles.ts; writeSnapshotFiles.test.ts compares them): the
 * content column still goes through JSON.parse because hyparquet-writer writes a JSON column by
 * JSON.stringify of the value, and the stored content_json is JSON.stringify's output, so the
 * round trip gives its bytes back.
 */
export function writeSnapshotFiles(store: ArtifactStore, rows: () => Iterable<SnapshotRow>): { jsonl: { sha256: string; size: number }; parquet: { sha256: string; size: number } } {
  let parquet: { sha256: string; size: number } | undefined;
  const jsonl = store.putTempSync((jsonlTmp) => {
    parquet = store.putTempSync((parquetTmp) => {
      const fd = fs.openSync(jsonlTmp, 'wx');
      try {
        const empty = NAMES.map((name) => ({ name, data: [] as string[], type: name === 'content' ? ('JSON' as const) : ('STRING' as const) }));
        const snappy = snappyCompressor();
        const writer = new ParquetWriter({ writer: fileWriter(parquetTmp), schema: schemaFromColumnData({ columnData: empty }), ...(snappy ? { compressors: { SNAPPY: snappy } } : {}) });
        let lines: string[] = [];
        let cols: string[][] = NAMES.map(() => []);
        const flush = () => {
          if (lines.length === 0) return;
          fs.writeSync(fd, lines.join(''));
          writer.write({ columnData: NAMES.map((name, i) => ({ name, data: name === 'content' ? cols[i]!.map((s) => JSON.parse(s) as unknown) : cols[i]! })), rowGroupSize: ROWS_PER_GROUP });
          lines = [];
          cols = NAMES.map(() => []);
        };
        for (const r of rows()) {
          lines.push(snapshotLine(r));
          cols[0]!.push(r.source_id);
          cols[1]!.push(r.contributor);
          cols[2]!.push(r.content_hash);
          cols[3]!.push(r.content_json);
          cols[4]!.push(r.text);
          if (lines.length >= ROWS_PER_GROUP) flush();
        }
        flush();
        writer.finish();
      } finally {
        fs.closeSync(fd);
      }
    });
  });
  return { jsonl, parquet: parquet! };
}
