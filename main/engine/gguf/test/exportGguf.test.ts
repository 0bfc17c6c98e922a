import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeTmpDir } from '../../test/tmpDir';
import { buildTestModel } from '../../testModels/buildTestModel';
import type { TestModelFamily } from '../../testModels/testModelSpecs';
import { exportGguf } from '../exportGguf';
import { loadReferenceModel } from '../../reference/ReferenceModel';
import { referenceForward } from '../../reference/referenceForward';
import { logSoftmax } from '../../sampling/sampleToken';
import { createLoraAdapter } from '../../peft/createLoraAdapter';
import type { LoraAdapter } from '../../peft/LoraAdapter';
import { llamaCppLogprobs } from './llamaCpp';

// The independent check of the reference forward pass: llama.cpp (node-llama-cpp 3.21.1, CPU,
// f32 KV cache) loads our GGUF export and its next-token log-probabilities are compared with
// the reference's over llama.cpp's 10 most likely tokens at every position.
// Tolerances (absolute, natural-log units), as measured with margin:
//   Llama family, f32 weights: 1e-4  (observed ~1e-5: float32 vs float64 accumulation)
//   GPT-2, f32 weights:        5e-3  (observed ~2e-3: ggml's GELU uses an f16 lookup table)
//   f16 weights:               2e-2  (observed ~5e-3: weights rounded to f16, compared with f32)
const tolerance = (family: TestModelFamily, dtype: 'F32' | 'F16') => (dtype === 'F16' ? 2e-2 : family === 'gpt2' ? 5e-3 : 1e-4);

const tmp = makeTmpDir('gguf');
afterAll(tmp.cleanup);

const LLAMA_IDS = [1, 45, 300, 17, 99, 200, 3, 500, 77, 12, 401, 256, 33, 150, 8, 62, 71, 63, 70];
const GPT2_IDS = [15496, 995, 11, 314, 716, 257, 1332, 13, 198, 464];

const cases: [TestModelFamily, 'F32' | 'F16', boolean][] = [
  ['gpt2', 'F32', false],
  ['llama', 'F32', false],
  ['qwen2', 'F32', false],
  ['smollm', 'F32', false],
  ['gpt2', 'F16', false],
  ['llama', 'F16', false],
  ['gpt2', 'F32', true],
  ['llama', 'F32', true],
];

describe.each(cases)('GGUF export of %s (%s, adapter merged: %s) run by llama.cpp', (family, dtype, withAdapter) => {
  it('matches the TypeScript reference', async () => {
    const m = buildTestModel(join(tmp.dir, `${family}-${dtype}-${withAdapter}`), { family, dtype: 'F32', seed: 99 });
    const targets = family === 'gpt2' ? ['c_attn', 'c_proj', 'c_fc'] : ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];
    const adapter: LoraAdapter | undefined = withAdapter ? createLoraAdapter(m.spec, { r: 4, alpha: 8, targets, seed: 5, randomB: true }) : undefined;
    const path = join(tmp.dir, `${family}-${dtype}-${withAdapter}.gguf`);
    exportGguf(m.dir, path, { dtype, adapter });
    const ids = family === 'gpt2' ? GPT2_IDS : LLAMA_IDS;
    const ours = referenceForward(loadReferenceModel(m.dir), ids, { lora: adapter }).map(logSoftmax);
    const theirs = await llamaCppLogprobs(path, ids, m.spec.maxPositions);
    let worst = 0;
    ours.forEach((lp, t) => {
      const top = [...theirs[t]!].slice(0, 10);
      for (const [id, l] of top) worst = Math.max(worst, Math.abs(l - lp[id]!));
      // The most likely token agrees unless the reference's top two are within the tolerance.
      const sorted = [...lp].sort((a, b) => b - a);
      if (sorted[0]! - sorted[1]! > 2 * tolerance(family, dtype)) expect(lp[top[0]![0]]).toBe(sorted[0]);
    });
    expect(worst).toBeLessThan(tolerance(family, dtype));
  });
});
