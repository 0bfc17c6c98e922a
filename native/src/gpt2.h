// GPT-2 weight mapping (Hugging Face names, optionally prefixed "transformer."):
//   wte.weight (V,C), wpe.weight (P,C), h.{i}.ln_1.{weight,bias}, h.{i}.attn.c_attn.{weight (C,3C), bias},
//   h.{i}.attn.c_proj (C,C), h.{i}.ln_2, h.{i}.mlp.c_fc (C,I), h.{i}.mlp.c_proj (I,C), ln_f.
// Conv1D stores weights [in,out]; the engine keeps every weight (out,in), so they are transposed
// here. The LM head is tied to wte (GPT-2 always ties; a separate lm_head.weight is used if the spec
// says untied).
#pragma once
#include "model.h"
