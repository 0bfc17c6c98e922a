// The building blocks of the reference forward pass, written plainly with Float64
// accumulation. Each follows transformers' definition named in its comment.
import type { Tensor } from '../tensor';
import type { LoraPair } from '../peft/LoraAdapter';
import type { RopeScalingLlama3 } from '../modelConfig';

/** nn.Linear: y[o] = sum_i W[o, i] x[i] + b[o]; W is [out, in]. */
export function linear(x: Float64Array, W: Tensor, b?: Tensor): Float64Array {
  const [out, inp] = W.shape as [number, number];
  if (x.length !== inp) throw new Error(`linear: input width ${x.length} != weight in ${inp}`);
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let s = 0;
    const row = o * inp;
    for (let i = 0; i < inp; i++) s += W.data[row + i]! * x[i]!;
    y[o] = s + (b ? b.data[o]! : 0);
  }
  return y;
}

/** GPT-2's Conv1D: y[o] = sum_i x[i] W[i, o] + b[o]; W is stored [in, out]. */
export function conv1d(x: Float64Array, W: Tensor, b?: Tensor): Float64Array {
  const [inp, out] = W.shape as [number, number];
  if (x.length !== inp) throw new Error(`conv1d: input width ${x.length} != weight in ${inp}`);
  const y = new Float64Array(out);
  if (b) for (let o = 0; o < out; o++) y[o] = b.data[o]!;
  for (let i = 0; i < inp; i++) {
    const xi = x[i]!;
    const row = i * out;
    for (let o = 0; o < out; o++) y[o]! += xi * W.data[row + o]!;
  }
  return y;
}

/** Adds scaling * B (A x) to y in place (A: [r, in], B: [out, r]). */
export function addLora(y: Float64Array, x: Float64Array, lora: LoraPair, scaling: number): void {
  const t = linear(x, lora.A);
  const d = linear(t, lora.B);
  for (let o = 0; o < y.length; o++) y[o]! += scaling * d[o]!;
}

/** nn.LayerNorm over the last dimension: biased variance, eps inside the square root. */
export function layerNorm(x: Float64Array, w: Tensor, b: Tensor, eps: number): Float64Array {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i]! - mean) ** 2;
  v /= n;
  const inv = 1 / Math.sqrt(v + eps);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = (x[i]! - mean) * inv * w.data[i]! + b.data[i]!;
  return y;
}

/** LlamaRMSNorm: weight * x / sqrt(mean(x^2) + eps). */
export function rmsNorm(x: Float64Array, w: Tensor, eps: number): Float64Array {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += x[i]! * x[i]!;
  const inv = 1 / Math.sqrt(ss / x.length + eps);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = w.data[i]! * (x[i]! * inv);
  return y;
}

/** GPT-2's gelu_new (the tanh approximation): 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
export function geluNew(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}

/** SiLU: x * sigmoid(x). */
export function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}

/**
 * RoPE inverse frequencies, [headDim / 2]: theta^(-2i/d), then transformers'
 * _compute_llama3_parameters when scaled: wavelengths longer than original/low_freq_factor are
 * divided by `factor`, shorter than original/high_freq_factor kept, and the band between
 * interpolated with smooth = (original/wavelen - low) / (high - low).
 */
export function ropeInvFreq(headDim: number, theta: number, scaling: RopeScalingLlama3 | null): Float64Array {
  const half = headDim / 2;
  const f = new Float64Array(half);
  for (let i = 0; i < half; i++) f[i] = 1 / theta ** ((2 * i) / headDim);
  if (!scaling) return f;
  const { factor, lowFreqFactor, highFreqFactor, originalMaxPositions: old } = scaling;
  const lowFreqWavelen = old / lowFreqFactor;
  const highFreqWavelen = old / highFreqFactor;
  for (let i = 0; i < half; i++) {
    const inv = f[i]!;
    const wavelen = (2 * Math.PI) / inv;
    if (wavelen > lowFreqWavelen) f[i] = inv / factor;
    else if (wavelen >= highFreqWavelen) {
      const smooth = (old / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
      f[i] = ((1 - smooth) * inv) / factor + smooth * inv;
    }
  }
  return f;
}

/**
 * Rotates one head vector in place, the rotate_half layout transformers' Llama uses: dimension i
 * pairs with i + d/2 (HF checkpoints' q/k rows are permuted to make this equal Meta's
 * interleaved pairs). out[i] = x[i] cos - x[i+h] sin; out[i+h] = x[i+h] cos + x[i] sin.
 */
export function applyRope(x: Float64Array, offset: number, headDim: number, pos: number, invFreq: Float64Array): void {
  const half = headDim / 2;
  for (let i = 0; i < half; i++) {
    const a = pos * invFreq[i]!;
    const c = Math.cos(a);
    const s = Math.sin(a);
    const x1 = x[offset + i]!;
    const x2 = x[offset + i + half]!;
    x[offset + i] = x1 * c - x2 * s;
    x[offset + i + half] = x2 * c + x1 * s;
  }
}

/** Numerically stable softmax in place. */
export function softmaxInPlace(x: Float64Array): void {
  let m = -Infinity;
  for (const v of x) m = Math.max(m, v);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    x[i] = Math.exp(x[i]! - m);
    s += x[i]!;
  }
  for (let i = 0; i < x.length; i++) x[i]! /= s;
}
