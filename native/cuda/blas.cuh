// Matrix products on the device, row-major like src/gemm.h:
//   C(M,N) = beta*C + alpha * op(A)(M,K) · op(B)(K,N), op(X) = Xᵀ when trans (X stored (K,M)).
// Backed by cuBLAS when its shared library can be loaded at run time (libcublas.so.13/.12,
// looked up with dlopen, so the backend builds and loads without it), else by the tiled kernel
// of gemm.cu. Row-major products are computed as the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ.
#pragma once
#include <cuda_runtime.h>

#include "bf16.cuh"

namespace engine {
namespace cuda {

class Blas {
 public:
  // tf32: let cuBLAS use TF32 tensor cores for f32 products (faster, ~1e-3 relative error).
  explicit Blas(cudaStream_t stream, bool allowCublas = true, bool tf32 = false);
  ~Blas();
  Blas(const Blas&) = delete;
  Blas& operator=(const Blas&) = delete;

  void gemm(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda, const float* B, int ldb, float beta, float* C, int ldc);
  // count products with strides between consecutive A, B, C matrices (0 allowed: shared operand).
  void gemmBatched(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda, long long strideA, const float* B, int ldb,
                   long long strideB, float beta, float* C, int ldc, long long strideC, int count);
  // The same product with bf16 operands (bf16 mode): exact products of the bf16 values summed in
  // f32, C f32 (cublasGemmEx with CUDA_R_16BF A/B, CUDA_R_32F C, CUBLAS_COMPUTE_32F; else the
  // tiled kernel's bf16 variant).
  void gemmBf16(bool transA, bool transB, int M, int N, int K, float alpha, const bf16_t* A, int lda, const bf16_t* B, int ldb, float beta,
                float* C, int ldc);
  // "cublas <version>" or "tiled kernel (<why cuBLAS is not used>)".
  const char* describe() const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace cuda
}  // namespace engine
