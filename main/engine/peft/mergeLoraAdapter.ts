// Folds an adapter into base weights: W' = W + scaling * (B A). nn.Linear weights are [out, in]
// and take B A ([out, r] x [r, in]) directly; GPT-2's Conv1D weights are [in, out] and take its
// transpose (PEFT's fan_in_fan_out). The input map is not modified.
import type { Tensor } from '../tensor';
import { loraScaling, type LoraAdapter } from './LoraAdapter';

export function mergeLoraAdapter(weights: ReadonlyMap<string, Tensor>, adapter: LoraAdapter): Map<string, Tensor> {
  const out = new Map(weights);
  const s = loraScaling(adapter.config);
  for (const [module, { A, B }] of adapter.modules) {
    const name = `${module}.weight`;
    const W = weights.get(name);
    if (!W) throw new Error(`merge: base weights lack "${name}" targeted by the adapter`);
    const [r, inp] = A.shape as [number, number];
    const out_ = B.shape[0]!;
    const conv = adapter.config.fanInFanOut;
    const expect = conv ? [inp, out_] : [out_, inp];
    if (W.shape[0] !== expect[0] || W.shape[1] !== expect[1]) {
      throw new Error(`merge: "${name}" is ${JSON.stringify(W.shape)} but the adapter needs ${JSON.stringify(expect)}${conv ? ' (fan_in_fan_out)' : ''}`);
    }
    const merged = Float32Array.from(W.data);
    for (let o = 0; o < out_; o++) {
      for (let i = 0; i < inp; i++) {
        let d = 0;
        for (let k = 0; k < r; k++) d += B.data[o * r + k]! * A.data[k * inp + i]!;
        merged[conv ? i * out_ + o : o * inp + i]! += s * d;
      }
    }
    out.set(name, { shape: [...W.shape], data: merged });
  }
  return out;
}
