// CUDA SGEMM for the engine's three training shapes, row-major like the CPU gemm.h:
// C(M,N) = beta*C + alpha * op(A)(M,K) · op(B)(K,N).
// Variant 1: 64x64 output tile per block, 16-deep k slices staged in shared memory, each thread
// accumulating a 4x4 micro-tile in registers. Napkin math for the forward c_fc shape
// (1024x3072x768, 4.8 GFLOP): each A/B element is read from global memory N/64 resp. M/64 times,
// ~0.3 GB total, far under an H100's bandwidth for the ~0.1 ms the FLOPs need at 50 TFLOP/s:
// compute-bound, so the register tile size is the lever. Checked against cpuGemmReference.
#pragma once
#include <cuda_runtime.h>

namespace engine {
namespace cuda {

void sgemm(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc, cudaStream_t stream);

// The obvious loop on the host, for validation.
void cpuGemmReference(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
                      const float* B, int ldb, float beta, float* C, int ldc);

}  // namespace cuda
}  // namespace engine
