// The tool's scorers wired to real parts: a tiny model, a LoRA trained by the engine, the record
// gradient store, the native span index and attributeResponse. Fed the planted answer itself
// (a model that memorised perfectly), the exact-span scorer must find the one record holding a
// verbatim answer, and every scorer must return rankings of the copy's own records and contributors.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/tempDir';
import { buildTestModel } from '../../../engine/testModels/buildTestModel';
import { attributionScorers } from '../attributionScorers';
import { buildEvalGradientStore } from '../evalGradientStore';
import { plantFacts } from '../plantFacts';
import { rankOf } from '../retrievalMetrics';
import { trainEvalAdapter } from '../trainEvalAdapter';

const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';

describe('attributionScorers', { timeout: 120_000 }, () => {
  it('ranks the planted record first for its verbatim answer by exact spans', async () => {
    const dir = tempDir();
    const model = buildTestModel(path.join(dir, 'model'), { family: 'llama', seed: 3 }).dir;
    const background = Array.from({ length: 8 }, (_, i) => ({ sourceId: `bg-${i}`, contributor: i % 2 ? ALICE : BOB, text: `The harbour town rebuilt its mill after the storm of year ${1900 + i}.` }));
    const planted = plantFacts({ seed: 2, verbatim: 3, paraphrased: 2, contributors: [ALICE, BOB], takenWords: new Set(['the', 'harbour']), takenIds: new Set() });
    const records = [...background, ...planted.records];
    const data = path.join(dir, 'data.jsonl');
    writeFileSync(data, records.map((r) => JSON.stringify({ text: r.text })).join('\n') + '\n');
    const adapterDir = path.join(dir, 'adapter');
    await trainEvalAdapter({ modelDir: model, data, out: adapterDir, runDir: path.join(dir, 'run'), training: { steps: 2, batch: 4, seq: 48, rank: 4, alpha: 8, lr: 1e-3 }, seed: 1 });
    const gradients = buildEvalGradientStore({ modelDir: model, adapterDir, records, seq: 48, seed: 1, outDir: dir });
    expect(gradients.store.rows).toBe(records.length);
    const scorers = attributionScorers({ records, gradients, datanet: { name: 'eval-copy', version: 1, root: `0x${'ab'.repeat(32)}` }, model, workDir: dir });
    expect(scorers.map((s) => s.name)).toEqual(['tool', 'spans', 'gradient']);
    const ids = new Set(records.map((r) => r.sourceId));
    for (const fact of planted.facts.filter((f) => f.set === 'verbatim')) {
      const spans = await scorers[1]!.scorer(fact.prompt, fact.answer);
      expect(rankOf(spans.records, fact.sourceId)).toBe(1);
      expect(rankOf(spans.contributors, fact.contributor)).toBe(1);
      for (const s of scorers) {
        const r = await s.scorer(fact.prompt, fact.answer);
        for (const rec of r.records) expect(ids.has(rec.id)).toBe(true);
        for (const c of r.contributors) expect([ALICE, BOB]).toContain(c.id);
      }
    }
  });
});
