// Products of a few rows (M <= kSmallRowsMax) with a plain row-major matrix, without packing:
// attention over the KV cache while decoding. Scores: C = alpha·A·Bᵀ with B (N,K) the keys;
// values: C = alpha·A·B with B (K,N). Only columns [j0, j1) of C are written (the caller splits
// the work); `scaled`: C already holds beta·C, so the first k-block adds to it.
//
// Arithmetic: per output, exactly what the GEMM micro-kernels do (gemm.h): one multiply-add chain
// over k in order inside each block of kGemmKC, then C = alpha·acc (or C += alpha·acc for later
// blocks), fused on the Fused and Avx512 paths, plain on the Plain one (the scalar kernel's). So a
// token decoded alone is bit-identical to the same token inside a batched prefill.
#pragma once

namespace engine {

constexpr int kSmallRowsMax = 4;

// Follows the GEMM kernel in use (gemm.cpp picks it), so the tests that force a kernel cover each.
enum class SmallPath { Plain, Fused, Avx512 };

void smallTimesBt(SmallPath path, int M, int j0, int j1, int K, float alpha, const float* A, int lda, const float* B, int ldb, bool scaled,
                  float* C, int ldc);
void smallTimesB(SmallPath path, int M, int j0, int j1, int K, float alpha, const float* A, int lda, const float* B, int ldb, bool scaled,
                 float* C, int ldc);

}  // namespace engine
