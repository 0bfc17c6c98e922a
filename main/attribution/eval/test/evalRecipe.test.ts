// The evaluation's data recipe: which background records the copy takes, and how the planted
// facts are repeated in the fine-tune's data.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/tempDir';
import { demoBackgroundRecords } from '../demoBackgroundRecords';
import { repeatPlantedFacts } from '../repeatPlantedFacts';
import { sampleBackground } from '../sampleBackground';

const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';

describe('sampleBackground', () => {
  // A datanet in source order: 100 records of Alice's, then 100 of Bob's.
  const records = Array.from({ length: 200 }, (_, i) => ({ sourceId: `r${i}`, contributor: i < 100 ? ALICE : BOB, text: `record ${i}` }));

  it('draws from the whole datanet, not its first records', () => {
    const s = sampleBackground(records, 40, 1);
    expect(s).toHaveLength(40);
    expect(new Set(s.map((r) => r.sourceId)).size).toBe(40);
    // A prefix would be Alice's alone; a uniform draw of 40 of 200 gets both.
    expect(new Set(s.map((r) => r.contributor))).toEqual(new Set([ALICE, BOB]));
    expect(s.some((r) => Number(r.sourceId.slice(1)) >= 100)).toBe(true);
  });

  it('is reproducible from its seed, differs across seeds, and takes all when asked for more', () => {
    expect(sampleBackground(records, 40, 1)).toEqual(sampleBackground(records, 40, 1));
    expect(sampleBackground(records, 40, 2)).not.toEqual(sampleBackground(records, 40, 1));
    expect(new Set(sampleBackground(records, 500, 1).map((r) => r.sourceId))).toEqual(new Set(records.map((r) => r.sourceId)));
  });

  it('the demo background is the state-of-the-union demo datanet\'s passages over many presidents', () => {
    const bg = demoBackgroundRecords(60, 1);
    expect(bg).toHaveLength(60);
    for (const r of bg) expect(r.sourceId).toMatch(/^\d{4}-[a-z_]+-\d{3}$/);
    expect(new Set(bg.map((r) => r.contributor)).size).toBeGreaterThan(5);
  });
});

describe('repeatPlantedFacts', () => {
  it('keeps every training row once and adds each fact repeats - 1 more times', () => {
    const dir = tempDir();
    const base = path.join(dir, 'train.jsonl');
    writeFileSync(base, ['{"text":"a"}', '{"text":"b"}'].join('\n') + '\n');
    const out = repeatPlantedFacts({ trainingData: base, facts: [{ text: 'The x of Y is Z.' }], repeats: 4, out: path.join(dir, 'out.jsonl') });
    const rows = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);
    expect(rows).toEqual(['a', 'b', 'The x of Y is Z.', 'The x of Y is Z.', 'The x of Y is Z.']);
    expect(readFileSync(base, 'utf8')).toBe('{"text":"a"}\n{"text":"b"}\n');
    expect(readFileSync(repeatPlantedFacts({ trainingData: base, facts: [{ text: 'q' }], repeats: 1, out: path.join(dir, 'one.jsonl') }), 'utf8')).toBe(readFileSync(base, 'utf8'));
    expect(() => repeatPlantedFacts({ trainingData: base, facts: [], repeats: 0, out: path.join(dir, 'bad.jsonl') })).toThrow(/at least 1/);
  });
});
