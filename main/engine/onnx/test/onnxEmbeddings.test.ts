import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { makeTmpDir } from '../../test/tmpDir';
import { buildTestModel } from '../../testModels/buildTestModel';
import { loadReferenceModel } from '../../reference/ReferenceModel';
import { referenceForward } from '../../reference/referenceForward';
import { exportOnnx } from '../exportOnnx';
import { embedBatch } from '../onnxEmbeddings';

const tmp = makeTmpDir('onnx-embed');
afterAll(tmp.cleanup);

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe.each(['gpt2', 'llama'] as const)('batch embeddings from the ONNX export (%s)', (family) => {
  it('pools last_hidden_state per sequence, independent of the batch padding, and it is what the logits are made of', async () => {
    const m = buildTestModel(join(tmp.dir, family), { family, seed: 4 });
    const path = join(tmp.dir, `${family}.onnx`);
    exportOnnx(m.dir, path, { dtype: 'F32' });
    const session = await ort.InferenceSession.create(path);
    const seqs = family === 'gpt2' ? [[464, 3290, 318], [50256, 11, 198, 1000, 42], [7]] : [[1, 40, 41], [1, 99, 250, 3, 17], [1]];
    for (const pooling of ['mean', 'last'] as const) {
      const batch = await embedBatch(session, seqs, { pooling });
      expect(batch).toHaveLength(3);
      for (const [i, s] of seqs.entries()) {
        const alone = (await embedBatch(session, [s], { pooling }))[0]!;
        expect(batch[i]!.length).toBe(m.spec.hiddenSize);
        expect(maxDiff(batch[i]!, alone)).toBeLessThan(1e-5);
      }
    }
    // The 'last' embedding is the final norm's output: times the (tied or separate) head it gives
    // the reference's last-position logits.
    const ref = loadReferenceModel(m.dir);
    expect(session.outputNames).toEqual(['logits', 'last_hidden_state']);
    const last = (await embedBatch(session, [seqs[1]!], { pooling: 'last' }))[0]!;
    const out = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(seqs[1]!.map(BigInt)), [1, seqs[1]!.length]) });
    const hidden = out['last_hidden_state']!.data as Float32Array;
    const C = m.spec.hiddenSize;
    expect(maxDiff(last, hidden.subarray((seqs[1]!.length - 1) * C))).toBe(0);
    const logits = out['logits']!.data as Float32Array;
    const refRows = referenceForward(ref, seqs[1]!);
    const V = m.spec.vocabSize;
    const lastRef = refRows[refRows.length - 1]!;
    let d = 0;
    for (let v = 0; v < V; v++) d = Math.max(d, Math.abs(logits[(seqs[1]!.length - 1) * V + v]! - lastRef[v]!));
    expect(d).toBeLessThan(1e-4);
  });
});

describe('embedBatch input checks', () => {
  it('refuses the cached graph, empty sequences and non-ids with messages that say why', async () => {
    const m = buildTestModel(join(tmp.dir, 'checks'), { family: 'gpt2', seed: 2 });
    const plain = join(tmp.dir, 'checks.onnx');
    const cached = join(tmp.dir, 'checks-kv.onnx');
    exportOnnx(m.dir, plain, { dtype: 'F32' });
    exportOnnx(m.dir, cached, { dtype: 'F32', kvCache: true });
    const s = await ort.InferenceSession.create(plain);
    await expect(embedBatch(await ort.InferenceSession.create(cached), [[1, 2]])).rejects.toThrow(/export without --kv-cache/);
    await expect(embedBatch(s, [[1, 2], []])).rejects.toThrow(/sequence 1 is empty/);
    await expect(embedBatch(s, [[1, -3]])).rejects.toThrow(/sequence 0 token 1 is not a token id/);
    expect(await embedBatch(s, [])).toEqual([]);
  });
});
