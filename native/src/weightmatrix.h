// A frozen weight matrix W (rows,cols) — (out,in) for a linear layer, (V,C) for embeddings and the
// LM head — stored in f32, f16 or bf16 in a layout made for streaming it during decoding:
// panels of 64 rows, k-major inside a panel,
//   element (r,c) at  (r/64)·64·cols + c·64 + r%64,   rows padded with zeros to a multiple of 64.
// One panel row (64 consecutive values) holds 64 outputs' weights at one input index, so a
// product with a few rows (gemv.h) loads, widens and multiply-adds them 16 at a time without any
// shuffle, with four independent FMA chains per row of A, reading the panel as one sequential
// stream; and the blocked GEMM packs its B panels from here by plain copies (gemm.cpp). (Panels
// of 16 rows, four of them read side by side for the same four chains, streamed f16 weights at
// 33-35 GB/s on one core against 42-43 GB/s for one 64-row stream: the hardware prefetchers
// follow one stream better than four 24 KB apart.)
// f16/bf16 storage halves the bytes read per token and the resident memory; values are widened
// exactly, so results equal f32 arithmetic on the stored (rounded) values.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "precision.h"
#include "weight_memory.h"

namespace engine {

constexpr int kPanel = 64;

struct WeightMatrix {
  Dtype dtype = Dtype::F32;
  int rows = 0, cols = 0;
  std::vector<float, WeightAllocator<float>> f32;        // when dtype == F32
  std::vector<uint16_t, WeightAllocator<uint16_t>> half;  // f16 or bf16 bits otherwise

  // From a row-major (rows,cols) f32 array, narrowed to d (round to nearest even).
  static WeightMatrix fromRowMajor(const float* src, int rows, int cols, Dtype d);
  // From the transpose stored row-major, src (cols,rows) (GPT-2's Conv1D [in,out]): each panel
  // row is then 16 contiguous source values.
  static WeightMatrix fromTransposed(const float* src, int rows, int cols, Dtype d);
  bool empty() const { return rows == 0; }
  int panels() const { return (rows + kPanel - 1) / kPanel; }
  const void* data() const { return dtype == Dtype::F32 ? static_cast<const void*>(f32.data()) : half.data(); }
  size_t bytes() const { return f32.size() * 4 + half.size() * 2; }
  static size_t index(int r, int c, int cols) { return (size_t(r / kPanel) * cols + c) * kPanel + r % kPanel; }
  float at(int r, int c) const { return loadAsFloat(data(), dtype, index(r, c, cols)); }
  // Row r widened to f32 (cols values): embedding lookup.
  void row(int r, float* out) const;
  // The whole matrix, row-major f32 (tests, export).
  std::vector<float> toRowMajor() const;
};

}  // namespace engine
