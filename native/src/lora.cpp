#include "lora.h"

#include <cmath>

namespace engine {

void loraInit(LoraWeights& w, int in, int out, const LoraConfig& cfg, uint64_t stream) {
  w.in = in;
  w.out = out;
  w.rank = cfg.rank;
  w.scale = cfg.rslora ? cfg.alpha / std::sqrt(float(cfg.rank)) : cfg.alpha / float(cfg.rank);
  w.A.resize(size_t(cfg.rank) * in);
  w.B.assign(size_t(out) * cfg.rank, 0.f);
  w.dA.assign(w.A.size(), 0.f);
  w.dB.assign(w.B.size(), 0.f);
  const float bound = 1.f / std::sqrt(float(in));
  for (size_t i = 0; i < w.A.size(); ++i) w.A[i] = (2.f * uniform01(hashKey(cfg.seed, stream, i, 0xA)) - 1.f) * bound;
}

}  // namespace engine
