// A slow, obvious f64 reference of the two architectures (forward logits and masked
// cross-entropy), written straight from the model definitions, for checking the native engine:
// its logits, and its LoRA gradients by central finite differences in f64.
import type { SpecNoFiles, TensorIn } from './tinyModels.js';

type W = Record<string, Float64Array>;

export function toF64(weights: Record<string, TensorIn>): W {
  const out: W = {};
  for (const [k, v] of Object.entries(weights)) out[k] = Float64Array.from(v.data);
  return out;
}

/** Adds scale·B·A of every PEFT-named LoRA pair into a copy of the base weights. */
export function mergeLora(spec: SpecNoFiles, base: W, lora: Record<string, Float64Array>, scale: number, rank: number): W {
  const w: W = { ...base };
  for (const name of Object.keys(lora)) {
    if (!name.endsWith('.lora_A.weight')) continue;
    const mod = name.slice('base_model.model.'.length, -'.lora_A.weight'.length);
    const A = lora[name]!, B = lora[name.replace('lora_A', 'lora_B')]!;
    const key = (spec.arch === 'gpt2' ? mod.replace(/^transformer\./, '') : mod) + '.weight';
    const Wt = Float64Array.from(w[key]!);
    const inDim = A.length / rank, outDim = B.length / rank;
    for (let o = 0; o < outDim; o++)
      for (let i = 0; i < inDim; i++) {
        let d = 0;
        for (let k = 0; k < rank; k++) d += B[o * rank + k]! * A[k * inDim + i]!;
        // nn.Linear stores (out,in); GPT-2's Conv1D stores (in,out)
        const at = spec.arch === 'gpt2' ? i * outDim + o : o * inDim + i;
        Wt[at] = Wt[at]! + scale * d;
      }
    w[key] = Wt;
  }
  return w;
}

// y(n,out) = x(n,in)·Wᵀ (+b) for W (out,in); conv: W (in,out)
function linear(x: Float64Array, n: number, inD: number, outD: number, W: Float64Array, b: Float64Array | undefined, conv: boolean): Float64Array {
  const y = new Float64Array(n * outD);
  for (let r = 0; r < n; r++)
    for (let o = 0; o < outD; o++) {
      let s = b ? b[o]! : 0;
      for (let i = 0; i < inD; i++) s += x[r * inD + i]! * (conv ? W[i * outD + o]! : W[o * inD + i]!);
      y[r * outD + o] = s;
    }
  return y;
}

function norm(x: Float64Array, n: number, C: number, w: Float64Array, b: Float64Array | undefined, eps: number, rms: boolean): Float64Array {
  const y = new Float64Array(n * C);
  for (let r = 0; r < n; r++) {
    let mean = 0;
    if (!rms) {
      for (let i = 0; i < C; i++) mean += x[r * C + i]!;
      mean /= C;
    }
    let v = 0;
    for (let i = 0; i < C; i++) v += (x[r * C + i]! - mean) ** 2;
    const s = 1 / Math.sqrt(v / C + eps);
    for (let i = 0; i < C; i++) y[r * C + i] = (x[r * C + i]! - mean) * s * w[i]! + (b ? b[i]! : 0);
  }
  return y;
}

function ropeInvFreq(spec: SpecNoFiles): number[] {
  const D = spec.headDim;
  const out: number[] = [];
  for (let i = 0; i < D / 2; i++) {
    let f = 1 / Math.pow(spec.ropeTheta, (2 * i) / D);
    const r = spec.ropeScaling;
    if (r) {
      const lowWave = r.originalMaxPositions / r.lowFreqFactor, highWave = r.originalMaxPositions / r.highFreqFactor;
      const wave = (2 * Math.PI) / f;
      if (wave > lowWave) f /= r.factor;
      else if (wave >= highWave) {
        const s = (r.originalMaxPositions / wave - r.lowFreqFactor) / (r.highFreqFactor - r.lowFreqFactor);
        f = ((1 - s) * f) / r.factor + s * f;
      }
    }
    out.push(f);
  }
  return out;
}

/** logits (B,T,V) */
export function referenceForward(spec: SpecNoFiles, w: W, tokens: Int32Array, B: number, T: number): Float64Array {
  const C = spec.hiddenSize, H = spec.numHeads, KV = spec.numKvHeads, D = spec.headDim, I = spec.intermediateSize, V = spec.vocabSize;
  const gpt2 = spec.arch === 'gpt2';
  const n = B * T;
  const g = (k: string) => {
    const v = w[k];
    if (!v) throw new Error(`reference: missing ${k}`);
    return v;
  };
  const wte = g(gpt2 ? 'wte.weight' : 'model.embed_tokens.weight');
  let x = new Float64Array(n * C);
  for (let r = 0; r < n; r++)
    for (let i = 0; i < C; i++) x[r * C + i] = wte[tokens[r]! * C + i]! + (gpt2 ? g('wpe.weight')[(r % T) * C + i]! : 0);
  const inv = gpt2 ? [] : ropeInvFreq(spec);
  const rope = (v: Float64Array, ld: number, off: number, heads: number) => {
    for (let r = 0; r < n; r++) {
      const pos = r % T;
      for (let h = 0; h < heads; h++)
        for (let i = 0; i < D / 2; i++) {
          const a = off + r * ld + h * D + i, b = a + D / 2;
          const ang = pos * inv[i]!, c = Math.cos(ang), s = Math.sin(ang);
          const va = v[a]!, vb = v[b]!;
          v[a] = va * c - vb * s;
          v[b] = vb * c + va * s;
        }
    }
  };
  for (let l = 0; l < spec.numLayers; l++) {
    const p = gpt2 ? `h.${l}.` : `model.layers.${l}.`;
    const h1 = gpt2 ? norm(x, n, C, g(p + 'ln_1.weight'), g(p + 'ln_1.bias'), spec.normEps, false) : norm(x, n, C, g(p + 'input_layernorm.weight'), undefined, spec.normEps, true);
    let q: Float64Array, k: Float64Array, v: Float64Array;
    if (gpt2) {
      const qkv = linear(h1, n, C, 3 * C, g(p + 'attn.c_attn.weight'), g(p + 'attn.c_attn.bias'), true);
      q = new Float64Array(n * C); k = new Float64Array(n * C); v = new Float64Array(n * C);
      for (let r = 0; r < n; r++)
        for (let i = 0; i < C; i++) {
          q[r * C + i] = qkv[r * 3 * C + i]!;
          k[r * C + i] = qkv[r * 3 * C + C + i]!;
          v[r * C + i] = qkv[r * 3 * C + 2 * C + i]!;
        }
    } else {
      const bias = (s: string) => (spec.attentionBias ? g(p + `self_attn.${s}_proj.bias`) : undefined);
      q = linear(h1, n, C, H * D, g(p + 'self_attn.q_proj.weight'), bias('q'), false);
      k = linear(h1, n, C, KV * D, g(p + 'self_attn.k_proj.weight'), bias('k'), false);
      v = linear(h1, n, C, KV * D, g(p + 'self_attn.v_proj.weight'), bias('v'), false);
      rope(q, H * D, 0, H);
      rope(k, KV * D, 0, KV);
    }
    const y = new Float64Array(n * H * D);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++) {
        const kh = Math.floor(h / (H / KV));
        for (let t = 0; t < T; t++) {
          const sc: number[] = [];
          for (let s = 0; s <= t; s++) {
            let d = 0;
            for (let i = 0; i < D; i++) d += q[(b * T + t) * H * D + h * D + i]! * k[(b * T + s) * KV * D + kh * D + i]!;
            sc.push(d / Math.sqrt(D));
          }
          const mx = Math.max(...sc);
          const e = sc.map((z) => Math.exp(z - mx));
          const sum = e.reduce((a2, b2) => a2 + b2, 0);
          for (let i = 0; i < D; i++) {
            let o = 0;
            for (let s = 0; s <= t; s++) o += (e[s]! / sum) * v[(b * T + s) * KV * D + kh * D + i]!;
            y[(b * T + t) * H * D + h * D + i] = o;
          }
        }
      }
    const ao = gpt2 ? linear(y, n, C, C, g(p + 'attn.c_proj.weight'), g(p + 'attn.c_proj.bias'), true) : linear(y, n, H * D, C, g(p + 'self_attn.o_proj.weight'), undefined, false);
    x = x.map((z, i) => z + ao[i]!);
    const h2 = gpt2 ? norm(x, n, C, g(p + 'ln_2.weight'), g(p + 'ln_2.bias'), spec.normEps, false) : norm(x, n, C, g(p + 'post_attention_layernorm.weight'), undefined, spec.normEps, true);
    let m: Float64Array;
    if (gpt2) {
      const f = linear(h2, n, C, I, g(p + 'mlp.c_fc.weight'), g(p + 'mlp.c_fc.bias'), true);
      const a = f.map((z) => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3))));
      m = linear(a, n, I, C, g(p + 'mlp.c_proj.weight'), g(p + 'mlp.c_proj.bias'), true);
    } else {
      const gt = linear(h2, n, C, I, g(p + 'mlp.gate_proj.weight'), undefined, false);
      const up = linear(h2, n, C, I, g(p + 'mlp.up_proj.weight'), undefined, false);
      const a = gt.map((z, i) => (z / (1 + Math.exp(-z))) * up[i]!);
      m = linear(a, n, I, C, g(p + 'mlp.down_proj.weight'), undefined, false);
    }
    x = x.map((z, i) => z + m[i]!);
  }
  const xf = gpt2 ? norm(x, n, C, g('ln_f.weight'), g('ln_f.bias'), spec.normEps, false) : norm(x, n, C, g('model.norm.weight'), undefined, spec.normEps, true);
  const head = spec.tieWordEmbeddings ? wte : g('lm_head.weight');
  return linear(xf, n, C, V, head, undefined, false);
}

/** sum over rows of weight·(logsumexp - logit[target]) / normalizer (negative targets skipped) */
export function referenceLoss(spec: SpecNoFiles, w: W, tokens: Int32Array, targets: Int32Array, B: number, T: number, mask?: Float32Array): number {
  const logits = referenceForward(spec, w, tokens, B, T);
  const V = spec.vocabSize;
  let sum = 0, weight = 0;
  for (let r = 0; r < B * T; r++) {
    const t = targets[r]!;
    const m = mask ? mask[r]! : 1;
    if (t < 0 || m === 0) continue;
    const row = logits.subarray(r * V, (r + 1) * V);
    const mx = Math.max(...row);
    let se = 0;
    for (const z of row) se += Math.exp(z - mx);
    sum += m * (mx + Math.log(se) - row[t]!);
    weight += m;
  }
  return sum / weight;
}
