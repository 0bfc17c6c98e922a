// AdamW as torch.optim.AdamW computes it: bias-corrected moments and decoupled weight decay
// (p *= 1 - lr*wd before the Adam update). Gradients are clipped to a global L2 norm first.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace engine {

struct AdamWOptions {
  float lr = 1e-4f;
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
  float weightDecay = 0.f;
  float maxGradNorm = 0.f;  // 0: no clipping
};

struct ParamRef {
  float* p;
  float* g;
  size_t n;
};

struct AdamWState {
  int64_t step = 0;
  std::vector<std::vector<float>> m, v;  // one per parameter, in parameter order
};

// Global L2 norm of the gradients, summed in parameter order (deterministic).
double gradNorm(const std::vector<ParamRef>& params);

// One update; returns the gradient norm before clipping. Throws on a non-finite norm.
// Gradients are left untouched (the caller zeroes them).
double adamwStep(const std::vector<ParamRef>& params, AdamWState& st, const AdamWOptions& o);

}  // namespace engine
