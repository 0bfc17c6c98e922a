#include "lora_segments.h"

#include "gemm.h"

namespace engine {

void applyLoraSegments(const std::vector<LoraSegment>& segs, const float* x, int in, int out, float* y, int ldy) {
  std::vector<float> u;
  for (const LoraSegment& s : segs) {
    if (!s.w || s.rows <= 0) continue;
    const LoraWeights& w = *s.w;
    u.assign(size_t(s.rows) * w.rank, 0.f);
    const float* xs = x + size_t(s.row0) * in;
    float* ys = y + size_t(s.row0) * ldy;
    sgemm(false, true, s.rows, w.rank, in, 1.f, xs, in, w.A.data(), in, 0.f, u.data(), w.rank);
    sgemm(false, true, s.rows, out, w.rank, w.scale, u.data(), w.rank, w.B.data(), w.rank, 1.f, ys, ldy);
  }
}

}  // namespace engine
