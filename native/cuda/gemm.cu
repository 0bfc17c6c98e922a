// Tiled SGEMM: a 64x64 output tile per block, 16-deep k slices staged in shared memory, each of
// the 256 threads accumulating a 4x4 micro-tile in registers. For the forward c_fc shape
// (1024x3072x768, 4.8 GFLOP) each A/B element is read from global memory N/64 resp. M/64 times,
// ~0.3 GB, far under the bandwidth the ~0.1 ms of FLOPs would need: compute-bound, so the
// register tile is the lever. Slower than cuBLAS; it exists so the backend works without it.
// The bf16 variant (bf16 mode's products with frozen weights) is the same kernel with bf16
// operands widened exactly as they are staged, so it computes f32 sums of exact bf16 products,
// the products cuBLAS's bf16 GEMM (f32 compute) forms.
#include "gemm.cuh"
#include "launch.cuh"

namespace engine {
namespace cuda {

namespace {
constexpr int TM = 64, TN = 64, TK = 16;  // block tile
constexpr int RM = 4, RN = 4;             // per-thread register tile: (64/4)x(64/4) = 256 threads
constexpr int kThreads = (TM / RM) * (TN / RN);
constexpr int kMaxGridZ = 65535;

__device__ __forceinline__ float load(const float* p, size_t i) { return p[i]; }
__device__ __forceinline__ float load(const bf16_t* p, size_t i) { return bf16Widen(p[i]); }

template <class E>
__global__ void gemmTiledKernel(bool transA, bool transB, int M, int N, int K, float alpha, const E* __restrict__ A, int lda,
                                long long strideA, const E* __restrict__ B, int ldb, long long strideB, float beta,
                                float* __restrict__ C, int ldc, long long strideC) {
  __shared__ float As[TK][TM + 1];  // +1: the transposed stores of a row of A hit distinct banks
  __shared__ float Bs[TK][TN];
  A += strideA * blockIdx.z;
  B += strideB * blockIdx.z;
  C += strideC * blockIdx.z;
  const int tx = threadIdx.x % (TN / RN), ty = threadIdx.x / (TN / RN);
  const int i0 = blockIdx.y * TM, j0 = blockIdx.x * TN;
  float acc[RM][RN] = {};
  for (int k0 = 0; k0 < K; k0 += TK) {
    // Each thread loads 4 elements of each tile. The element order follows the operand's storage
    // so consecutive threads read consecutive addresses (coalesced) whether or not it is
    // transposed; out-of-range elements load as 0 so edge tiles need no special case.
    for (int e = threadIdx.x; e < TM * TK; e += kThreads) {
      int r = transA ? e % TM : e / TK, c = transA ? e / TM : e % TK;  // (row of op(A), k)
      int i = i0 + r, k = k0 + c;
      As[c][r] = (i < M && k < K) ? load(A, transA ? (size_t)k * lda + i : (size_t)i * lda + k) : 0.f;
    }
    for (int e = threadIdx.x; e < TK * TN; e += kThreads) {
      int r = transB ? e % TK : e / TN, c = transB ? e / TK : e % TN;  // (k, column of op(B))
      int k = k0 + r, j = j0 + c;
      Bs[r][c] = (k < K && j < N) ? load(B, transB ? (size_t)j * ldb + k : (size_t)k * ldb + j) : 0.f;
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
        float* out = C + (size_t)i * ldc + j;
        *out = beta == 0.f ? alpha * acc[r][c] : beta * *out + alpha * acc[r][c];
      }
    }
}
}  // namespace

namespace {
template <class E>
void gemmTiledImpl(const char* name, bool transA, bool transB, int M, int N, int K, float alpha, const E* A, int lda, long long strideA, const E* B,
                   int ldb, long long strideB, float beta, float* C, int ldc, long long strideC, int count, cudaStream_t stream) {
  if (M == 0 || N == 0 || count == 0) return;
  // grid.z is limited to 65535: larger batches go in chunks.
  for (int z0 = 0; z0 < count; z0 += kMaxGridZ) {
    const int nz = count - z0 < kMaxGridZ ? count - z0 : kMaxGridZ;
    STUDIO_LAUNCH(gemmTiledKernel<E>, dim3(ceilDiv(N, TN), ceilDiv(M, TM), nz), kThreads, stream)
    (transA, transB, M, N, K, alpha, A + strideA * z0, lda, strideA, B + strideB * z0, ldb, strideB, beta, C + strideC * z0, ldc, strideC);
    checkLaunch(name);
  }
}
}  // namespace

void sgemmTiled(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda, long long strideA, const float* B,
                int ldb, long long strideB, float beta, float* C, int ldc, long long strideC, int count, cudaStream_t stream) {
  gemmTiledImpl("sgemmTiled", transA, transB, M, N, K, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, count, stream);
}

void gemmTiledBf16(bool transA, bool transB, int M, int N, int K, float alpha, const bf16_t* A, int lda, const bf16_t* B, int ldb, float beta,
                   float* C, int ldc, cudaStream_t stream) {
  gemmTiledImpl("gemmTiledBf16", transA, transB, M, N, K, alpha, A, lda, 0, B, ldb, 0, beta, C, ldc, 0, 1, stream);
}

}  // namespace cuda
}  // namespace engine
