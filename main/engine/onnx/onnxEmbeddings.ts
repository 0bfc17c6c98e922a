// Batch embeddings from the uncached ONNX export (exportOnnx without kvCache) on the CPU: one
// vector per token sequence, pooled from the graph's last_hidden_state (the final norm's output).
// Sequences of different lengths are right-padded: attention is causal, so padding after a
// sequence never changes its real positions, and pooling reads only those.
import * as ort from 'onnxruntime-node';

export type Pooling = 'mean' | 'last';

export interface EmbedOptions {
  /** 'mean' over the sequence's tokens (default) or its 'last' token (what a causal LM has read in full). */
  pooling?: Pooling;
  /** The token right padding uses (any valid id: padded positions are never read). Default 0. */
  padTokenId?: number;
  /** Further feeds, e.g. LoRA factors of a graph exported with loraInputs. */
  extraInputs?: Record<string, ort.Tensor>;
}

export async function embedBatch(session: ort.InferenceSession, sequences: readonly (readonly number[])[], opts: EmbedOptions = {}): Promise<Float32Array[]> {
  if (!session.outputNames.includes('last_hidden_state'))
    throw new Error('embedBatch: the ONNX model has no last_hidden_state output (export it again with this version)');
  if (session.inputNames.includes('attention_mask'))
    throw new Error('embedBatch: this is the cached decoder graph; export without --kv-cache for embeddings');
  if (sequences.length === 0) return [];
  sequences.forEach((s, i) => {
    if (s.length === 0) throw new Error(`embedBatch: sequence ${i} is empty`);
    s.forEach((t, j) => {
      if (!Number.isInteger(t) || t < 0) throw new Error(`embedBatch: sequence ${i} token ${j} is not a token id (${t})`);
    });
  });
  const pooling = opts.pooling ?? 'mean';
  const B = sequences.length;
  const T = Math.max(...sequences.map((s) => s.length));
  const ids = new BigInt64Array(B * T).fill(BigInt(opts.padTokenId ?? 0));
  sequences.forEach((s, b) => s.forEach((t, j) => (ids[b * T + j] = BigInt(t))));
  const out = await session.run({ ...opts.extraInputs, input_ids: new ort.Tensor('int64', ids, [B, T]) }, ['last_hidden_state']);
  const hidden = out['last_hidden_state']!;
  const C = hidden.dims[2]!;
  const data = hidden.data as Float32Array;
  return sequences.map((s, b) => {
    const v = new Float32Array(C);
    if (pooling === 'last') {
      v.set(data.subarray((b * T + s.length - 1) * C, (b * T + s.length) * C));
      return v;
    }
    // Sum in f64, one rounding at the end: the mean does not depend on the batch's padding.
    const acc = new Float64Array(C);
    for (let t = 0; t < s.length; t++) {
      const row = data.subarray((b * T + t) * C, (b * T + t + 1) * C);
      for (let c = 0; c < C; c++) acc[c]! += row[c]!;
    }
    for (let c = 0; c < C; c++) v[c] = acc[c]! / s.length;
    return v;
  });
}
