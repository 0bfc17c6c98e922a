// Presets for the tiny models tests build: small enough for the Float64 reference to run in
// milliseconds, shaped like the real families (GQA, head_dim, tied embeddings, qkv bias).
import type { ModelSpec } from '../modelConfig';

export type TestModelFamily = 'gpt2' | 'llama' | 'qwen2' | 'smollm';

/** GPT-2's vocabulary is fixed by its real tokenizer. */
export const GPT2_VOCAB_SIZE = 50257;
/** The SentencePiece-style test tokenizer's size, shared by the Llama-family presets. */
export const SP_VOCAB_SIZE = 512;

export function testModelSpec(family: TestModelFamily, overrides: Partial<ModelSpec> = {}): ModelSpec {
  const base: Record<TestModelFamily, ModelSpec> = {
    gpt2: {
      arch: 'gpt2', vocabSize: GPT2_VOCAB_SIZE, hiddenSize: 32, numLayers: 2, numHeads: 4, numKvHeads: 4, headDim: 8, intermediateSize: 128,
      maxPositions: 64, normEps: 1e-5, ropeTheta: 0, ropeScaling: null, tieWordEmbeddings: true, attentionBias: true,
    },
    llama: {
      arch: 'llama', vocabSize: SP_VOCAB_SIZE, hiddenSize: 64, numLayers: 2, numHeads: 4, numKvHeads: 2, headDim: 16, intermediateSize: 96,
      maxPositions: 256, normEps: 1e-5, ropeTheta: 500000,
      ropeScaling: { type: 'llama3', factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 64 },
      tieWordEmbeddings: false, attentionBias: false,
    },
    qwen2: {
      arch: 'llama', vocabSize: SP_VOCAB_SIZE, hiddenSize: 48, numLayers: 2, numHeads: 6, numKvHeads: 2, headDim: 8, intermediateSize: 80,
      maxPositions: 128, normEps: 1e-6, ropeTheta: 1000000, ropeScaling: null, tieWordEmbeddings: false, attentionBias: true,
    },
    smollm: {
      arch: 'llama', vocabSize: SP_VOCAB_SIZE, hiddenSize: 48, numLayers: 3, numHeads: 3, numKvHeads: 1, headDim: 16, intermediateSize: 64,
      maxPositions: 128, normEps: 1e-5, ropeTheta: 10000, ropeScaling: null, tieWordEmbeddings: true, attentionBias: false,
    },
  };
  return { ...base[family], ...overrides };
}
