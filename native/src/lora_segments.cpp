#include "lora_segments.h"

#include <cstring>

#include "gemm.h"
#include "gemm_small.h"
#include "threadpool.h"

namespace engine {

namespace {

// The small-rows path the GEMM driver itself takes for these products (gemm.cpp), so each row
// keeps the arithmetic it has when decoded alone.
SmallPath smallPath() {
  const char* k = gemmKernel();
  if (std::strcmp(k, "avx512") == 0) return SmallPath::Avx512;
  if (std::strcmp(k, "scalar") == 0) return SmallPath::Plain;
  return SmallPath::Fused;
}

struct Piece {
  int row0, rows;
  const LoraWeights* w;
  size_t u;  // offset of its (rows, rank) block in the shared u buffer
};

}  // namespace

// Two parallel regions per linear whatever the number of segments (one per product and segment
// cost a thread-pool dispatch each, which dominated at decode sizes): first every segment's
// u = x·Aᵀ (a task per piece of <= kSmallRowsMax rows), then y += scale·u·Bᵀ split by output
// columns, each task running every piece over its columns. The products are the GEMM driver's
// small-rows kernels on the same operands, so the bits are those of the single-adapter path.
void applyLoraSegments(const std::vector<LoraSegment>& segs, const float* x, int in, int out, float* y, int ldy) {
  std::vector<Piece> pieces;
  size_t uSize = 0;
  for (const LoraSegment& s : segs) {
    if (!s.w || s.rows <= 0) continue;
    for (int r0 = 0; r0 < s.rows; r0 += kSmallRowsMax) {
      const int rows = std::min(kSmallRowsMax, s.rows - r0);
      pieces.push_back({s.row0 + r0, rows, s.w, uSize});
      uSize += size_t(rows) * s.w->rank;
    }
  }
  if (pieces.empty()) return;
  const SmallPath path = smallPath();
  std::vector<float> u(uSize);
  pool().run(int64_t(pieces.size()), [&](int64_t t, int) {
    const Piece& p = pieces[size_t(t)];
    smallTimesBt(path, p.rows, 0, p.w->rank, in, 1.f, x + size_t(p.row0) * in, in, p.w->A.data(), in, false, u.data() + p.u, p.w->rank);
  });
  const int chunk = 256;
  pool().run((out + chunk - 1) / chunk, [&](int64_t t, int) {
    const int j0 = int(t) * chunk, j1 = std::min(out, j0 + chunk);
    for (const Piece& p : pieces)
      smallTimesBt(path, p.rows, j0, j1, p.w->rank, p.w->scale, u.data() + p.u, p.w->rank, p.w->B.data(), p.w->rank, true,
                   y + size_t(p.row0) * ldy, ldy);
  });
}

}  // namespace engine
