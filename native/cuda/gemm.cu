#include "gemm.cuh"

namespace engine {
namespace cuda {

namespace {
constexpr int TM = 64, TN = 64, TK = 16;  // block tile
constexpr int RM = 4, RN = 4;             // per-thread register tile: 16x16 = 256 threads

__device__ __forceinline__ float loadA(bool t, const float* A, int lda, int i, int k, int M, int K) {
  if (i >= M || k >= K) return 0.f;
  return t ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
}
__device__ __forceinline__ float loadB(bool t, const float* B, int ldb, int k, int j, int K, int N) {
  if (k >= K || j >= N) return 0.f;
  return t ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j];
}

__global__ void sgemmTiled(bool transA, bool transB, int M, int N, int K, float alpha, const float* __restrict__ A, int lda,
                           const float* __restrict__ B, int ldb, float beta, float* __restrict__ C, int ldc) {
  __shared__ float As[TK][TM + 1];  // +1 avoids bank conflicts on the transposed store
  __shared__ float Bs[TK][TN];
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  const int i0 = blockIdx.y * TM, j0 = blockIdx.x * TN;
  float acc[RM][RN] = {};
  for (int k0 = 0; k0 < K; k0 += TK) {
    // 256 threads load 64x16 of A and 16x64 of B: 4 elements each
    for (int e = threadIdx.x; e < TM * TK; e += blockDim.x) {
      int r = e / TK, c = e % TK;
      As[c][r] = loadA(transA, A, lda, i0 + r, k0 + c, M, K);
      int br = e / TN, bc = e % TN;
      Bs[br][bc] = loadB(transB, B, ldb, k0 + br, j0 + bc, K, N);
    }
    __syncthreads();
#pragma unroll
    for (int k = 0; k < TK; ++k) {
      float a[RM], b[RN];
#pragma unroll
      for (int r = 0; r < RM; ++r) a[r] = As[k][ty * RM + r];
#pragma unroll
      for (int c = 0; c < RN; ++c) b[c] = Bs[k][tx * RN + c];
#pragma unroll
      for (int r = 0; r < RM; ++r)
#pragma unroll
        for (int c = 0; c < RN; ++c) acc[r][c] = fmaf(a[r], b[c], acc[r][c]);
    }
    __syncthreads();
  }
#pragma unroll
  for (int r = 0; r < RM; ++r)
#pragma unroll
    for (int c = 0; c < RN; ++c) {
      int i = i0 + ty * RM + r, j = j0 + tx * RN + c;
      if (i < M && j < N) {
        float prev = beta == 0.f ? 0.f : beta * C[(size_t)i * ldc + j];
        C[(size_t)i * ldc + j] = prev + alpha * acc[r][c];
      }
    }
}
}  // namespace

void sgemm(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc, cudaStream_t stream) {
  dim3 grid((N + TN - 1) / TN, (M + TM - 1) / TM);
  sgemmTiled<<<grid, 256, 0, stream>>>(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void cpuGemmReference(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
                      const float* B, int ldb, float beta, float* C, int ldc) {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      double s = 0;
      for (int k = 0; k < K; ++k)
        s += double(transA ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k]) * double(transB ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j]);
      float prev = beta == 0.f ? 0.f : beta * C[(size_t)i * ldc + j];
      C[(size_t)i * ldc + j] = prev + alpha * float(s);
    }
}

}  // namespace cuda
}  // namespace engine
