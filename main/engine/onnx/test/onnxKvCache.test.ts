import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { makeTmpDir } from '../../test/tmpDir';
import { maxAbsDiff } from '../../test/maxAbsDiff';
import { buildTestModel } from '../../testModels/buildTestModel';
import { loadReferenceModel } from '../../reference/ReferenceModel';
import { referenceForward } from '../../reference/referenceForward';
import { createLoraAdapter } from '../../peft/createLoraAdapter';
import { loraScaling } from '../../peft/LoraAdapter';
import type { LoraAdapter } from '../../peft/LoraAdapter';
import { exportOnnx } from '../exportOnnx';
import { OnnxDecoder } from '../OnnxDecoder';

const tmp = makeTmpDir('onnx-kv');
afterAll(tmp.cleanup);

// The cached graph (exportOnnx kvCache: true) through OnnxDecoder against the uncached graph and
// the Float64 reference, within the 1e-4 the uncached export is held to.
const TOL = 1e-4;
const prompts = {
  gpt2: [[464, 3290, 318, 257, 1332], [50256, 11], [198, 1000, 42]],
  llama: [[1, 40, 41, 300, 7], [1, 99], [1, 250, 3, 17]],
};
const continuation = { gpt2: [262, 11, 290], llama: [12, 200, 5] };

function loraFeeds(adapter: LoraAdapter): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, { A, B }] of adapter.modules) {
    feeds[`${name}.lora_A`] = new ort.Tensor('float32', A.data, A.shape);
    feeds[`${name}.lora_B`] = new ort.Tensor('float32', B.data, B.shape);
  }
  feeds['lora_scaling'] = new ort.Tensor('float32', Float32Array.of(loraScaling(adapter.config)), [1]);
  return feeds;
}

describe.each(['gpt2', 'llama'] as const)('ONNX export with a KV cache (%s)', (family) => {
  const m = buildTestModel(join(tmp.dir, family), { family, seed: 5 });
  const cachedPath = join(tmp.dir, `${family}-kv.onnx`);
  exportOnnx(m.dir, cachedPath, { dtype: 'F32', kvCache: true });
  const ref = loadReferenceModel(m.dir);

  it('has the Optimum / transformers.js decoder inputs and outputs', async () => {
    const s = await ort.InferenceSession.create(cachedPath);
    const L = m.spec.numLayers;
    const kv = (prefix: string) => Array.from({ length: L }, (_, l) => [`${prefix}.${l}.key`, `${prefix}.${l}.value`]).flat();
    expect(s.inputNames).toEqual(['input_ids', 'attention_mask', 'position_ids', ...kv('past_key_values')]);
    expect(s.outputNames).toEqual(['logits', ...kv('present'), 'last_hidden_state']);
    await s.release();
  });

  it('with an empty past equals the uncached graph', async () => {
    const plainPath = join(tmp.dir, `${family}-plain.onnx`);
    exportOnnx(m.dir, plainPath, { dtype: 'F32' });
    const plain = await ort.InferenceSession.create(plainPath);
    const ids = prompts[family][0]!;
    const plainLogits = (await plain.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) }))['logits']!.data as Float32Array;
    await plain.release();
    const dec = await OnnxDecoder.create(cachedPath);
    const rows = (await dec.forward({ inputIds: [ids], attentionMask: [ids.map(() => 1)], positionIds: [ids.map((_, t) => t)] }))[0]!;
    const V = m.spec.vocabSize;
    expect(maxAbsDiff(rows, ids.map((_, t) => plainLogits.subarray(t * V, (t + 1) * V)))).toBeLessThan(1e-5);
    expect(dec.pastLength).toBe(ids.length);
    await dec.release();
  });

  it('prefill + single-token steps equal the reference at every position', async () => {
    const dec = await OnnxDecoder.create(cachedPath);
    const prompt = prompts[family][0]!;
    const full = [...prompt, ...continuation[family]];
    const want = referenceForward(ref, full);
    const got = [(await dec.prefill([prompt]))[0]!];
    for (const t of continuation[family]) got.push((await dec.step([t]))[0]!);
    expect(dec.pastLength).toBe(full.length);
    expect(maxAbsDiff(got, want.slice(prompt.length - 1))).toBeLessThan(TOL);
    await dec.release();
  });

  it('a left-padded batch gives each row the logits of its prompt alone', async () => {
    const dec = await OnnxDecoder.create(cachedPath, { padTokenId: 3 });
    const ps = prompts[family];
    const steps = continuation[family];
    const got: Float32Array[][] = ps.map(() => []);
    (await dec.prefill(ps)).forEach((r, b) => got[b]!.push(r));
    for (const t of steps) (await dec.step(ps.map(() => t))).forEach((r, b) => got[b]!.push(r));
    const alone = await OnnxDecoder.create(cachedPath);
    for (const [b, p] of ps.entries()) {
      const solo = [(await alone.prefill([p]))[0]!];
      for (const t of steps) solo.push((await alone.step([t]))[0]!);
      for (const r of got[b]!) expect(r.every(Number.isFinite)).toBe(true);
      expect(maxAbsDiff(got[b]!, solo)).toBeLessThan(1e-5);
      expect(maxAbsDiff(got[b]!, referenceForward(ref, [...p, ...steps]).slice(p.length - 1))).toBeLessThan(TOL);
    }
    await Promise.all([dec.release(), alone.release()]);
  });

  it('padding queries stay finite', async () => {
    const dec = await OnnxDecoder.create(cachedPath);
    const short = prompts[family][1]!;
    const long = prompts[family][0]!;
    const pad = long.length - short.length;
    const rows = await dec.forward({
      inputIds: [[...Array<number>(pad).fill(0), ...short], long],
      attentionMask: [[...Array<number>(pad).fill(0), ...short.map(() => 1)], long.map(() => 1)],
      positionIds: [OnnxDecoder.positionsFromMask([...Array<number>(pad).fill(0), ...short.map(() => 1)]), long.map((_, t) => t)],
    });
    for (const r of rows.flat()) expect(r.every(Number.isFinite)).toBe(true);
    await dec.release();
  });

  it('works with LoRA factors as graph inputs', async () => {
    const targets = family === 'gpt2' ? ['c_attn', 'c_proj'] : ['q_proj', 'v_proj', 'gate_proj'];
    const path = join(tmp.dir, `${family}-kv-lora.onnx`);
    exportOnnx(m.dir, path, { dtype: 'F32', kvCache: true, loraInputs: { r: 4, targets } });
    const adapter = createLoraAdapter(m.spec, { r: 4, alpha: 16, targets, seed: 2, randomB: true });
    const dec = await OnnxDecoder.create(path, { extraInputs: loraFeeds(adapter) });
    const ps = prompts[family].slice(0, 2);
    const steps = continuation[family].slice(0, 2);
    const got: Float32Array[][] = ps.map(() => []);
    (await dec.prefill(ps)).forEach((r, b) => got[b]!.push(r));
    for (const t of steps) (await dec.step(ps.map(() => t))).forEach((r, b) => got[b]!.push(r));
    for (const [b, p] of ps.entries()) expect(maxAbsDiff(got[b]!, referenceForward(ref, [...p, ...steps], { lora: adapter }).slice(p.length - 1))).toBeLessThan(TOL);
    await dec.release();
  });
});

describe('OnnxDecoder input checks', () => {
  it('names bad inputs before running, and refuses an uncached export', async () => {
    const m = buildTestModel(join(tmp.dir, 'checks'), { family: 'llama', seed: 1 });
    const path = join(tmp.dir, 'checks-kv.onnx');
    exportOnnx(m.dir, path, { dtype: 'F32', kvCache: true });
    const dec = await OnnxDecoder.create(path);
    expect(dec.numLayers).toBe(m.spec.numLayers);
    expect([dec.numKvHeads, dec.headDim, dec.vocabSize]).toEqual([m.spec.numKvHeads, m.spec.headDim, m.spec.vocabSize]);
    await expect(dec.step([1])).rejects.toThrow(/call prefill first/);
    await expect(dec.forward({ inputIds: [[1, 2]], attentionMask: [[1, 1, 1]], positionIds: [[0, 1]] })).rejects.toThrow(/attention_mask row 0 has length 3, expected past \+ seq = 0 \+ 2 = 2/);
    await dec.prefill([[1, 2, 3], [1, 4]]);
    await expect(dec.forward({ inputIds: [[5], [6]], attentionMask: [[1, 1, 1, 1], [0, 1, 1]], positionIds: [[3], [2]] })).rejects.toThrow(/attention_mask row 1 has length 3, expected past \+ seq = 3 \+ 1 = 4/);
    await expect(dec.step([5])).rejects.toThrow(/1 tokens for a batch of 2 rows/);
    await expect(dec.step([5, 600])).rejects.toThrow(/token id 600 outside the vocabulary \[0, 512\)/);
    await expect(dec.forward({ inputIds: [[5], [6]], attentionMask: [[1, 1, 1, 2], [0, 1, 1, 1]], positionIds: [[3], [2]] })).rejects.toThrow(/attention_mask row 0 holds 2/);
    await expect(dec.prefill([[1], []])).rejects.toThrow(/prompt 1 is empty/);
    // The failed calls left the cache as it was: a valid step still runs.
    expect(dec.pastLength).toBe(3);
    expect((await dec.step([5, 6])).length).toBe(2);
    await dec.release();

    const plain = join(tmp.dir, 'checks-plain.onnx');
    exportOnnx(m.dir, plain, { dtype: 'F32' });
    await expect(OnnxDecoder.create(plain)).rejects.toThrow(/not a KV-cache export.*--kv-cache/);
  });
});

describe('OnnxDecoder.positionsFromMask', () => {
  it('is cumsum(mask) - 1 clamped at 0, as transformers computes it for left padding', () => {
    expect(OnnxDecoder.positionsFromMask([0, 0, 1, 1, 1])).toEqual([0, 0, 0, 1, 2]);
    expect(OnnxDecoder.positionsFromMask([1, 1])).toEqual([0, 1]);
  });
});
