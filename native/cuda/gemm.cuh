// The backend's own SGEMM kernel: what Blas (blas.cuh) runs when cuBLAS cannot be loaded or the
// caller asks for it. Row-major like the CPU gemm.h, batched over `count` products whose operands
// are `stride*` floats apart (0: shared operand):
//   C_z(M,N) = beta*C_z + alpha * op(A_z)(M,K) · op(B_z)(K,N),  z in [0, count).
// Any M, N, K >= 0, leading dimensions and transposes; beta == 0 overwrites C without reading it
// (as cuBLAS does, so NaNs in an uninitialised C do not leak).
#pragma once
#include <cuda_runtime.h>

#include "bf16.cuh"

namespace engine {
namespace cuda {

void sgemmTiled(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda, long long strideA, const float* B,
                int ldb, long long strideB, float beta, float* C, int ldc, long long strideC, int count, cudaStream_t stream);
// The same product (one, not batched) with bf16 operands widened exactly on load, f32 sums and C.
void gemmTiledBf16(bool transA, bool transB, int M, int N, int K, float alpha, const bf16_t* A, int lda, const bf16_t* B, int ldb, float beta,
                   float* C, int ldc, cudaStream_t stream);

}  // namespace cuda
}  // namespace engine
