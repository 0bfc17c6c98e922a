// Tiny GPT-2 and Llama-family weights built in memory (Hugging Face tensor names, random normal
// values, norms around 1), for the C++ test programs: fuzz/model_smoke.cpp (the engine under
// sanitizers), cuda/test/model_test.cpp (the CUDA backend against the CPU engine) and the CUDA
// backend's self-check before it takes a model (device_self_test.cpp).
#pragma once
#include <map>
#include <random>
#include <string>
#include <vector>

#include "model.h"

namespace engine {
namespace testing {

inline void putRandom(std::mt19937& rng, std::map<std::string, Tensor>& t, const std::string& name, std::vector<int64_t> shape, float mean,
                      float stddev) {
  std::normal_distribution<float> nd(0.f, stddev);
  Tensor x;
  x.shape = shape;
  size_t n = 1;
  for (auto s : shape) n *= size_t(s);
  x.data.resize(n);
  for (auto& v : x.data) v = mean + nd(rng);
  t[name] = std::move(x);
}

// stddev 0.2 makes tiny models' outputs vary strongly with their input; 0.02 (GPT-2's init) keeps
// full-size shapes well scaled.
inline std::map<std::string, Tensor> tinyWeights(std::mt19937& rng, const ModelSpec& s, float stddev = 0.2f) {
  std::map<std::string, Tensor> t;
  auto put = [&](const std::string& name, std::vector<int64_t> shape, float mean = 0.f) { putRandom(rng, t, name, std::move(shape), mean, stddev); };
  const int C = s.hiddenSize, I = s.intermediateSize, V = s.vocabSize;
  if (s.arch == Arch::Gpt2) {
    put("transformer.wte.weight", {V, C});
    put("transformer.wpe.weight", {s.maxPositions, C});
    for (int l = 0; l < s.numLayers; ++l) {
      std::string h = "transformer.h." + std::to_string(l) + ".";
      put(h + "ln_1.weight", {C}, 1.f); put(h + "ln_1.bias", {C});
      put(h + "attn.c_attn.weight", {C, 3 * C}); put(h + "attn.c_attn.bias", {3 * C});
      put(h + "attn.c_proj.weight", {C, C}); put(h + "attn.c_proj.bias", {C});
      put(h + "ln_2.weight", {C}, 1.f); put(h + "ln_2.bias", {C});
      put(h + "mlp.c_fc.weight", {C, I}); put(h + "mlp.c_fc.bias", {I});
      put(h + "mlp.c_proj.weight", {I, C}); put(h + "mlp.c_proj.bias", {C});
    }
    put("transformer.ln_f.weight", {C}, 1.f); put("transformer.ln_f.bias", {C});
  } else {
    const int HD = s.numHeads * s.headDim, KVD = s.numKvHeads * s.headDim;
    put("model.embed_tokens.weight", {V, C});
    for (int l = 0; l < s.numLayers; ++l) {
      std::string p = "model.layers." + std::to_string(l) + ".";
      put(p + "input_layernorm.weight", {C}, 1.f); put(p + "post_attention_layernorm.weight", {C}, 1.f);
      put(p + "self_attn.q_proj.weight", {HD, C}); put(p + "self_attn.q_proj.bias", {HD});
      put(p + "self_attn.k_proj.weight", {KVD, C}); put(p + "self_attn.k_proj.bias", {KVD});
      put(p + "self_attn.v_proj.weight", {KVD, C}); put(p + "self_attn.v_proj.bias", {KVD});
      put(p + "self_attn.o_proj.weight", {C, HD});
      put(p + "mlp.gate_proj.weight", {I, C}); put(p + "mlp.up_proj.weight", {I, C}); put(p + "mlp.down_proj.weight", {C, I});
    }
    put("model.norm.weight", {C}, 1.f);
    put("lm_head.weight", {V, C});
  }
  return t;
}

}  // namespace testing
}  // namespace engine
