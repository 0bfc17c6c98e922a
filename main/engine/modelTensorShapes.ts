// The tensors a checkpoint must hold for a spec, with their shapes as transformers saves them
// (GPT-2 Conv1D [in, out], nn.Linear [out, in]). Used to reject inconsistent folders up front
// with an error naming the tensor and file, before any engine reads them.
import type { ModelSpec } from './modelConfig';

export function modelTensorShapes(spec: ModelSpec): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const C = spec.hiddenSize;
  const I = spec.intermediateSize;
  if (spec.arch === 'gpt2') {
    m.set('transformer.wte.weight', [spec.vocabSize, C]);
    m.set('transformer.wpe.weight', [spec.maxPositions, C]);
    for (let l = 0; l < spec.numLayers; l++) {
      const p = `transformer.h.${l}`;
      for (const ln of ['ln_1', 'ln_2']) {
        m.set(`${p}.${ln}.weight`, [C]);
        m.set(`${p}.${ln}.bias`, [C]);
      }
      m.set(`${p}.attn.c_attn.weight`, [C, 3 * C]);
      m.set(`${p}.attn.c_attn.bias`, [3 * C]);
      m.set(`${p}.attn.c_proj.weight`, [C, C]);
      m.set(`${p}.attn.c_proj.bias`, [C]);
      m.set(`${p}.mlp.c_fc.weight`, [C, I]);
      m.set(`${p}.mlp.c_fc.bias`, [I]);
      m.set(`${p}.mlp.c_proj.weight`, [I, C]);
      m.set(`${p}.mlp.c_proj.bias`, [C]);
    }
    m.set('transformer.ln_f.weight', [C]);
    m.set('transformer.ln_f.bias', [C]);
  } else {
    const H = spec.numHeads * spec.headDim;
    const KV = spec.numKvHeads * spec.headDim;
    m.set('model.embed_tokens.weight', [spec.vocabSize, C]);
    for (let l = 0; l < spec.numLayers; l++) {
      const p = `model.layers.${l}`;
      m.set(`${p}.input_layernorm.weight`, [C]);
      m.set(`${p}.self_attn.q_proj.weight`, [H, C]);
      m.set(`${p}.self_attn.k_proj.weight`, [KV, C]);
      m.set(`${p}.self_attn.v_proj.weight`, [KV, C]);
      if (spec.attentionBias) {
        m.set(`${p}.self_attn.q_proj.bias`, [H]);
        m.set(`${p}.self_attn.k_proj.bias`, [KV]);
        m.set(`${p}.self_attn.v_proj.bias`, [KV]);
      }
      m.set(`${p}.self_attn.o_proj.weight`, [C, H]);
      m.set(`${p}.post_attention_layernorm.weight`, [C]);
      m.set(`${p}.mlp.gate_proj.weight`, [I, C]);
      m.set(`${p}.mlp.up_proj.weight`, [I, C]);
      m.set(`${p}.mlp.down_proj.weight`, [C, I]);
    }
    m.set('model.norm.weight', [C]);
  }
  if (!spec.tieWordEmbeddings) m.set('lm_head.weight', [spec.vocabSize, C]);
  return m;
}
