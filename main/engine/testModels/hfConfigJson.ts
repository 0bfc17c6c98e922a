// The config.json transformers writes for a spec (the inverse of normalizeModelConfig), with
// the model_type of the family being imitated.
import type { ModelSpec } from '../modelConfig';
import type { FloatDtype } from '../safetensors/dtype';
import type { TestModelFamily } from './testModelSpecs';

const TORCH_DTYPE: Record<FloatDtype, string> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };

export function hfConfigJson(spec: ModelSpec, family: TestModelFamily, dtype: FloatDtype, ids: { bos: number; eos: number }): Record<string, unknown> {
  if (spec.arch === 'gpt2') {
    return {
      architectures: ['GPT2LMHeadModel'], model_type: 'gpt2', vocab_size: spec.vocabSize, n_embd: spec.hiddenSize, n_layer: spec.numLayers,
      n_head: spec.numHeads, n_positions: spec.maxPositions, n_ctx: spec.maxPositions, n_inner: spec.intermediateSize, activation_function: 'gelu_new',
      layer_norm_epsilon: spec.normEps, resid_pdrop: 0.1, embd_pdrop: 0.1, attn_pdrop: 0.1, initializer_range: 0.02, scale_attn_weights: true,
      use_cache: true, bos_token_id: ids.bos, eos_token_id: ids.eos, tie_word_embeddings: spec.tieWordEmbeddings, torch_dtype: TORCH_DTYPE[dtype],
    };
  }
  const isQwen = family === 'qwen2';
  return {
    architectures: [isQwen ? 'Qwen2ForCausalLM' : 'LlamaForCausalLM'], model_type: isQwen ? 'qwen2' : 'llama', vocab_size: spec.vocabSize,
    hidden_size: spec.hiddenSize, intermediate_size: spec.intermediateSize, num_hidden_layers: spec.numLayers, num_attention_heads: spec.numHeads,
    num_key_value_heads: spec.numKvHeads, head_dim: spec.headDim, hidden_act: 'silu', max_position_embeddings: spec.maxPositions,
    rms_norm_eps: spec.normEps, rope_theta: spec.ropeTheta,
    rope_scaling: spec.ropeScaling && {
      rope_type: 'llama3', factor: spec.ropeScaling.factor, low_freq_factor: spec.ropeScaling.lowFreqFactor,
      high_freq_factor: spec.ropeScaling.highFreqFactor, original_max_position_embeddings: spec.ropeScaling.originalMaxPositions,
    },
    ...(isQwen ? { use_sliding_window: false, sliding_window: null } : { attention_bias: spec.attentionBias, mlp_bias: false }),
    tie_word_embeddings: spec.tieWordEmbeddings, bos_token_id: ids.bos, eos_token_id: ids.eos, use_cache: true, torch_dtype: TORCH_DTYPE[dtype],
  };
}
