import { describe, expect, it } from 'vitest';
import { normalizeModelConfig, ModelConfigError } from '../modelConfig';

// Trimmed copies of the fields real checkpoints' config.json files carry.
const gpt2 = { model_type: 'gpt2', vocab_size: 50257, n_embd: 768, n_layer: 12, n_head: 12, n_positions: 1024, n_inner: null, layer_norm_epsilon: 1e-5, activation_function: 'gelu_new' };
const llama3 = {
  model_type: 'llama', vocab_size: 128256, hidden_size: 2048, num_hidden_layers: 16, num_attention_heads: 32, num_key_value_heads: 8,
  intermediate_size: 8192, max_position_embeddings: 131072, rms_norm_eps: 1e-5, rope_theta: 500000, tie_word_embeddings: true, head_dim: 64,
  rope_scaling: { factor: 32.0, high_freq_factor: 4.0, low_freq_factor: 1.0, original_max_position_embeddings: 8192, rope_type: 'llama3' },
};
const qwen2 = { model_type: 'qwen2', vocab_size: 151936, hidden_size: 896, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, intermediate_size: 4864, max_position_embeddings: 32768, rms_norm_eps: 1e-6, rope_theta: 1000000, tie_word_embeddings: true, use_sliding_window: false };
const smollm = { architectures: ['LlamaForCausalLM'], model_type: 'llama', vocab_size: 49152, hidden_size: 576, num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, intermediate_size: 1536, max_position_embeddings: 2048, rms_norm_eps: 1e-5, rope_theta: 10000, rope_scaling: null, tie_word_embeddings: true };
const mistral = { model_type: 'mistral', vocab_size: 32000, hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, max_position_embeddings: 32768, rms_norm_eps: 1e-5, rope_theta: 10000, sliding_window: null, tie_word_embeddings: false };

describe('normalizeModelConfig', () => {
  it('normalises GPT-2', () => {
    expect(normalizeModelConfig(gpt2)).toEqual({
      arch: 'gpt2', vocabSize: 50257, hiddenSize: 768, numLayers: 12, numHeads: 12, numKvHeads: 12, headDim: 64, intermediateSize: 3072,
      maxPositions: 1024, normEps: 1e-5, ropeTheta: 0, ropeScaling: null, tieWordEmbeddings: true, attentionBias: true,
    });
  });
  it('normalises Llama 3.2 with llama3 RoPE scaling', () => {
    expect(normalizeModelConfig(llama3)).toEqual({
      arch: 'llama', vocabSize: 128256, hiddenSize: 2048, numLayers: 16, numHeads: 32, numKvHeads: 8, headDim: 64, intermediateSize: 8192,
      maxPositions: 131072, normEps: 1e-5, ropeTheta: 500000,
      ropeScaling: { type: 'llama3', factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 8192 },
      tieWordEmbeddings: true, attentionBias: false,
    });
  });
  it('gives Qwen2 attention bias and SmolLM tied embeddings', () => {
    const q = normalizeModelConfig(qwen2);
    expect(q.attentionBias).toBe(true);
    expect(q.headDim).toBe(64);
    expect(q.numKvHeads).toBe(2);
    const s = normalizeModelConfig(smollm);
    expect(s.tieWordEmbeddings).toBe(true);
    expect(s.ropeScaling).toBeNull();
    expect(s.attentionBias).toBe(false);
    const m = normalizeModelConfig(mistral);
    expect(m.arch).toBe('llama');
    expect(m.tieWordEmbeddings).toBe(false);
  });
  it('keeps sliding-window models inside their window', () => {
    expect(normalizeModelConfig({ ...mistral, sliding_window: 4096 }).maxPositions).toBe(4096);
    expect(normalizeModelConfig({ ...qwen2, sliding_window: 4096, use_sliding_window: false }).maxPositions).toBe(32768);
    expect(normalizeModelConfig({ ...qwen2, sliding_window: 4096, use_sliding_window: true }).maxPositions).toBe(4096);
  });
  it('reads transformers 5 rope_parameters', () => {
    const { rope_theta: _t, rope_scaling: _s, ...rest } = llama3;
    const s = normalizeModelConfig({ ...rest, rope_parameters: { ...llama3.rope_scaling, rope_theta: 500000 } });
    expect(s.ropeTheta).toBe(500000);
    expect(s.ropeScaling?.factor).toBe(32);
  });
  it('names the field at fault', () => {
    expect(() => normalizeModelConfig({ ...gpt2, model_type: 'bert' })).toThrow(/model_type: unknown architecture "bert"/);
    expect(() => normalizeModelConfig({ vocab_size: 3 })).toThrow(ModelConfigError);
    expect(() => normalizeModelConfig({ ...llama3, rope_scaling: { rope_type: 'yarn', factor: 4 } })).toThrow(/rope_scaling\.rope_type: unsupported RoPE scaling "yarn"/);
    expect(() => normalizeModelConfig({ ...llama3, num_key_value_heads: 5 })).toThrow(/num_key_value_heads/);
    expect(() => normalizeModelConfig({ ...llama3, hidden_size: 'big' })).toThrow(/hidden_size/);
    expect(() => normalizeModelConfig({ ...gpt2, activation_function: 'relu' })).toThrow(/activation_function/);
  });
});
