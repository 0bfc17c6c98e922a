// Single-precision GEMM: C(M,N) = beta*C + alpha * op(A)(M,K) · op(B)(K,N), row-major.
// op(A) is A (M,K) with leading dimension lda, or Aᵀ when transA (A stored (K,M)); same for B.
//
// The three shapes of LoRA training all go through here:
//   forward      Y(N,out)  = X(N,in) · Wᵀ        (W stored (out,in): transB)
//   input grad   dX(N,in)  = dY(N,out) · W
//   LoRA grads   dA(r,in)  = dUᵀ(r,N) · X(N,in)  (transA), dB(out,r) = dYᵀ · U
//
// Fast path: panels of A and B are packed into contiguous blocks sized for the caches, and a
// register-blocked micro-kernel (AVX-512 8x32 or AVX2+FMA 6x16, picked at run time from what the
// CPU reports; a portable scalar 4x4 otherwise) runs on them. Each C element is summed over k in
// the same order whatever the thread count or the matrix size, so results are deterministic and a
// row computed alone (decoding one token) equals the same row computed in a batch.
#pragma once
#include "weightmatrix.h"

namespace engine {

// Depth of a k block: each output sums its products in chains of this many (see gemv.h).
constexpr int kGemmKC = 256;

void sgemm(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc);

// The same with B a frozen weight (weightmatrix.h, f32/f16/bf16 panels): op(B) = Wᵀ with W (N,K)
// when transB (forward, Y = X·Wᵀ), else W with W (K,N) (input gradient, dX = dY·W). Values are
// widened exactly while packing, or streamed once for at most kGemvMaxRows rows (gemv.h), so the
// result equals sgemm on the widened row-major values, bit for bit.
void sgemmW(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
            const WeightMatrix& W, float beta, float* C, int ldc);

// The obvious triple loop, for tests.
void sgemmReference(bool transA, bool transB, int M, int N, int K, float alpha, const float* A,
                    int lda, const float* B, int ldb, float beta, float* C, int ldc);

// "avx512", "avx2" or "scalar": the kernel sgemm uses now.
const char* gemmKernel();
// Forces a kernel (tests compare them); returns false when the CPU lacks it. "auto" restores.
bool setGemmKernel(const char* name);

// Peak fp32 FMA rate of this machine: a register-only FMA loop on `threads` threads for
// about `seconds`, in GFLOP/s (2 FLOPs per lane per FMA).
double measurePeakGflops(int threads, double seconds);

}  // namespace engine
