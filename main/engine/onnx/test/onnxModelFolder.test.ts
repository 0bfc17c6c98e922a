import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import { makeTmpDir } from '../../test/tmpDir';
import { maxAbsDiff } from '../../test/maxAbsDiff';
import { buildTestModel } from '../../testModels/buildTestModel';
import type { TestModelFamily } from '../../testModels/testModelSpecs';
import { loadReferenceModel } from '../../reference/ReferenceModel';
import { referenceForward } from '../../reference/referenceForward';
import { Tokenizer } from '../../tokenizer/Tokenizer';
import { exportOnnx } from '../exportOnnx';

const tmp = makeTmpDir('onnx-folder');
afterAll(tmp.cleanup);

// Folder exports (any --out not ending in .onnx) in the layout transformers.js loads, and the
// external-data layout large models need, checked by the consumers themselves: onnxruntime for
// external data, transformers.js (its own loader, config handling, KV-cache loop and greedy
// search) for the folder. transformers.js runs the graph in float32 against the Float64
// reference: greedy ids must agree and logits within the 1e-4 the export is held to.
const PROMPT = 'hello world, the quick brown fox';

function logitsAt(data: Float32Array, V: number, rows: number): Float32Array[] {
  return Array.from({ length: rows }, (_, t) => data.subarray(t * V, (t + 1) * V));
}

function referenceGreedy(dir: string, prompt: number[], n: number): number[] {
  const ref = loadReferenceModel(dir);
  const seq = [...prompt];
  for (let i = 0; i < n; i++) {
    const last = referenceForward(ref, seq).at(-1)!;
    let best = 0;
    for (let v = 1; v < last.length; v++) if (last[v]! > last[best]!) best = v;
    seq.push(best);
  }
  return seq.slice(prompt.length);
}

describe('ONNX external data', () => {
  it('keeps large initializers in model.onnx_data, 4 KiB-aligned, with the same logits', async () => {
    const m = buildTestModel(join(tmp.dir, 'ext-src'), { family: 'llama', seed: 5 });
    const inline = join(tmp.dir, 'inline.onnx');
    const external = join(tmp.dir, 'external.onnx');
    expect(exportOnnx(m.dir, inline, { dtype: 'F32' }).externalData).toBe(false);
    expect(exportOnnx(m.dir, external, { dtype: 'F32', externalData: true }).externalData).toBe(true);
    expect(existsSync(`${inline}_data`)).toBe(false);
    const dataBytes = statSync(`${external}_data`).size;
    // Nearly all the bytes moved out; the graph file keeps only small tensors and the topology.
    expect(statSync(external).size).toBeLessThan(statSync(inline).size / 10);
    expect(dataBytes).toBeGreaterThan(statSync(inline).size * 0.9);
    const ids = [1, 40, 41, 300, 7];
    const run = async (p: string) => {
      const s = await ort.InferenceSession.create(p);
      const out = (await s.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) }))['logits']!.data as Float32Array;
      await s.release();
      return out;
    };
    const a = await run(inline);
    const b = await run(external);
    expect(Buffer.from(b.buffer, b.byteOffset, b.byteLength).equals(Buffer.from(a.buffer, a.byteOffset, a.byteLength))).toBe(true);
    // Re-exporting without external data removes the stale data file instead of leaving it beside.
    exportOnnx(m.dir, external, { dtype: 'F32', externalData: false });
    expect(existsSync(`${external}_data`)).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('fails with a clear error and leaves no files when the data cannot be written', () => {
    const m = buildTestModel(join(tmp.dir, 'ext-fail'), { family: 'gpt2', seed: 5, overrides: { numLayers: 1 } });
    const blocker = join(tmp.dir, 'blocker');
    writeFileSync(blocker, 'a file where a folder is expected');
    expect(() => exportOnnx(m.dir, join(blocker, 'model.onnx'), { dtype: 'F32', externalData: true })).toThrow(/ENOTDIR|not a directory/);
  });
});

describe.each([
  ['gpt2', false],
  ['llama', true],
  ['qwen2', false],
  ['smollm', false],
] as [TestModelFamily, boolean][])('ONNX model folder of %s (external data %s) loaded by transformers.js', (family, externalData) => {
  it('has the files transformers.js reads and generates what the reference generates', async () => {
    const m = buildTestModel(join(tmp.dir, `${family}-src`), { family, seed: 5 });
    const out = join(tmp.dir, 'folders', family);
    const written = exportOnnx(m.dir, out, { dtype: 'F32', kvCache: true, externalData });
    expect(written.modelPath).toBe(join(out, 'onnx', 'model.onnx'));
    const files = readdirSync(out).sort();
    expect(files).toEqual(expect.arrayContaining(['config.json', 'generation_config.json', 'onnx', 'tokenizer.json', 'tokenizer_config.json']));
    expect(readdirSync(join(out, 'onnx')).sort()).toEqual(externalData ? ['model.onnx', 'model.onnx_data'] : ['model.onnx']);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config['transformers.js_config']).toEqual(externalData ? { use_external_data_format: true } : undefined);

    env.allowRemoteModels = false;
    env.localModelPath = join(tmp.dir, 'folders') + '/';
    const tokenizer = await AutoTokenizer.from_pretrained(family);
    const model = await AutoModelForCausalLM.from_pretrained(family, { dtype: 'fp32' });
    try {
      const inputs = tokenizer(PROMPT);
      const promptIds = Array.from(inputs.input_ids.data as BigInt64Array, Number);
      // The same ids our tokenizer gives (both read the exported tokenizer.json).
      expect(promptIds).toEqual(Tokenizer.fromModelDir(out).encode(PROMPT));
      const forward = await model(inputs);
      const V = m.spec.vocabSize;
      const ref = referenceForward(loadReferenceModel(m.dir), promptIds);
      expect(maxAbsDiff(logitsAt(forward.logits.data as Float32Array, V, promptIds.length), ref)).toBeLessThan(1e-4);
      // Without return_dict_in_generate, generate() resolves to the id tensor [1, prompt + new].
      const generated = (await model.generate({ ...inputs, max_new_tokens: 8, do_sample: false })) as { data: BigInt64Array };
      const ids = Array.from(generated.data, Number).slice(promptIds.length);
      expect(ids).toEqual(referenceGreedy(m.dir, promptIds, 8));
    } finally {
      await model.dispose();
    }
  });
});
