// The untrained default model as a Hugging Face folder: config.json (LlamaForCausalLM, tied
// embeddings), model.safetensors with seeded f32 weights, and the trained tokenizer's files.
// runTraining trains any model folder; this one is where pretraining starts.
//
// Init (GPT-2 / nanoGPT style, what small Llama pretraining commonly uses): every matrix and the
// embedding ~ N(0, initStd), the projections that write into the residual stream (o_proj,
// down_proj) ~ N(0, initStd / sqrt(2 x layers)) so the residual's variance does not grow with
// depth, RMSNorm weights 1. Drawn from xoshiro128** in a fixed tensor order: same bytes everywhere.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Xoshiro128 } from '../sampling/Xoshiro128';
import { writeSafetensors } from '../safetensors/writeSafetensors';
import type { Tensor } from '../tensor';
import type { DefaultModelRecipe } from './defaultModelRecipe';

export function defaultModelConfigJson(r: DefaultModelRecipe, ids: { eos: number }, torchDtype: string): Record<string, unknown> {
  const m = r.model;
  return {
    architectures: ['LlamaForCausalLM'], model_type: 'llama', vocab_size: r.tokenizer.vocabSize, hidden_size: m.hiddenSize,
    intermediate_size: m.intermediateSize, num_hidden_layers: m.numLayers, num_attention_heads: m.numHeads, num_key_value_heads: m.numKvHeads,
    head_dim: m.headDim, hidden_act: 'silu', max_position_embeddings: m.maxPositions, rms_norm_eps: m.normEps, rope_theta: m.ropeTheta,
    attention_bias: false, mlp_bias: false, tie_word_embeddings: true, bos_token_id: ids.eos, eos_token_id: ids.eos, pad_token_id: ids.eos,
    initializer_range: m.initStd, use_cache: true, torch_dtype: torchDtype,
  };
}

export function initialWeights(r: DefaultModelRecipe): Map<string, Tensor> {
  const m = r.model;
  const rng = new Xoshiro128(r.training.seed);
  const out = new Map<string, Tensor>();
  const normal = (name: string, shape: number[], std: number) => {
    const data = new Float32Array(shape[0]! * (shape[1] ?? 1));
    for (let i = 0; i < data.length; i++) data[i] = std * rng.nextNormal();
    out.set(name, { shape, data });
  };
  const ones = (name: string, n: number) => out.set(name, { shape: [n], data: new Float32Array(n).fill(1) });
  const C = m.hiddenSize;
  const H = m.numHeads * m.headDim;
  const KV = m.numKvHeads * m.headDim;
  const residualStd = m.initStd / Math.sqrt(2 * m.numLayers);
  normal('model.embed_tokens.weight', [r.tokenizer.vocabSize, C], m.initStd);
  for (let l = 0; l < m.numLayers; l++) {
    const p = `model.layers.${l}`;
    ones(`${p}.input_layernorm.weight`, C);
    normal(`${p}.self_attn.q_proj.weight`, [H, C], m.initStd);
    normal(`${p}.self_attn.k_proj.weight`, [KV, C], m.initStd);
    normal(`${p}.self_attn.v_proj.weight`, [KV, C], m.initStd);
    normal(`${p}.self_attn.o_proj.weight`, [C, H], residualStd);
    ones(`${p}.post_attention_layernorm.weight`, C);
    normal(`${p}.mlp.gate_proj.weight`, [m.intermediateSize, C], m.initStd);
    normal(`${p}.mlp.up_proj.weight`, [m.intermediateSize, C], m.initStd);
    normal(`${p}.mlp.down_proj.weight`, [C, m.intermediateSize], residualStd);
  }
  ones('model.norm.weight', C);
  return out;
}

export function parameterCount(r: DefaultModelRecipe): number {
  const m = r.model;
  const H = m.numHeads * m.headDim;
  const KV = m.numKvHeads * m.headDim;
  const layer = 2 * m.hiddenSize + m.hiddenSize * (2 * H + 2 * KV) + 3 * m.hiddenSize * m.intermediateSize;
  return r.tokenizer.vocabSize * m.hiddenSize + m.numLayers * layer + m.hiddenSize;
}

export function writeInitialModel(dir: string, r: DefaultModelRecipe, tokenizer: { tokenizerJson: unknown; tokenizerConfig: unknown }, eosId: number): void {
  mkdirSync(dir, { recursive: true });
  const json = (f: string, v: unknown) => writeFileSyncJson(join(dir, f), v);
  json('config.json', defaultModelConfigJson(r, { eos: eosId }, 'float32'));
  json('generation_config.json', { bos_token_id: eosId, eos_token_id: eosId, pad_token_id: eosId });
  json('tokenizer.json', tokenizer.tokenizerJson);
  json('tokenizer_config.json', tokenizer.tokenizerConfig);
  writeSafetensors(join(dir, 'model.safetensors'), initialWeights(r), { metadata: { format: 'pt' } });
}

function writeFileSyncJson(file: string, v: unknown): void {
  writeFileSync(file, `${JSON.stringify(v, null, 2)}\n`);
}
