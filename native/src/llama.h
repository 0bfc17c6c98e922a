// Llama-family weight mapping (Llama 2/3, SmolLM, Qwen2, Mistral-style names):
//   model.embed_tokens.weight (V,C), model.layers.{i}.input_layernorm.weight (C),
//   model.layers.{i}.self_attn.{q,k,v,o}_proj.weight (nn.Linear (out,in)), q/k/v biases when
//   attentionBias (Qwen2), post_attention_layernorm, mlp.{gate,up,down}_proj, model.norm.weight,
//   lm_head.weight unless the embeddings are tied (SmolLM).
#pragma once
#include "model.h"
