import { maxAbsDiff as maxDiff } from './maxAbsDiff';
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeTmpDir } from './tmpDir';
import { buildTestModel } from '../testModels/buildTestModel';
import { exportHfModel } from '../exportHfModel';
import { inspectModel } from '../inspectModel';
import { createLoraAdapter } from '../peft/createLoraAdapter';
import { loadReferenceModel } from '../reference/ReferenceModel';
import { referenceForward } from '../reference/referenceForward';

const tmp = makeTmpDir('export-hf');
afterAll(tmp.cleanup);


describe.each(['gpt2', 'smollm'] as const)('exportHfModel (%s)', (family) => {
  const m = buildTestModel(join(tmp.dir, family), { family });
  const targets = family === 'gpt2' ? ['c_attn'] : ['q_proj', 'v_proj', 'down_proj'];
  const adapter = createLoraAdapter(m.spec, { r: 4, alpha: 16, targets, seed: 2, randomB: true });
  const ids = family === 'gpt2' ? [464, 3290, 318, 257] : [1, 40, 41, 300, 7];
  const withLora = referenceForward(loadReferenceModel(m.dir), ids, { lora: adapter });

  it('merged f32 export computes what base + adapter computes', () => {
    const out = join(tmp.dir, `${family}-merged`);
    exportHfModel(m.dir, out, { dtype: 'F32', adapter });
    expect(maxDiff(referenceForward(loadReferenceModel(out), ids), withLora)).toBeLessThan(1e-4);
  });
  it('bf16 export is a bf16 folder close to the f32 model', () => {
    const out = join(tmp.dir, `${family}-bf16`);
    exportHfModel(m.dir, out, { dtype: 'BF16', adapter });
    const info = inspectModel(out);
    expect(info.dtype).toBe('BF16');
    expect(info.tokenizer).not.toBeNull();
    // bf16 keeps 8 mantissa bits: logits move by a few hundredths on these tiny models.
    expect(maxDiff(referenceForward(loadReferenceModel(out), ids), withLora)).toBeLessThan(0.25);
  });
});
