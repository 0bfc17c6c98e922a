#include "projection.h"

#include <cmath>

#include "lora.h"
#include "threadpool.h"

namespace engine {

namespace {
// acc[jj] += ±g for the 64 projections of one block; separate accumulators per lane, so the
// compiler vectorises across jj without reordering any sum. Compiled for the baseline and for
// AVX-512, picked at run time (explicit dispatch rather than ifunc target_clones, which
// sanitizer builds cannot run).
#define ENGINE_ACCUMULATE_BODY                                                          \
  for (size_t q = 0; q < n; ++q) {                                                      \
    uint64_t h = hashKey(seed, first + q, blk, 0x9A);                                   \
    double v = g[q];                                                                    \
    for (int jj = 0; jj < 64; ++jj) acc[jj] += v * double(int((h >> jj) & 1) * 2 - 1); \
  }

void accumulateBlockBase(const float* g, size_t n, uint64_t first, uint64_t seed, uint64_t blk, double* acc) {
  ENGINE_ACCUMULATE_BODY
}

#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target("avx512f"))) void accumulateBlockAvx512(const float* g, size_t n, uint64_t first, uint64_t seed, uint64_t blk, double* acc) {
  ENGINE_ACCUMULATE_BODY
}
#endif

void accumulateBlock(const float* g, size_t n, uint64_t first, uint64_t seed, uint64_t blk, double* acc) {
#if defined(__GNUC__) && defined(__x86_64__)
  static const bool avx512 = (__builtin_cpu_init(), __builtin_cpu_supports("avx512f"));
  if (avx512) return accumulateBlockAvx512(g, n, first, seed, blk, acc);
#endif
  accumulateBlockBase(g, n, first, seed, blk, acc);
}
}  // namespace

void randomProject(const std::vector<const std::vector<float>*>& parts, int k, uint64_t seed, float* out) {
  const int blocks = (k + 63) / 64;
  const float scale = 1.f / std::sqrt(float(k));
  pool().run(blocks, [&](int64_t blk, int) {
    double acc[64] = {0};
    uint64_t i = 0;  // index in the concatenated vector
    for (const auto* p : parts) {
      accumulateBlock(p->data(), p->size(), i, seed, uint64_t(blk), acc);
      i += p->size();
    }
    for (int jj = 0; jj < 64; ++jj) {
      int j = int(blk) * 64 + jj;
      if (j < k) out[j] = float(acc[jj]) * scale;
    }
  });
}

}  // namespace engine
