// LoRA factors of one linear layer, as PEFT defines them: y = x·Wᵀ + scale · (drop(x)·Aᵀ)·Bᵀ
// with A (r,in) initialised kaiming-uniform-like (bound 1/sqrt(in), what PEFT's
// kaiming_uniform_(a=sqrt(5)) gives) and B (out,r) zero, so a fresh adapter changes nothing.
// scale = alpha/r, or alpha/sqrt(r) with rsLoRA.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "rng.h"  // mix64, hashKey, uniform01

namespace engine {

struct LoraConfig {
  std::vector<std::string> targets;  // module kinds: q,k,v,o,gate,up,down / c_attn,c_proj,c_fc,mlp.c_proj
  int rank = 8;
  float alpha = 16.f;
  bool rslora = false;
  float dropout = 0.f;
  uint64_t seed = 0;
  // Gradient checkpointing by default in forwardBackward: keep only each layer's input and
  // recompute its activations during backward (one extra forward of the layers; same gradients).
  bool gradientCheckpointing = false;
};

struct LoraWeights {
  int in = 0, out = 0, rank = 0;
  float scale = 1.f;
  std::vector<float> A, B;    // A (r,in), B (out,r)
  std::vector<float> dA, dB;  // accumulated gradients, same shapes
};

// Allocates and initialises factors for a layer of shape (out,in); `stream` names the layer so
// every adapter matrix draws its own numbers from the seed.
void loraInit(LoraWeights& w, int in, int out, const LoraConfig& cfg, uint64_t stream);

}  // namespace engine
