// The staging file's frames (stagedRecord.ts) give back exactly the records written, whatever
// their size: frames that straddle the reader's 4 MiB chunks, one record larger than a chunk,
// Unicode of every UTF-8 length, and a file cut inside a record is an error, not a short import.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { encodeStagedRecords, forEachStagedRecordIn, forEachStagedRecordSync, type StagedRecord } from '../stagedRecord';

function record(i: number, text: string): StagedRecord {
  const minhash = Buffer.alloc(512);
  for (let k = 0; k < 128; k++) minhash.writeUInt32LE((i * 2654435761 + k * 40503) >>> 0, 4 * k);
  return {
    line: i + 1,
    ...(i % 3 === 0 ? { file: `shard-${i}.jsonl` } : {}),
    sourceId: `id-${i}`,
    contributor: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    contentJson: JSON.stringify({ text }),
    metadataJson: JSON.stringify({ n: i, tag: 'ü' }),
    text,
    contentHash: `0x${i.toString(16).padStart(64, '0')}`,
    signals: {
      normHash: `${i}`.padStart(32, 'a'),
      minhash,
      piiCount: i % 2,
      piiJson: i % 2 ? '[{"kind":"email","start":0,"end":3}]' : '[]',
      length: text.length,
      words: i * 7,
      meanWordLength: i / 7,
      symbolRatio: 0.1 * (i % 5),
      alphaRatio: 1 / 3,
      dupLineRatio: 0,
      topNgramRatio: Math.PI / (i + 1),
      stopWords: i,
      language: i % 2 ? 'en' : 'und',
      flags: i % 4 ? '' : 'short,symbols',
    },
  };
}

describe('staged record frames', () => {
  it('read back every record as written, across chunk boundaries and past the chunk size', () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.staged');
    const texts = ['plain ascii', 'é ß 中文 😀 e\u0301', '', 'x'.repeat(5 << 20), ...Array.from({ length: 3000 }, (_, i) => `record ${i} `.repeat(200 + (i % 50)))];
    const records = texts.map((t, i) => record(i, t));
    fs.writeFileSync(file, Buffer.concat([encodeStagedRecords(records.slice(0, 7)), encodeStagedRecords(records.slice(7))]));
    const back: StagedRecord[] = [];
    forEachStagedRecordSync(file, (r) => back.push(r));
    expect(back.length).toBe(records.length);
    back.forEach((r, i) => expect(r, `record ${i}`).toEqual(records[i]));
  });

  it('refuses a file that ends inside a record', () => {
    const dir = tempDir();
    const file = path.join(dir, 'cut.staged');
    const whole = encodeStagedRecords([record(1, 'one'), record(2, 'two')]);
    fs.writeFileSync(file, whole.subarray(0, whole.length - 5));
    const seen: number[] = [];
    expect(() => forEachStagedRecordSync(file, (r) => seen.push(r.line))).toThrow(/ends inside a record/);
    expect(seen).toEqual([2]);
  });

  it('gives back the records of one batch handed over in memory (to an import commit thread), and refuses a cut batch', () => {
    const records = [record(0, 'short'), record(1, 'ünïcødé 😀 '.repeat(50)), record(2, '')];
    const batch = encodeStagedRecords(records);
    const back: StagedRecord[] = [];
    forEachStagedRecordIn(batch, (r) => back.push(r));
    expect(back).toEqual(records);
    expect(() => forEachStagedRecordIn(batch.subarray(0, batch.length - 1), () => {})).toThrow(/runs past the end of its batch/);
  });
});
