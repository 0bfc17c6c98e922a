// Hugging Face weights -> llama.cpp tensors, as convert_hf_to_gguf.py maps them.
// GPT-2 ("gpt2"): Conv1D weights [in, out] are transposed to [out, in]; output.weight is written
//   (a copy of the embedding when tied), position_embd holds the learned positions.
// Llama family without q/k/v bias ("llama"): q_proj/k_proj rows are permuted back from HF's
//   rotate_half layout to Meta's interleaved pairs, which llama.cpp's "normal" RoPE rotates:
//   new row h*D + 2i + j = old row h*D + j*D/2 + i (j in {0, 1}, i < D/2), with H heads for q
//   and the KV head count for k. Llama-3 scaling travels as rope_freqs.weight [D/2].
// Qwen2-like with biases ("qwen2"): llama.cpp applies NeoX (rotate_half) RoPE, so no permutation.
import type { ModelSpec } from '../modelConfig';
import type { Tensor } from '../tensor';
import type { GgufTensor } from './encodeGguf';

export type GgufArch = 'gpt2' | 'llama' | 'qwen2';

export function ggufArchOf(spec: ModelSpec): GgufArch {
  if (spec.arch === 'gpt2') return 'gpt2';
  if (spec.attentionBias) {
    if (spec.ropeScaling) throw new Error('gguf: a model with q/k/v bias and llama3 RoPE scaling has no llama.cpp architecture');
    return 'qwen2';
  }
  return 'llama';
}

function transpose(t: Tensor): Tensor {
  const [r, c] = t.shape as [number, number];
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j]!;
  return { shape: [c, r], data: out };
}

/** Permutes the rows of a [heads * D, ...] weight or [heads * D] bias from rotate_half to interleaved order. */
export function permuteForInterleavedRope(t: Tensor, heads: number): Tensor {
  const rows = t.shape[0]!;
  const cols = t.shape.length > 1 ? t.shape[1]! : 1;
  const D = rows / heads;
  const half = D / 2;
  const out = new Float32Array(t.data.length);
  for (let h = 0; h < heads; h++) {
    for (let j = 0; j < 2; j++) {
      for (let i = 0; i < half; i++) {
        const src = h * D + j * half + i;
        const dst = h * D + 2 * i + j;
        out.set(t.data.subarray(src * cols, (src + 1) * cols), dst * cols);
      }
    }
  }
  return { shape: [...t.shape], data: out };
}

/** llama.cpp divides each RoPE frequency by these factors (the converter's llama3 formula). */
export function llama3RopeFactors(spec: ModelSpec): Float32Array {
  const s = spec.ropeScaling!;
  const half = spec.headDim / 2;
  const lowWavelen = s.originalMaxPositions / s.lowFreqFactor;
  const highWavelen = s.originalMaxPositions / s.highFreqFactor;
  const out = new Float32Array(half);
  for (let i = 0; i < half; i++) {
    const freq = 1 / spec.ropeTheta ** ((2 * i) / spec.headDim);
    const wavelen = (2 * Math.PI) / freq;
    if (wavelen < highWavelen) out[i] = 1;
    else if (wavelen > lowWavelen) out[i] = s.factor;
    else {
      const smooth = (s.originalMaxPositions / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
      out[i] = 1 / ((1 - smooth) / s.factor + smooth);
    }
  }
  return out;
}

export function ggufTensorsForModel(spec: ModelSpec, weights: ReadonlyMap<string, Tensor>, dtype: 'F32' | 'F16'): GgufTensor[] {
  const out: GgufTensor[] = [];
  const get = (n: string) => {
    const t = weights.get(n) ?? (spec.arch === 'gpt2' ? weights.get(n.replace(/^transformer\./, '')) : undefined);
    if (!t) throw new Error(`gguf: model weights lack "${n}"`);
    return t;
  };
  // 1-D tensors (norms, biases) stay f32 as in llama.cpp's converter.
  const add = (name: string, t: Tensor) => out.push({ name, shape: t.shape, data: t.data, type: t.shape.length >= 2 ? dtype : 'F32' });
  const arch = ggufArchOf(spec);
  if (arch === 'gpt2') {
    add('token_embd.weight', get('transformer.wte.weight'));
    add('position_embd.weight', get('transformer.wpe.weight'));
    for (let l = 0; l < spec.numLayers; l++) {
      const p = `transformer.h.${l}`;
      const b = `blk.${l}`;
      add(`${b}.attn_norm.weight`, get(`${p}.ln_1.weight`));
      add(`${b}.attn_norm.bias`, get(`${p}.ln_1.bias`));
      add(`${b}.attn_qkv.weight`, transpose(get(`${p}.attn.c_attn.weight`)));
      add(`${b}.attn_qkv.bias`, get(`${p}.attn.c_attn.bias`));
      add(`${b}.attn_output.weight`, transpose(get(`${p}.attn.c_proj.weight`)));
      add(`${b}.attn_output.bias`, get(`${p}.attn.c_proj.bias`));
      add(`${b}.ffn_norm.weight`, get(`${p}.ln_2.weight`));
      add(`${b}.ffn_norm.bias`, get(`${p}.ln_2.bias`));
      add(`${b}.ffn_up.weight`, transpose(get(`${p}.mlp.c_fc.weight`)));
      add(`${b}.ffn_up.bias`, get(`${p}.mlp.c_fc.bias`));
      add(`${b}.ffn_down.weight`, transpose(get(`${p}.mlp.c_proj.weight`)));
      add(`${b}.ffn_down.bias`, get(`${p}.mlp.c_proj.bias`));
    }
    add('output_norm.weight', get('transformer.ln_f.weight'));
    add('output_norm.bias', get('transformer.ln_f.bias'));
    add('output.weight', spec.tieWordEmbeddings ? get('transformer.wte.weight') : get('lm_head.weight'));
    return out;
  }
  const permute = arch === 'llama';
  add('token_embd.weight', get('model.embed_tokens.weight'));
  if (arch === 'llama' && spec.ropeScaling) out.push({ name: 'rope_freqs.weight', shape: [spec.headDim / 2], data: llama3RopeFactors(spec), type: 'F32' });
  for (let l = 0; l < spec.numLayers; l++) {
    const p = `model.layers.${l}`;
    const b = `blk.${l}`;
    add(`${b}.attn_norm.weight`, get(`${p}.input_layernorm.weight`));
    for (const [hf, gg, heads] of [['q_proj', 'attn_q', spec.numHeads], ['k_proj', 'attn_k', spec.numKvHeads], ['v_proj', 'attn_v', 0]] as const) {
      const w = get(`${p}.self_attn.${hf}.weight`);
      add(`${b}.${gg}.weight`, permute && heads > 0 ? permuteForInterleavedRope(w, heads) : w);
      if (spec.attentionBias) {
        const bias = get(`${p}.self_attn.${hf}.bias`);
        add(`${b}.${gg}.bias`, permute && heads > 0 ? permuteForInterleavedRope(bias, heads) : bias);
      }
    }
    add(`${b}.attn_output.weight`, get(`${p}.self_attn.o_proj.weight`));
    add(`${b}.ffn_norm.weight`, get(`${p}.post_attention_layernorm.weight`));
    add(`${b}.ffn_gate.weight`, get(`${p}.mlp.gate_proj.weight`));
    add(`${b}.ffn_up.weight`, get(`${p}.mlp.up_proj.weight`));
    add(`${b}.ffn_down.weight`, get(`${p}.mlp.down_proj.weight`));
  }
  add('output_norm.weight', get('model.norm.weight'));
  if (!spec.tieWordEmbeddings) add('output.weight', get('lm_head.weight'));
  return out;
}
