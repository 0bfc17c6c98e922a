#include "weightmatrix.h"

#include <algorithm>
#include <stdexcept>

namespace engine {

namespace {

// Shapes the (padded) storage; element (r,c) comes from src[r·rs + c·cs].
WeightMatrix build(const float* src, int rows, int cols, size_t rs, size_t cs, Dtype d) {
  if (rows < 0 || cols < 0) throw std::runtime_error("weight matrix: negative shape");
  WeightMatrix w;
  w.dtype = d;
  w.rows = rows;
  w.cols = cols;
  const size_t n = size_t(w.panels()) * kPanel * cols;  // padded rows stay 0
  if (d == Dtype::F32) w.f32.assign(n, 0.f);
  else w.half.assign(n, 0);
  for (int p = 0; p < w.panels(); ++p) {
    const int valid = std::min(kPanel, rows - p * kPanel);
    for (int c = 0; c < cols; ++c) {
      const size_t dst = (size_t(p) * cols + c) * kPanel;
      for (int q = 0; q < valid; ++q) {
        const float v = src[size_t(p * kPanel + q) * rs + size_t(c) * cs];
        if (d == Dtype::F32) w.f32[dst + q] = v;
        else w.half[dst + q] = d == Dtype::F16 ? floatToHalf(v) : floatToBf16(v);
      }
    }
  }
  return w;
}

}  // namespace

WeightMatrix WeightMatrix::fromRowMajor(const float* src, int rows, int cols, Dtype d) {
  return build(src, rows, cols, size_t(cols), 1, d);
}

WeightMatrix WeightMatrix::fromTransposed(const float* src, int rows, int cols, Dtype d) {
  return build(src, rows, cols, 1, size_t(rows), d);
}

void WeightMatrix::row(int r, float* out) const {
  for (int c = 0; c < cols; ++c) out[c] = at(r, c);
}

std::vector<float> WeightMatrix::toRowMajor() const {
  std::vector<float> o(size_t(rows) * cols);
  for (int r = 0; r < rows; ++r) row(r, o.data() + size_t(r) * cols);
  return o;
}

}  // namespace engine
