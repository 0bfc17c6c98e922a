// A slow, obvious forward pass (Float64 accumulation, one position at a time, no cache tricks)
// for GPT-2 and the Llama family, following transformers' modeling code. The native engine and
// the exports are tested against it. Optional LoRA adapters add scaling * B A x to the modules
// they target, which is what PEFT's forward does with dropout off.
import type { ModelSpec } from '../modelConfig';
import type { LoraAdapter } from '../peft/LoraAdapter';
import { loraScaling } from '../peft/LoraAdapter';
import { weightOf, type ReferenceModel } from './ReferenceModel';
import { addLora, applyRope, conv1d, geluNew, layerNorm, linear, rmsNorm, ropeInvFreq, silu, softmaxInPlace } from './referenceOps';

export interface ReferenceOptions {
  lora?: LoraAdapter;
}

/** Logits for every position of `ids`: T arrays of length vocabSize. */
export function referenceForward(model: ReferenceModel, ids: readonly number[], opts: ReferenceOptions = {}): Float64Array[] {
  const { spec } = model;
  if (ids.length === 0) return [];
  if (ids.length > spec.maxPositions) throw new Error(`sequence of ${ids.length} exceeds maxPositions ${spec.maxPositions}`);
  for (const id of ids) if (!Number.isInteger(id) || id < 0 || id >= spec.vocabSize) throw new Error(`token id ${id} outside the vocabulary [0, ${spec.vocabSize})`);
  return spec.arch === 'gpt2' ? gpt2Forward(model, ids, opts) : llamaForward(model, ids, opts);
}

/** Returns y = module(x) with the adapter's delta for `moduleName` when it has one. */
function withLora(y: Float64Array, x: Float64Array, moduleName: string, opts: ReferenceOptions): Float64Array {
  const pair = opts.lora?.modules.get(moduleName);
  if (pair) addLora(y, x, pair, loraScaling(opts.lora!.config));
  return y;
}

/**
 * Causal self-attention for all positions. q: T x [numHeads * D], k, v: T x [numKvHeads * D].
 * Query head h reads kv head floor(h / (numHeads / numKvHeads)) (transformers' repeat_kv).
 */
function attention(spec: ModelSpec, q: Float64Array[], k: Float64Array[], v: Float64Array[]): Float64Array[] {
  const D = spec.headDim;
  const group = spec.numHeads / spec.numKvHeads;
  const scale = 1 / Math.sqrt(D);
  return q.map((qt, t) => {
    const out = new Float64Array(spec.numHeads * D);
    for (let h = 0; h < spec.numHeads; h++) {
      const kvh = Math.floor(h / group);
      const p = new Float64Array(t + 1);
      for (let j = 0; j <= t; j++) {
        let s = 0;
        for (let d = 0; d < D; d++) s += qt[h * D + d]! * k[j]![kvh * D + d]!;
        p[j] = s * scale;
      }
      softmaxInPlace(p);
      for (let j = 0; j <= t; j++) for (let d = 0; d < D; d++) out[h * D + d]! += p[j]! * v[j]![kvh * D + d]!;
    }
    return out;
  });
}

/** logits = h W^T with W the lm_head or, when tied, the token embedding [V, C]. */
function lmHead(model: ReferenceModel, h: Float64Array, embeddingName: string): Float64Array {
  const W = model.spec.tieWordEmbeddings ? weightOf(model, embeddingName) : weightOf(model, 'lm_head.weight');
  return linear(h, W);
}

function gpt2Forward(model: ReferenceModel, ids: readonly number[], opts: ReferenceOptions): Float64Array[] {
  const { spec } = model;
  const C = spec.hiddenSize;
  const w = (n: string) => weightOf(model, `transformer.${n}`);
  const wte = w('wte.weight');
  const wpe = w('wpe.weight');
  // Residual stream, T x [C].
  let hs = ids.map((id, t) => {
    const x = new Float64Array(C);
    for (let c = 0; c < C; c++) x[c] = wte.data[id * C + c]! + wpe.data[t * C + c]!;
    return x;
  });
  for (let l = 0; l < spec.numLayers; l++) {
    const p = `h.${l}`;
    const mod = (n: string) => `transformer.${p}.${n}`;
    const qkv = hs.map((x) => {
      const a = layerNorm(x, w(`${p}.ln_1.weight`), w(`${p}.ln_1.bias`), spec.normEps);
      return withLora(conv1d(a, w(`${p}.attn.c_attn.weight`), w(`${p}.attn.c_attn.bias`)), a, mod('attn.c_attn'), opts);
    });
    const att = attention(
      spec,
      qkv.map((r) => r.slice(0, C)),
      qkv.map((r) => r.slice(C, 2 * C)),
      qkv.map((r) => r.slice(2 * C, 3 * C)),
    );
    hs = hs.map((x, t) => {
      const o = withLora(conv1d(att[t]!, w(`${p}.attn.c_proj.weight`), w(`${p}.attn.c_proj.bias`)), att[t]!, mod('attn.c_proj'), opts);
      const h1 = x.map((v, c) => v + o[c]!);
      const m = layerNorm(h1, w(`${p}.ln_2.weight`), w(`${p}.ln_2.bias`), spec.normEps);
      const f = withLora(conv1d(m, w(`${p}.mlp.c_fc.weight`), w(`${p}.mlp.c_fc.bias`)), m, mod('mlp.c_fc'), opts).map(geluNew);
      const d = withLora(conv1d(f, w(`${p}.mlp.c_proj.weight`), w(`${p}.mlp.c_proj.bias`)), f, mod('mlp.c_proj'), opts);
      return h1.map((v, c) => v + d[c]!);
    });
  }
  return hs.map((x) => lmHead(model, layerNorm(x, w('ln_f.weight'), w('ln_f.bias'), spec.normEps), 'transformer.wte.weight'));
}

function llamaForward(model: ReferenceModel, ids: readonly number[], opts: ReferenceOptions): Float64Array[] {
  const { spec } = model;
  const C = spec.hiddenSize;
  const D = spec.headDim;
  const w = (n: string) => weightOf(model, `model.${n}`);
  const bias = (n: string) => (spec.attentionBias ? model.weights.get(`model.${n}`) : undefined);
  const invFreq = ropeInvFreq(D, spec.ropeTheta, spec.ropeScaling);
  const emb = w('embed_tokens.weight');
  let hs = ids.map((id) => Float64Array.from(emb.data.subarray(id * C, (id + 1) * C)));
  for (let l = 0; l < spec.numLayers; l++) {
    const p = `layers.${l}`;
    const proj = (x: Float64Array, n: string) => withLora(linear(x, w(`${p}.${n}.weight`), bias(`${p}.${n}.bias`)), x, `model.${p}.${n}`, opts);
    const normed = hs.map((x) => rmsNorm(x, w(`${p}.input_layernorm.weight`), spec.normEps));
    const q = normed.map((a, t) => rope(proj(a, 'self_attn.q_proj'), spec.numHeads, D, t, invFreq));
    const k = normed.map((a, t) => rope(proj(a, 'self_attn.k_proj'), spec.numKvHeads, D, t, invFreq));
    const v = normed.map((a) => proj(a, 'self_attn.v_proj'));
    const att = attention(spec, q, k, v);
    hs = hs.map((x, t) => {
      // o_proj has no bias in any supported family (Qwen2's bias covers q, k, v only).
      const o = withLora(linear(att[t]!, w(`${p}.self_attn.o_proj.weight`)), att[t]!, `model.${p}.self_attn.o_proj`, opts);
      const h1 = x.map((val, c) => val + o[c]!);
      const m = rmsNorm(h1, w(`${p}.post_attention_layernorm.weight`), spec.normEps);
      const g = withLora(linear(m, w(`${p}.mlp.gate_proj.weight`)), m, `model.${p}.mlp.gate_proj`, opts);
      const u = withLora(linear(m, w(`${p}.mlp.up_proj.weight`)), m, `model.${p}.mlp.up_proj`, opts);
      const act = g.map((gv, i) => silu(gv) * u[i]!);
      const d = withLora(linear(act, w(`${p}.mlp.down_proj.weight`)), act, `model.${p}.mlp.down_proj`, opts);
      return h1.map((val, c) => val + d[c]!);
    });
  }
  return hs.map((x) => lmHead(model, rmsNorm(x, w('norm.weight'), spec.normEps), 'model.embed_tokens.weight'));
}

/** RoPE on every head of a projected q or k vector (heads x [D]) at position `pos`. */
function rope(x: Float64Array, heads: number, D: number, pos: number, invFreq: Float64Array): Float64Array {
  for (let h = 0; h < heads; h++) applyRope(x, h * D, D, pos, invFreq);
  return x;
}
