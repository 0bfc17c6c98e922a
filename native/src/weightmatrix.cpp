#include "weightmatrix.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <new>
#include <stdexcept>

namespace engine {

namespace {

constexpr size_t kHugePage = size_t(2) << 20;
std::atomic<bool> hugePages{true};

}  // namespace

void setWeightHugePages(bool on) { hugePages.store(on); }
bool weightHugePages() { return hugePages.load(); }

#if defined(__linux__)
// >= 2 MiB: a private anonymous mapping starting on a 2 MiB boundary (over-mapped by 2 MiB, the
// unaligned head and tail unmapped again), so every whole 2 MiB of it can be one huge page; the
// advice is given before the matrix is written, when the pages are first faulted in. Whether a
// block came from here is decided by its size alone, so freeing never depends on the mode.
void* allocWeightBytes(size_t bytes) {
  if (bytes < kHugePage) return ::operator new(bytes);
  const size_t len = (bytes + 4095) & ~size_t(4095);
  void* m = ::mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t start = uintptr_t(m), aligned = (start + kHugePage - 1) & ~uintptr_t(kHugePage - 1);
  if (aligned > start) ::munmap(m, aligned - start);
  const uintptr_t end = start + len + kHugePage, used = aligned + len;
  if (end > used) ::munmap(reinterpret_cast<void*>(used), end - used);
  if (hugePages.load()) ::madvise(reinterpret_cast<void*>(aligned), len, MADV_HUGEPAGE);  // advice: failure leaves 4 KiB pages
  return reinterpret_cast<void*>(aligned);
}

void freeWeightBytes(void* p, size_t bytes) {
  if (!p) return;
  if (bytes < kHugePage) return ::operator delete(p);
  ::munmap(p, (bytes + 4095) & ~size_t(4095));
}
#else
void* allocWeightBytes(size_t bytes) { return ::operator new(bytes); }
void freeWeightBytes(void* p, size_t) { ::operator delete(p); }
#endif

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
