// commitImport settles duplicates in bulk (one statement finds the records that share anything);
// here the stored clusters and first copies are checked against the record-by-record settling,
// across two imports into one datanet and a second datanet holding the same texts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase, type Db } from '../../workspace/openDatabase';
import { commitImport, stagingDir } from '../commitImport';
import { createDatanet } from '../datanetsRepository';
import { resolveImportSource } from '../readSourceRows';
import { settleNearDuplicates } from '../settleNearDuplicates';
import { stageImport } from '../stageImport';

const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const WORDS = 'river harbour council boats grain mill road market square traders prices weather bridges schools taxes lanterns ropes tide'.split(' ');

function passage(seed: number): string {
  return Array.from({ length: 60 }, (_, i) => WORDS[(seed * 7 + i * i * 3 + i) % WORDS.length]).join(' ') + ` number ${seed}`;
}

async function importTexts(db: Db, root: string, datanet: { id: number; name: string }, texts: string[], tag: string) {
  const file = path.join(root, `${datanet.name}-${tag}.jsonl`);
  fs.writeFileSync(file, texts.map((text, i) => JSON.stringify({ id: `${tag}-${i}`, text })).join('\n') + '\n');
  const artifactsRoot = path.join(root, 'artifacts');
  const staged = await stageImport(resolveImportSource(file), { schema: 'text', mapping: { contributor: ALICE }, split: 'file', stagingDir: stagingDir(artifactsRoot) }, { signal: new AbortController().signal });
  return commitImport(db, staged, { datanetId: datanet.id, datanetName: datanet.name, threshold: 0.8, jobId: null, source: file, format: 'jsonl', mapping: { contributor: ALICE }, artifactsRoot });
}

const settled = (db: Db) => db.prepare('SELECT record_id, exact_dup_of, near_dup_cluster FROM datanet_signals ORDER BY record_id').all();

describe('commitImport', () => {
  it('settles exact and near duplicates as record-by-record settling does, across imports and only within a datanet', async () => {
    const root = tempDir();
    const db = openDatabase(path.join(root, 'studio.db'), { create: true });
    try {
      const make = (name: string) => ({ id: createDatanet(db, { name, schema: 'text', domain: '', description: '', licence: '', nearDuplicateThreshold: 0.8 }).id, name });
      const a = make('a');
      const b = make('b');
      const first = Array.from({ length: 40 }, (_, i) => passage(i));
      // Exact copies (case and spacing differ), near copies (one word changed), fresh texts.
      const second = [
        ...first.slice(0, 5).map((t) => `  ${t.toUpperCase()} `),
        ...first.slice(5, 10).map((t) => t.replace('harbour', 'harbor')),
        ...Array.from({ length: 10 }, (_, i) => passage(100 + i)),
        first[3]!,
      ];
      await importTexts(db, root, b, first.slice(0, 10), 'b1');
      await importTexts(db, root, a, first, 'a1');
      // Both ways signalWriter finds the records sharing a bucket with an earlier one: a datanet's
      // first import (its Bloom filter alone), later imports (the filter and a probe per bucket).
      const res = await importTexts(db, root, a, second, 'a2');
      expect(res.imported).toBe(second.length);
      const third = [first[20]!.replace('harbour', 'harbor'), first[21]!, second[12]!.replace('river', 'rivers'), passage(300)];
      expect((await importTexts(db, root, a, third, 'a3')).imported).toBe(third.length);
      const bulk = settled(db);
      expect(bulk.filter((r) => (r as { exact_dup_of: number | null }).exact_dup_of !== null).length).toBeGreaterThanOrEqual(6);
      expect(bulk.filter((r) => (r as { near_dup_cluster: number | null }).near_dup_cluster !== null).length).toBeGreaterThanOrEqual(20);

      // The reference: clear what the imports settled and settle every datanet record by record.
      db.prepare('UPDATE datanet_signals SET exact_dup_of = NULL, near_dup_cluster = NULL').run();
      for (const d of [a, b]) {
        const ids = db.prepare('SELECT record_id, norm_hash FROM datanet_signals WHERE datanet_id = ? ORDER BY record_id').all(d.id) as { record_id: number; norm_hash: string }[];
        const firstOf = new Map<string, number>();
        for (const r of ids) {
          const f = firstOf.get(r.norm_hash);
          if (f === undefined) firstOf.set(r.norm_hash, r.record_id);
          else db.prepare('UPDATE datanet_signals SET exact_dup_of = ? WHERE record_id = ?').run(f, r.record_id);
        }
        settleNearDuplicates(db, d.id, ids[0]!.record_id, 0.8);
      }
      expect(bulk).toEqual(settled(db));
    } finally {
      db.close();
    }
  });
});
