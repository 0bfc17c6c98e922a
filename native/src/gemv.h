// Products of a few rows with a frozen weight (decoding: one row per sequence):
//   C(M,N) = alpha · A(M,K) · Wᵀ  (+ C when accumulate),  W a WeightMatrix (N,K), M <= kGemvMaxRows.
//
// Memory-bound: each weight value is read once per call, so the time is the weight's bytes over
// the memory bandwidth (0.5 GB per GPT-2-124M token in f32, half that in f16/bf16). Packing the
// weight as the blocked GEMM does would triple that traffic. The panel layout (weightmatrix.h)
// gives 64 outputs' weights at one k contiguously: four loads of 16, widen, one FMA each per row
// of A, and the whole panel is one sequential stream.
//
// Arithmetic: per output, exactly what the GEMM micro-kernels do (gemm.h): one multiply-add chain
// over k in order inside each block of kGemmKC, starting from 0, then C = alpha·acc for the first
// block (without accumulate) and C += alpha·acc for the others. Chains are fused (FMA) except
// on the Plain path (the scalar kernel's arithmetic). So a row decoded alone is bit-identical to the same row
// inside a batched product, for any thread count.
#pragma once
#include "weightmatrix.h"

namespace engine {

constexpr int kGemvMaxRows = 4;

// Which implementation runs, following the GEMM kernel in use (so tests forcing a kernel cover
// each): Avx512 (F), Avx2 (AVX2 + FMA + F16C: two 8-wide halves per 16 values), Fused (portable
// loop with fmaf), Plain (portable, unfused: the scalar kernel's arithmetic).
enum class GemvPath { Plain, Fused, Avx2, Avx512 };
GemvPath gemvPathFor(const char* gemmKernelName);

// Outputs of panels [p0,p1) only (rows kPanel·p0 .. min(kPanel·p1, N)); the caller splits the work.
void gemvPanels(int M, int p0, int p1, float alpha, const float* A, int lda, const WeightMatrix& W, bool accumulate,
                float* C, int ldc, GemvPath path);

}  // namespace engine
