// The snapshot writer (one pass, the engine's Snappy) against the writer before it
// (previousSnapshotFiles.ts: two passes, hyparquet-writer's JS Snappy): a version's JSONL and
// Parquet must be the same bytes, since their sha256 are recorded and the JSONL's is published on
// chain. Rows of every content shape the import stores (text, prompt/response, chat messages),
// with Unicode, escapes and numbers, over more than one 10,000-row group; then hyparquet reads it.
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { ArtifactStore } from '../../artifacts/artifactStore';
import { type SnapshotRow, writeSnapshotFiles } from '../writeSnapshotFiles';
import { previousSnapshotFiles } from './previousSnapshotFiles';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const WORDS = ['harbour', 'ledger', 'the', 'committee', 'naïve', 'Straße', '中文', '😀', 'e\u0301', '"quoted"', 'back\\slash', 'tab\there', 'line\nbreak', '\u2028', '</script>', '0.5', '-1e21'];

function rows(n: number): SnapshotRow[] {
  const rand = rng(3);
  const phrase = (k: number): string => Array.from({ length: k }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' ');
  const out: SnapshotRow[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    const a = phrase(5 + Math.floor(rand() * 60));
    const b = phrase(12);
    const content =
      kind === 0 ? { text: a } : kind === 1 ? { prompt: a, response: b, score: Math.floor(rand() * 100) / 7 } : { messages: [{ role: 'user', content: a }, { role: 'assistant', content: b }] };
    const text = kind === 0 ? a : `${a}\n${b}`;
    out.push({
      source_id: i % 97 === 0 ? `row "${i}" ✓` : `r${i}`,
      contributor: `0x${(0x1000 + (i % 13)).toString(16).padStart(40, 'a')}`,
      content_json: JSON.stringify(content),
      content_hash: `0x${i.toString(16).padStart(64, '0')}`,
      text,
    });
  }
  return out;
}

describe('writeSnapshotFiles', () => {
  it('writes the same JSONL and Parquet bytes as the previous writer, and the Parquet reads back', async () => {
    const data = rows(23_456);
    const before = previousSnapshotFiles(new ArtifactStore(tempDir()), () => data);
    const store = new ArtifactStore(tempDir());
    const now = writeSnapshotFiles(store, () => data);
    expect(now.jsonl).toEqual(before.jsonl);
    expect(now.parquet).toEqual(before.parquet);

    const read = (await parquetReadObjects({ file: await asyncBufferFromFile(store.pathOf(now.parquet.sha256)) })) as Record<string, unknown>[];
    expect(read.length).toBe(data.length);
    for (const i of [0, 1, 2, 97, 10_000, data.length - 1]) {
      const r = data[i]!;
      expect(read[i]).toEqual({ id: r.source_id, contributor: r.contributor, record_hash: r.content_hash, content: JSON.parse(r.content_json) as unknown, text: r.text });
    }
  });
});
