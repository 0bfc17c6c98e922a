// End to end with the native engine: the stored rows are what projectedExampleGrads returns for
// the same tokenized examples, whatever the chunking into engine calls.
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '../../test/tmpDir';
import { maxAbsDiff } from '../../test/maxAbsDiff';
import { buildTestModel } from '../../testModels/buildTestModel';
import { modelSpecWithFiles } from '../../modelSpecWithFiles';
import { Tokenizer } from '../../tokenizer/Tokenizer';
import { loadNativeEngine } from '../../native/index';
import { parseTrainingRecords } from '../../training/readTrainingRecords';
import { tokenizeRecord } from '../../training/tokenizeRecord';
import { makeTrainBatch } from '../../training/makeTrainBatch';
import { computeExampleGradientStore } from '../computeExampleGradientStore';
import { openGradientStore } from '../openGradientStore';

const tmp = makeTmpDir('gradstore-compute');
afterAll(tmp.cleanup);

const DATA = [
  '{"prompt":"Who keeps the data?","response":" The curators keep it."}',
  '',
  '{"text":"Adapters travel between machines in the same layout."}',
  '{"prompt":"What does the heatmap show?","response":" Which records shaped each token."}',
  '{"text":"A short one."}',
  '{"prompt":"Where does training run?","response":" On the local machine."}',
].join('\n');

describe('computeExampleGradientStore', () => {
  it('stores the engine’s projected example gradients, one row per record, ids = line numbers', () => {
    const m = buildTestModel(join(tmp.dir, 'model'), { family: 'llama' });
    const engine = loadNativeEngine();
    const model = new engine.Model(modelSpecWithFiles(m.dir));
    model.addLora({ targets: ['q_proj', 'v_proj', 'down_proj'], rank: 2, alpha: 4, seed: 3 });
    // B starts at zero in a fresh adapter; give it values so every factor has a gradient.
    let s = 7;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 0.2;
    model.setLoraTensors(Object.fromEntries(Object.entries(model.getLoraTensors()).map(([n, t]) => [n, Float32Array.from(t.data, rand)])));
    const tok = Tokenizer.fromModelDir(m.dir);
    const data = join(tmp.dir, 'data.jsonl');
    writeFileSync(data, DATA);
    const o = { dim: 64, seed: 11, seq: 16, eosId: 2, padId: 2, fingerprint: 'cd'.repeat(32) };

    const r = computeExampleGradientStore(model, tok, { ...o, data, outDir: join(tmp.dir, 'out'), batch: 2 });
    expect([r.rows, r.k]).toEqual([5, 64]);
    const store = openGradientStore(r.path);
    expect(store.ids).toEqual(['1', '3', '4', '5', '6']);
    expect([store.seed, store.fingerprint]).toEqual([11n, o.fingerprint]);

    const rows = parseTrainingRecords(DATA).map((x) => tokenizeRecord(tok, x, o.eosId));
    const expected = model.projectedExampleGrads({ ...makeTrainBatch(rows, o.seq, o.padId), dim: o.dim, seed: o.seed });
    let norm = 0;
    for (let i = 0; i < r.rows; i++) {
      const want = expected.subarray(i * o.dim, (i + 1) * o.dim);
      // Same examples in a batch of 2 vs 5: per-example results agree to f32 rounding.
      expect(maxAbsDiff([store.row(i)], [want])).toBeLessThan(1e-6);
      norm += want.reduce((a, x) => a + x * x, 0);
    }
    expect(norm).toBeGreaterThan(0);

    const f16 = computeExampleGradientStore(model, tok, { ...o, data, outDir: join(tmp.dir, 'out'), fileName: 'h.sgrd', dtype: 'f16' });
    const h = openGradientStore(f16.path);
    for (let i = 0; i < r.rows; i++) {
      const want = store.row(i);
      // f16 keeps 11 significant bits: relative error <= 2^-11 (values here are far from subnormal).
      const scale = want.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
      expect(maxAbsDiff([h.row(i)], [want])).toBeLessThanOrEqual(scale * 2 ** -11 + 2 ** -25);
    }
  });
});
