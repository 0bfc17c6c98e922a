// The attention pieces of ops.cuh: the fused decoding kernel (one block per (sequence, head,
// query) with an online softmax over the KV cache, so any number of keys works), and the softmax
// of GEMM-based attention (prefill, training: cuda_model computes the products with Blas):
// causalSoftmax and softmaxBackward, one block per row of the (B,H,T,Tk) probabilities.
#include <cmath>
#include <string>

#include "ops.cuh"
#include "ops_common.cuh"

namespace engine {
namespace cuda {

using namespace ops_detail;

namespace {

constexpr int kMaxHeadDim = 256;   // attention: a head's vector lives in registers, 8 per lane
constexpr int kDPerLane = kMaxHeadDim / 32;
constexpr int kAttnThreads = 256;  // attention forward: 8 warps take keys round-robin
constexpr int kAttnWarps = kAttnThreads / 32;

// Loads a head vector (D <= kMaxHeadDim) into registers: lane holds elements lane + 32·i.
__device__ void loadHead(const float* v, int D, float (&r)[kDPerLane]) {
  const int lane = threadIdx.x % 32;
#pragma unroll
  for (int i = 0; i < kDPerLane; ++i) r[i] = lane + 32 * i < D ? v[lane + 32 * i] : 0.f;
}
// Dot product of a register-held head vector with v, summed over the warp (all lanes get it).
__device__ float warpDot(const float (&r)[kDPerLane], const float* v, int D) {
  const int lane = threadIdx.x % 32;
  float s = 0.f;
#pragma unroll
  for (int i = 0; i < kDPerLane; ++i)
    if (lane + 32 * i < D) s += r[i] * v[lane + 32 * i];
  return warpSum(s);
}

// One block per (b, h, t). Real queries attend to keys [off, self] (off = left padding, self =
// the query's own slot), each warp taking every kAttnWarps-th key with a running max/sum/output
// (online softmax); the warps' partial results are then rescaled to the common max and summed in
// warp order. A padding query (self < off) attends only to itself.
__global__ void attentionForwardKernel(const float* __restrict__ q, int ldq, const float* __restrict__ K, const float* __restrict__ V,
                                       int cap, int H, int KV, int D, int T, int pos0, float scale, float* __restrict__ y,
                                       const int* __restrict__ pad) {
  __shared__ float warpMaxS[kAttnWarps], warpSumS[kAttnWarps];
  __shared__ float warpOut[kAttnWarps][kMaxHeadDim];
  const int t = int(blockIdx.x % T), h = int(blockIdx.x / T % H), b = int(blockIdx.x / T / H);
  const int kvh = h / (H / KV), self = pos0 + t;
  const int off = pad ? pad[b] : 0;
  const float* Kb = K + (int64_t(b) * KV + kvh) * cap * D;
  const float* Vb = V + (int64_t(b) * KV + kvh) * cap * D;
  float* yr = y + (int64_t(b) * T + t) * H * D + int64_t(h) * D;
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;

  if (self < off) {  // the whole block takes the same branch: no barrier is skipped by part of it
    for (int d = threadIdx.x; d < D; d += blockDim.x) yr[d] = Vb[int64_t(self) * D + d];
  } else {
    float qr[kDPerLane], acc[kDPerLane] = {};
    loadHead(q + (int64_t(b) * T + t) * ldq + int64_t(h) * D, D, qr);
    float m = -INFINITY, l = 0.f;
    for (int j = off + warp; j <= self; j += kAttnWarps) {  // bounds are uniform over the warp
      const float s = warpDot(qr, Kb + int64_t(j) * D, D) * scale;
      const float mNew = fmaxf(m, s), c = expf(m - mNew), p = expf(s - mNew);
      l = l * c + p;
      const float* vr = Vb + int64_t(j) * D;
#pragma unroll
      for (int i = 0; i < kDPerLane; ++i)
        if (lane + 32 * i < D) acc[i] = acc[i] * c + p * vr[lane + 32 * i];
      m = mNew;
    }
    if (lane == 0) {
      warpMaxS[warp] = m;
      warpSumS[warp] = l;
    }
#pragma unroll
    for (int i = 0; i < kDPerLane; ++i)
      if (lane + 32 * i < D) warpOut[warp][lane + 32 * i] = acc[i];
    __syncthreads();
    // The query's own key is always valid, so M is finite; warps that saw no key have m = -inf
    // and l = 0 and contribute nothing.
    float M = warpMaxS[0];
    for (int w = 1; w < kAttnWarps; ++w) M = fmaxf(M, warpMaxS[w]);
    float L = 0.f, f[kAttnWarps];
    for (int w = 0; w < kAttnWarps; ++w) {
      f[w] = expf(warpMaxS[w] - M);
      L += warpSumS[w] * f[w];
    }
    for (int d = threadIdx.x; d < D; d += blockDim.x) {
      float s = 0.f;
      for (int w = 0; w < kAttnWarps; ++w) s += warpOut[w][d] * f[w];
      yr[d] = s / L;
    }
  }
}

// The keys [lo, hi] query row `row` of (B,H,T) sees among Tk = pos0 + T: hi is its own slot
// pos0 + t, lo its sequence's left padding; a padding query (hi < pad) sees only itself.
__device__ void softmaxKeys(int64_t row, int H, int T, int pos0, const int* pad, int& lo, int& hi) {
  const int t = int(row % T), b = int(row / T / H);
  const int off = pad ? pad[b] : 0;
  hi = pos0 + t;
  lo = hi < off ? hi : off;
}

// One block per row: P[lo..hi] = softmax of the scores there, every other entry exactly 0 (so a
// padding query's row is exactly one-hot: exp(0) / 1).
__global__ void causalSoftmaxKernel(float* __restrict__ P, int H, int T, int pos0, const int* __restrict__ pad) {
  __shared__ float red[32];
  const int64_t row = blockIdx.x;
  const int Tk = pos0 + T;
  int lo, hi;
  softmaxKeys(row, H, T, pos0, pad, lo, hi);
  float* p = P + row * Tk;
  float mx = -INFINITY;
  for (int j = lo + threadIdx.x; j <= hi; j += blockDim.x) mx = fmaxf(mx, p[j]);
  mx = blockMax(mx, red);
  float sum = 0.f;
  for (int j = lo + threadIdx.x; j <= hi; j += blockDim.x) sum += expf(p[j] - mx);
  // blockSum's trailing barrier: every score has been read before any is overwritten below.
  const float inv = 1.f / blockSum(sum, red);
  for (int j = threadIdx.x; j < Tk; j += blockDim.x) p[j] = j >= lo && j <= hi ? expf(p[j] - mx) * inv : 0.f;
}

// One block per row: dS = P ⊙ (dP - Σ_j P·dP) over the row's keys [lo, hi], 0 elsewhere; dP
// becomes dS in place.
__global__ void softmaxBackwardKernel(const float* __restrict__ P, float* __restrict__ dP, int H, int T, int pos0, const int* __restrict__ pad) {
  __shared__ float red[32];
  const int64_t row = blockIdx.x;
  const int Tk = pos0 + T;
  int lo, hi;
  softmaxKeys(row, H, T, pos0, pad, lo, hi);
  const float* p = P + row * Tk;
  float* d = dP + row * Tk;
  float dot = 0.f;
  for (int j = lo + threadIdx.x; j <= hi; j += blockDim.x) dot += p[j] * d[j];
  dot = blockSum(dot, red);  // its trailing barrier orders the reads above before the writes below
  for (int j = threadIdx.x; j < Tk; j += blockDim.x) d[j] = j >= lo && j <= hi ? p[j] * (d[j] - dot) : 0.f;
}

}  // namespace

namespace {
void checkAttention(const char* fn, int ldq, int B, int H, int KV, int D, int T) {
  require(B >= 0, fn, "B", B);
  require(H > 0, fn, "H", H);
  require(KV > 0 && H % KV == 0, fn, "KV (must divide H)", KV);
  require(D > 0 && D <= kMaxHeadDim, fn, "D (head dimension, at most 256)", D);
  require(T >= 0, fn, "T", T);
  require(ldq >= H * D, fn, "ldq", ldq);
  require((long long)B * H * T <= 0x7fffffffLL, fn, "B*H*T (blocks)", (long long)B * H * T);
}
}  // namespace

void attentionForward(const float* q, int ldq, const float* K, const float* V, int cap, int B, int H, int KV, int D, int T, int pos0,
                      float* y, const int* pad, cudaStream_t s) {
  checkAttention("attentionForward", ldq, B, H, KV, D, T);
  require(pos0 >= 0 && pos0 + T <= cap, "attentionForward", "pos0 + T (cache capacity " + std::to_string(cap) + ")", (long long)pos0 + T);
  if (B == 0 || T == 0) return;
  STUDIO_LAUNCH(attentionForwardKernel, B * H * T, kAttnThreads, s)(q, ldq, K, V, cap, H, KV, D, T, pos0, 1.f / std::sqrt(float(D)), y, pad);
  checkLaunch("attentionForward");
}

namespace {
void checkSoftmax(const char* fn, int B, int H, int T, int pos0) {
  require(B >= 0, fn, "B", B);
  require(H > 0, fn, "H", H);
  require(T >= 0, fn, "T", T);
  require(pos0 >= 0, fn, "pos0", pos0);
  require((long long)B * H * T <= 0x7fffffffLL, fn, "B*H*T (blocks)", (long long)B * H * T);
}
}  // namespace

void causalSoftmax(float* P, int B, int H, int T, int pos0, const int* pad, cudaStream_t s) {
  checkSoftmax("causalSoftmax", B, H, T, pos0);
  if (B == 0 || T == 0) return;
  requirePtr(P, "causalSoftmax", "P");
  STUDIO_LAUNCH(causalSoftmaxKernel, B * H * T, kRowThreads, s)(P, H, T, pos0, pad);
  checkLaunch("causalSoftmax");
}

void softmaxBackward(const float* P, float* dP, int B, int H, int T, int pos0, const int* pad, cudaStream_t s) {
  checkSoftmax("softmaxBackward", B, H, T, pos0);
  if (B == 0 || T == 0) return;
  requirePtr(P, "softmaxBackward", "P");
  requirePtr(dP, "softmaxBackward", "dP");
  STUDIO_LAUNCH(softmaxBackwardKernel, B * H * T, kRowThreads, s)(P, dP, H, T, pos0, pad);
  checkLaunch("softmaxBackward");
}

}  // namespace cuda
}  // namespace engine
