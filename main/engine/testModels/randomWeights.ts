// Seeded random weights under the tensor names and layouts transformers saves:
// GPT-2 (GPT2LMHeadModel): transformer.* with Conv1D weights stored [in, out]; lm_head omitted
//   because it is tied to wte.
// Llama family: model.* with nn.Linear weights [out, in]; q/k/v biases when attentionBias;
//   lm_head.weight only when embeddings are not tied.
// Scales keep activations O(1) through a few layers so logits are far from uniform (greedy
// tokens then differ meaningfully between implementations that disagree).
import { Xoshiro128 } from '../sampling/Xoshiro128';
import type { ModelSpec } from '../modelConfig';
import type { Tensor } from '../tensor';

export function randomWeights(spec: ModelSpec, seed: number): Map<string, Tensor> {
  const rng = new Xoshiro128(seed);
  const out = new Map<string, Tensor>();
  const normal = (name: string, shape: number[], std: number, mean = 0) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = mean + std * rng.nextNormal();
    out.set(name, { shape, data });
  };
  const C = spec.hiddenSize;
  const I = spec.intermediateSize;
  if (spec.arch === 'gpt2') {
    normal('transformer.wte.weight', [spec.vocabSize, C], 0.5);
    normal('transformer.wpe.weight', [spec.maxPositions, C], 0.2);
    for (let l = 0; l < spec.numLayers; l++) {
      const p = `transformer.h.${l}`;
      normal(`${p}.ln_1.weight`, [C], 0.1, 1);
      normal(`${p}.ln_1.bias`, [C], 0.1);
      normal(`${p}.attn.c_attn.weight`, [C, 3 * C], 1 / Math.sqrt(C));
      normal(`${p}.attn.c_attn.bias`, [3 * C], 0.1);
      normal(`${p}.attn.c_proj.weight`, [C, C], 1 / Math.sqrt(C));
      normal(`${p}.attn.c_proj.bias`, [C], 0.1);
      normal(`${p}.ln_2.weight`, [C], 0.1, 1);
      normal(`${p}.ln_2.bias`, [C], 0.1);
      normal(`${p}.mlp.c_fc.weight`, [C, I], 1 / Math.sqrt(C));
      normal(`${p}.mlp.c_fc.bias`, [I], 0.1);
      normal(`${p}.mlp.c_proj.weight`, [I, C], 1 / Math.sqrt(I));
      normal(`${p}.mlp.c_proj.bias`, [C], 0.1);
    }
    normal('transformer.ln_f.weight', [C], 0.1, 1);
    normal('transformer.ln_f.bias', [C], 0.1);
    if (!spec.tieWordEmbeddings) normal('lm_head.weight', [spec.vocabSize, C], 1 / Math.sqrt(C));
    return out;
  }
  const H = spec.numHeads * spec.headDim;
  const KV = spec.numKvHeads * spec.headDim;
  normal('model.embed_tokens.weight', [spec.vocabSize, C], 1);
  for (let l = 0; l < spec.numLayers; l++) {
    const p = `model.layers.${l}`;
    normal(`${p}.input_layernorm.weight`, [C], 0.1, 1);
    normal(`${p}.self_attn.q_proj.weight`, [H, C], 1 / Math.sqrt(C));
    normal(`${p}.self_attn.k_proj.weight`, [KV, C], 1 / Math.sqrt(C));
    normal(`${p}.self_attn.v_proj.weight`, [KV, C], 1 / Math.sqrt(C));
    if (spec.attentionBias) {
      normal(`${p}.self_attn.q_proj.bias`, [H], 0.1);
      normal(`${p}.self_attn.k_proj.bias`, [KV], 0.1);
      normal(`${p}.self_attn.v_proj.bias`, [KV], 0.1);
    }
    normal(`${p}.self_attn.o_proj.weight`, [C, H], 1 / Math.sqrt(H));
    normal(`${p}.post_attention_layernorm.weight`, [C], 0.1, 1);
    normal(`${p}.mlp.gate_proj.weight`, [I, C], 1 / Math.sqrt(C));
    normal(`${p}.mlp.up_proj.weight`, [I, C], 1 / Math.sqrt(C));
    normal(`${p}.mlp.down_proj.weight`, [C, I], 1 / Math.sqrt(I));
  }
  normal('model.norm.weight', [C], 0.1, 1);
  if (!spec.tieWordEmbeddings) normal('lm_head.weight', [spec.vocabSize, C], 1 / Math.sqrt(C));
  return out;
}
