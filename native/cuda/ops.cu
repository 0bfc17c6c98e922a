// Device versions of the CPU engine's row-wise kernels (ops.cuh) but attention (ops_attention.cu).
// Each kernel follows its CPU counterpart's arithmetic (same sums in double where the CPU uses
// double, same float expressions) so results agree to f32 rounding of differently ordered sums;
// dropout draws the CPU's bits exactly (rng.h).
//
// Shapes of parallelism:
//   - row kernels (norms, cross-entropy): one block of kRowThreads per row; each thread strides
//     over the row (coalesced), partial sums meet through warp shuffles and one shared slot per
//     warp, combined in warp order: the same bits every run (ops_common.cuh).
//   - elementwise kernels: grid-stride loops over a capped grid.
#include "ops.cuh"

#include <cmath>
#include <stdexcept>
#include <string>

#include "launch.cuh"
#include "ops_common.cuh"
#include "rng.h"

namespace engine {
namespace cuda {

using namespace ops_detail;

namespace {

constexpr int kSumBlocks = kSumSquaresScratch;  // addSumSquares first stage: fixed, so the sum order is too
constexpr float kGeluC = 0.7978845608028654f;  // sqrt(2/pi)

// ---- norms -------------------------------------------------------------------------------------

__global__ void layerNormForwardKernel(const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b, float eps,
                                       int C, float* __restrict__ out, float* __restrict__ mean, float* __restrict__ rstd) {
  __shared__ double red[32];
  const int64_t row = blockIdx.x;
  const float* xr = x + row * C;
  double s = 0;
  for (int i = threadIdx.x; i < C; i += blockDim.x) s += xr[i];
  const double m = blockSum(s, red) / C;
  double v = 0;
  for (int i = threadIdx.x; i < C; i += blockDim.x) v += (xr[i] - m) * (xr[i] - m);
  v = blockSum(v, red) / C;
  const float rs = float(1.0 / sqrt(v + eps)), mf = float(m);
  float* o = out + row * C;
  for (int i = threadIdx.x; i < C; i += blockDim.x) o[i] = (xr[i] - mf) * rs * w[i] + (b ? b[i] : 0.f);
  if (threadIdx.x == 0) {
    if (mean) mean[row] = mf;
    if (rstd) rstd[row] = rs;
  }
}

__global__ void layerNormBackwardKernel(const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ mean,
                                        const float* __restrict__ rstd, const float* __restrict__ dout, int C, float* __restrict__ dx) {
  __shared__ double red[32];
  const int64_t row = blockIdx.x;
  const float* xr = x + row * C;
  const float* dy = dout + row * C;
  const float m = mean[row], s = rstd[row];
  double sg = 0, sgx = 0;  // Σ g and Σ g·xhat, g = dy·w
  for (int i = threadIdx.x; i < C; i += blockDim.x) {
    float g = dy[i] * w[i];
    sg += g;
    sgx += double(g) * (xr[i] - m) * s;
  }
  const float mg = float(blockSum(sg, red) / C), mgx = float(blockSum(sgx, red) / C);
  float* d = dx + row * C;
  for (int i = threadIdx.x; i < C; i += blockDim.x) {
    float xh = (xr[i] - m) * s;
    d[i] += s * (dy[i] * w[i] - mg - xh * mgx);
  }
}

__global__ void rmsNormForwardKernel(const float* __restrict__ x, const float* __restrict__ w, float eps, int C, float* __restrict__ out,
                                     float* __restrict__ rstd) {
  __shared__ double red[32];
  const int64_t row = blockIdx.x;
  const float* xr = x + row * C;
  double ss = 0;
  for (int i = threadIdx.x; i < C; i += blockDim.x) ss += double(xr[i]) * xr[i];
  const float s = float(1.0 / sqrt(blockSum(ss, red) / C + eps));
  float* o = out + row * C;
  for (int i = threadIdx.x; i < C; i += blockDim.x) o[i] = xr[i] * s * w[i];
  if (threadIdx.x == 0 && rstd) rstd[row] = s;
}

__global__ void rmsNormBackwardKernel(const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ rstd,
                                      const float* __restrict__ dout, int C, float* __restrict__ dx) {
  __shared__ double red[32];
  const int64_t row = blockIdx.x;
  const float* xr = x + row * C;
  const float* dy = dout + row * C;
  const float s = rstd[row];
  double sgx = 0;
  for (int i = threadIdx.x; i < C; i += blockDim.x) sgx += double(dy[i]) * w[i] * xr[i];
  // d/dx of x·s·w: s·g - x·s³·mean(g·x)
  const float k = float(blockSum(sgx, red) / C) * s * s * s;
  float* d = dx + row * C;
  for (int i = threadIdx.x; i < C; i += blockDim.x) d[i] += s * dy[i] * w[i] - xr[i] * k;
}

// ---- activations -------------------------------------------------------------------------------

__global__ void geluForwardKernel(const float* __restrict__ x, int64_t n, float* __restrict__ out) {
  for (int64_t i = globalThread(); i < n; i += globalStride()) {
    float v = x[i];
    float t = 1.f - 2.f / (1.f + expf(2.f * kGeluC * (v + 0.044715f * v * v * v)));  // tanh, as the CPU writes it
    out[i] = 0.5f * v * (1.f + t);
  }
}

__global__ void geluBackwardKernel(const float* __restrict__ x, const float* __restrict__ dout, int64_t n, float* __restrict__ dx) {
  for (int64_t i = globalThread(); i < n; i += globalStride()) {
    float v = x[i];
    float u = kGeluC * (v + 0.044715f * v * v * v);
    float t = 1.f - 2.f / (1.f + expf(2.f * u));
    float du = kGeluC * (1.f + 3.f * 0.044715f * v * v);
    dx[i] = dout[i] * (0.5f * (1.f + t) + 0.5f * v * (1.f - t * t) * du);
  }
}

__global__ void swigluForwardKernel(const float* __restrict__ gate, const float* __restrict__ up, int ld, int I, int64_t n,
                                    float* __restrict__ act) {
  for (int64_t e = globalThread(); e < n; e += globalStride()) {
    int64_t r = e / I, i = e % I;
    float g = gate[r * ld + i];
    act[e] = g / (1.f + expf(-g)) * up[r * ld + i];
  }
}

__global__ void swigluBackwardKernel(const float* __restrict__ gate, const float* __restrict__ up, int ld, const float* __restrict__ dact,
                                     int I, int64_t n, float* __restrict__ dgate, float* __restrict__ dup, int ldd) {
  for (int64_t e = globalThread(); e < n; e += globalStride()) {
    int64_t r = e / I, i = e % I;
    float g = gate[r * ld + i];
    float sig = 1.f / (1.f + expf(-g));
    float d = dact[e];
    dup[r * ldd + i] = d * g * sig;
    dgate[r * ldd + i] = d * up[r * ld + i] * sig * (1.f + g * (1.f - sig));
  }
}

// ---- positions ---------------------------------------------------------------------------------

// Position of row r: pos0 + its slot, minus its sequence's left padding; padding slots clamp to 0.
__device__ int rowPosition(int64_t r, int T, int pos0, const int* pad) {
  int pos = pos0 + int(r % T) - (pad ? pad[r / T] : 0);
  return pos < 0 ? 0 : pos;
}

// One thread per rotated pair (v[i], v[i + D/2]) of one head of one row.
__global__ void ropeKernel(float* __restrict__ x, int ld, int T, int pos0, int heads, int half, const float* __restrict__ cosT,
                           const float* __restrict__ sinT, bool inverse, const int* __restrict__ pad, int64_t n) {
  for (int64_t e = globalThread(); e < n; e += globalStride()) {
    int64_t r = e / (int64_t(heads) * half);
    int h = int(e / half % heads), i = int(e % half);
    int pos = rowPosition(r, T, pos0, pad);
    float c = cosT[int64_t(pos) * half + i], s = sinT[int64_t(pos) * half + i];
    float sn = inverse ? -s : s;
    float* v = x + r * ld + int64_t(h) * 2 * half;
    float a = v[i], b = v[i + half];
    v[i] = a * c - b * sn;
    v[i + half] = b * c + a * sn;
  }
}

__device__ __forceinline__ float widen(float v) { return v; }
__device__ __forceinline__ float widen(bf16_t v) { return bf16Widen(v); }

template <class W>
__global__ void embedKernel(const W* __restrict__ wte, const float* __restrict__ wpe, const int32_t* __restrict__ tokens, int T, int C,
                            int pos0, const int* __restrict__ pad, int64_t n, float* __restrict__ x) {
  for (int64_t e = globalThread(); e < n; e += globalStride()) {
    int64_t r = e / C, c = e % C;
    float v = widen(wte[int64_t(tokens[r]) * C + c]);
    if (wpe) v = v + wpe[int64_t(rowPosition(r, T, pos0, pad)) * C + c];
    x[e] = v;
  }
}

// ---- precision ---------------------------------------------------------------------------------

__global__ void roundBf16Kernel(const float* __restrict__ x, int ldx, int cols, int64_t n, bf16_t* __restrict__ out) {
  for (int64_t e = globalThread(); e < n; e += globalStride()) out[e] = bf16Round(x[e / cols * ldx + e % cols]);
}

// ---- elementwise -------------------------------------------------------------------------------

__global__ void addBiasKernel(float* __restrict__ y, int ldy, const float* __restrict__ bias, int out, int64_t n) {
  for (int64_t e = globalThread(); e < n; e += globalStride()) y[e / out * ldy + e % out] += bias[e % out];
}

__global__ void axpyKernel(float* __restrict__ y, const float* __restrict__ x, int64_t n, float alpha) {
  for (int64_t i = globalThread(); i < n; i += globalStride()) y[i] += alpha * x[i];
}

__global__ void mulKernel(float* __restrict__ y, const float* __restrict__ a, const float* __restrict__ b, int64_t n, bool accumulate) {
  for (int64_t i = globalThread(); i < n; i += globalStride()) y[i] = accumulate ? y[i] + a[i] * b[i] : a[i] * b[i];
}

__global__ void dropoutKernel(const float* __restrict__ x, int64_t n, float p, float keep, uint64_t key, float* __restrict__ fac,
                              float* __restrict__ xd) {
  for (int64_t i = globalThread(); i < n; i += globalStride()) {
    float f = uniform01(mix64(key ^ uint64_t(i) * 0x9E3779B97F4A7C15ull)) < p ? 0.f : keep;
    fac[i] = f;
    xd[i] = x[i] * f;
  }
}

__global__ void gatherRowsKernel(const float* __restrict__ src, int lds, const int32_t* __restrict__ map, int C, int64_t n,
                                 float* __restrict__ dst, int ldd) {
  for (int64_t e = globalThread(); e < n; e += globalStride()) {
    int64_t r = e / C, c = e % C;
    dst[r * ldd + c] = src[int64_t(map[r]) * lds + c];
  }
}

// ---- KV cache ----------------------------------------------------------------------------------

// Element e of (B,T,KV,D) order (consecutive threads walk d, so both sides stay coalesced): its
// offset in the qkv row layout (k column; v is KV·D further) and in the (B,KV,cap,D) cache.
struct KvIndex {
  int64_t row, slot;
};
__device__ KvIndex kvIndex(int64_t e, int W, int HD, int KV, int D, int T, int pos0, int cap) {
  const int d = int(e % D), kh = int(e / D % KV);
  const int64_t bt = e / (int64_t(D) * KV), b = bt / T, t = bt % T;
  return {bt * W + HD + int64_t(kh) * D + d, ((b * KV + kh) * cap + pos0 + t) * D + d};
}

__global__ void kvAppendKernel(const float* __restrict__ qkv, int W, int HD, int KV, int D, int T, int pos0, int cap, float* __restrict__ Kc,
                               float* __restrict__ Vc, int64_t n) {
  for (int64_t e = globalThread(); e < n; e += globalStride()) {
    const KvIndex ix = kvIndex(e, W, HD, KV, D, T, pos0, cap);
    Kc[ix.slot] = qkv[ix.row];
    Vc[ix.slot] = qkv[ix.row + int64_t(KV) * D];
  }
}

__global__ void kvScatterGradKernel(const float* __restrict__ dK, const float* __restrict__ dV, int W, int HD, int KV, int D, int T,
                                    float* __restrict__ dqkv, int64_t n) {
  for (int64_t e = globalThread(); e < n; e += globalStride()) {
    const KvIndex ix = kvIndex(e, W, HD, KV, D, T, 0, T);
    dqkv[ix.row] = dK[ix.slot];
    dqkv[ix.row + int64_t(KV) * D] = dV[ix.slot];
  }
}

// ---- loss --------------------------------------------------------------------------------------

// One block per row. Ignored rows (target < 0, weight 0, and, unlike the CPU, which would read
// past the row, target >= V) get loss 0 and a zero gradient.
__global__ void crossEntropyKernel(float* __restrict__ logits, int V, const int32_t* __restrict__ targets, const float* __restrict__ weights,
                                   float gradScale, bool writeGrad, double* __restrict__ rowLoss) {
  __shared__ float redF[32];
  __shared__ double redD[32];
  const int64_t row = blockIdx.x;
  float* l = logits + row * V;
  const int tg = targets[row];
  const float w = weights ? weights[row] : 1.f;
  if (tg < 0 || tg >= V || w == 0.f) {  // uniform over the block
    if (threadIdx.x == 0) rowLoss[row] = 0;
    if (writeGrad)
      for (int i = threadIdx.x; i < V; i += blockDim.x) l[i] = 0.f;
  } else {
    float mx = -INFINITY;
    for (int i = threadIdx.x; i < V; i += blockDim.x) mx = fmaxf(mx, l[i]);
    mx = blockMax(mx, redF);
    double se = 0;
    for (int i = threadIdx.x; i < V; i += blockDim.x) se += expf(l[i] - mx);
    const double lse = mx + log(blockSum(se, redD));
    if (threadIdx.x == 0) rowLoss[row] = w * (lse - l[tg]);
    if (writeGrad) {
      __syncthreads();  // l[tg] is read before any thread overwrites it
      const float k = w * gradScale, flse = float(lse);
      for (int i = threadIdx.x; i < V; i += blockDim.x) {
        float g = expf(l[i] - flse) * k;
        if (i == tg) g -= k;
        l[i] = g;
      }
    }
  }
}

// ---- optimizer ---------------------------------------------------------------------------------

// First stage: kSumBlocks partial sums over a grid-stride split that depends only on n.
__global__ void sumSquaresPartialKernel(const float* __restrict__ g, int64_t n, double* __restrict__ partial) {
  __shared__ double red[32];
  double s = 0;
  for (int64_t i = globalThread(); i < n; i += globalStride()) s += double(g[i]) * g[i];
  s = blockSum(s, red);
  if (threadIdx.x == 0) partial[blockIdx.x] = s;
}
// Second stage: one block of kSumBlocks threads adds the partials in a fixed order.
__global__ void sumSquaresFinalKernel(const double* __restrict__ partial, double* __restrict__ out) {
  __shared__ double red[32];
  double s = blockSum(partial[threadIdx.x], red);
  if (threadIdx.x == 0) out[0] += s;
}

__global__ void adamwKernel(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ m, float* __restrict__ v, int64_t n,
                            float clip, float beta1, float beta2, float eps, float stepSize, float bc2Sqrt, float decay) {
  for (int64_t i = globalThread(); i < n; i += globalStride()) {
    float gi = g[i] * clip;
    float mi = beta1 * m[i] + (1.f - beta1) * gi;
    float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    float pi = p[i] * decay;
    p[i] = pi - stepSize * mi / (sqrtf(vi) / bc2Sqrt + eps);
  }
}

}  // namespace

// ---- norms -------------------------------------------------------------------------------------

void layerNormForward(const float* x, const float* w, const float* b, float eps, int N, int C, float* out, float* mean, float* rstd,
                      cudaStream_t s) {
  require(N >= 0, "layerNormForward", "N", N);
  require(C > 0, "layerNormForward", "C", C);
  if (N == 0) return;
  STUDIO_LAUNCH(layerNormForwardKernel, N, kRowThreads, s)(x, w, b, eps, C, out, mean, rstd);
  checkLaunch("layerNormForward");
}

void layerNormBackward(const float* x, const float* w, const float* mean, const float* rstd, const float* dout, int N, int C, float* dx,
                       cudaStream_t s) {
  require(N >= 0, "layerNormBackward", "N", N);
  require(C > 0, "layerNormBackward", "C", C);
  if (N == 0) return;
  STUDIO_LAUNCH(layerNormBackwardKernel, N, kRowThreads, s)(x, w, mean, rstd, dout, C, dx);
  checkLaunch("layerNormBackward");
}

void rmsNormForward(const float* x, const float* w, float eps, int N, int C, float* out, float* rstd, cudaStream_t s) {
  require(N >= 0, "rmsNormForward", "N", N);
  require(C > 0, "rmsNormForward", "C", C);
  if (N == 0) return;
  STUDIO_LAUNCH(rmsNormForwardKernel, N, kRowThreads, s)(x, w, eps, C, out, rstd);
  checkLaunch("rmsNormForward");
}

void rmsNormBackward(const float* x, const float* w, const float* rstd, const float* dout, int N, int C, float* dx, cudaStream_t s) {
  require(N >= 0, "rmsNormBackward", "N", N);
  require(C > 0, "rmsNormBackward", "C", C);
  if (N == 0) return;
  STUDIO_LAUNCH(rmsNormBackwardKernel, N, kRowThreads, s)(x, w, rstd, dout, C, dx);
  checkLaunch("rmsNormBackward");
}

// ---- activations -------------------------------------------------------------------------------

void geluForward(const float* x, int64_t n, float* out, cudaStream_t s) {
  require(n >= 0, "geluForward", "n", n);
  if (n == 0) return;
  STUDIO_LAUNCH(geluForwardKernel, elementBlocks(n), kThreads, s)(x, n, out);
  checkLaunch("geluForward");
}

void geluBackward(const float* x, const float* dout, int64_t n, float* dx, cudaStream_t s) {
  require(n >= 0, "geluBackward", "n", n);
  if (n == 0) return;
  STUDIO_LAUNCH(geluBackwardKernel, elementBlocks(n), kThreads, s)(x, dout, n, dx);
  checkLaunch("geluBackward");
}

void swigluForward(const float* gate, const float* up, int ld, int N, int I, float* act, cudaStream_t s) {
  require(N >= 0, "swigluForward", "N", N);
  require(I > 0, "swigluForward", "I", I);
  require(ld >= I, "swigluForward", "ld", ld);
  if (N == 0) return;
  const int64_t n = int64_t(N) * I;
  STUDIO_LAUNCH(swigluForwardKernel, elementBlocks(n), kThreads, s)(gate, up, ld, I, n, act);
  checkLaunch("swigluForward");
}

void swigluBackward(const float* gate, const float* up, int ld, const float* dact, int N, int I, float* dgate, float* dup, int ldd,
                    cudaStream_t s) {
  require(N >= 0, "swigluBackward", "N", N);
  require(I > 0, "swigluBackward", "I", I);
  require(ld >= I, "swigluBackward", "ld", ld);
  require(ldd >= I, "swigluBackward", "ldd", ldd);
  if (N == 0) return;
  const int64_t n = int64_t(N) * I;
  STUDIO_LAUNCH(swigluBackwardKernel, elementBlocks(n), kThreads, s)(gate, up, ld, dact, I, n, dgate, dup, ldd);
  checkLaunch("swigluBackward");
}

// ---- positions ---------------------------------------------------------------------------------

void ropeApply(float* x, int ld, int N, int T, int pos0, int heads, int D, const float* cosT, const float* sinT, bool inverse, const int* pad,
               cudaStream_t s) {
  require(N >= 0, "ropeApply", "N", N);
  require(T > 0 && N % T == 0, "ropeApply", "T", T);
  require(pos0 >= 0, "ropeApply", "pos0", pos0);
  require(heads >= 0, "ropeApply", "heads", heads);
  require(D > 0 && D % 2 == 0, "ropeApply", "D", D);
  require(ld >= heads * D, "ropeApply", "ld", ld);
  const int64_t n = int64_t(N) * heads * (D / 2);
  if (n == 0) return;
  STUDIO_LAUNCH(ropeKernel, elementBlocks(n), kThreads, s)(x, ld, T, pos0, heads, D / 2, cosT, sinT, inverse, pad, n);
  checkLaunch("ropeApply");
}

namespace {
template <class W>
void embedImpl(const W* wte, const float* wpe, const int32_t* tokens, int N, int T, int C, int pos0, const int* pad, float* x, cudaStream_t s) {
  require(N >= 0, "embed", "N", N);
  require(T > 0 && N % T == 0, "embed", "T", T);
  require(C > 0, "embed", "C", C);
  require(pos0 >= 0, "embed", "pos0", pos0);
  requirePtr(wte, "embed", "wte");
  if (N == 0) return;
  const int64_t n = int64_t(N) * C;
  STUDIO_LAUNCH(embedKernel<W>, elementBlocks(n), kThreads, s)(wte, wpe, tokens, T, C, pos0, pad, n, x);
  checkLaunch("embed");
}
}  // namespace

void embed(const float* wte, const float* wpe, const int32_t* tokens, int N, int T, int C, int pos0, const int* pad, float* x, cudaStream_t s) {
  embedImpl(wte, wpe, tokens, N, T, C, pos0, pad, x, s);
}
void embed(const bf16_t* wte, const float* wpe, const int32_t* tokens, int N, int T, int C, int pos0, const int* pad, float* x, cudaStream_t s) {
  embedImpl(wte, wpe, tokens, N, T, C, pos0, pad, x, s);
}

// ---- precision ---------------------------------------------------------------------------------

void roundToBf16(const float* x, int ldx, int rows, int cols, bf16_t* out, cudaStream_t s) {
  require(rows >= 0, "roundToBf16", "rows", rows);
  require(cols >= 0, "roundToBf16", "cols", cols);
  require(ldx >= cols && ldx >= 1, "roundToBf16", "ldx", ldx);
  if (rows == 0 || cols == 0) return;
  requirePtr(x, "roundToBf16", "x");
  requirePtr(out, "roundToBf16", "out");
  const int64_t n = int64_t(rows) * cols;
  STUDIO_LAUNCH(roundBf16Kernel, elementBlocks(n), kThreads, s)(x, ldx, cols, n, out);
  checkLaunch("roundToBf16");
}

// ---- elementwise -------------------------------------------------------------------------------

void addBias(float* y, int ldy, const float* bias, int N, int out, cudaStream_t s) {
  require(N >= 0, "addBias", "N", N);
  require(out > 0, "addBias", "out", out);
  require(ldy >= out, "addBias", "ldy", ldy);
  if (N == 0) return;
  const int64_t n = int64_t(N) * out;
  STUDIO_LAUNCH(addBiasKernel, elementBlocks(n), kThreads, s)(y, ldy, bias, out, n);
  checkLaunch("addBias");
}

void axpy(float* y, const float* x, int64_t n, float alpha, cudaStream_t s) {
  require(n >= 0, "axpy", "n", n);
  if (n == 0) return;
  STUDIO_LAUNCH(axpyKernel, elementBlocks(n), kThreads, s)(y, x, n, alpha);
  checkLaunch("axpy");
}

void mul(float* y, const float* a, const float* b, int64_t n, bool accumulate, cudaStream_t s) {
  require(n >= 0, "mul", "n", n);
  if (n == 0) return;
  STUDIO_LAUNCH(mulKernel, elementBlocks(n), kThreads, s)(y, a, b, n, accumulate);
  checkLaunch("mul");
}

void dropout(const float* x, int64_t n, float p, uint64_t key, float* fac, float* xd, cudaStream_t s) {
  require(n >= 0, "dropout", "n", n);
  if (!(p >= 0.f && p < 1.f)) fail("dropout", "bad p (" + std::to_string(p) + "), expected 0 <= p < 1");
  if (n == 0) return;
  STUDIO_LAUNCH(dropoutKernel, elementBlocks(n), kThreads, s)(x, n, p, 1.f / (1.f - p), key, fac, xd);
  checkLaunch("dropout");
}

void gatherRows(const float* src, int lds, const int32_t* map, int R, int C, float* dst, int ldd, cudaStream_t s) {
  require(R >= 0, "gatherRows", "R", R);
  require(C > 0, "gatherRows", "C", C);
  require(lds >= C, "gatherRows", "lds", lds);
  require(ldd >= C, "gatherRows", "ldd", ldd);
  if (R == 0) return;
  const int64_t n = int64_t(R) * C;
  STUDIO_LAUNCH(gatherRowsKernel, elementBlocks(n), kThreads, s)(src, lds, map, C, n, dst, ldd);
  checkLaunch("gatherRows");
}

// ---- KV cache ----------------------------------------------------------------------------------

namespace {
void checkKv(const char* fn, int W, int HD, int KV, int D, int B, int T, int pos0, int cap) {
  require(KV > 0, fn, "KV", KV);
  require(D > 0, fn, "D", D);
  require(B >= 0, fn, "B", B);
  require(T >= 0, fn, "T", T);
  require(HD >= 0, fn, "HD", HD);
  require(W >= HD + 2 * KV * D, fn, "W", W);
  require(pos0 >= 0 && pos0 + T <= cap, fn, "pos0 + T (cache capacity " + std::to_string(cap) + ")", (long long)pos0 + T);
}
}  // namespace

void kvAppend(const float* qkv, int W, int HD, int KV, int D, int B, int T, int pos0, int cap, float* Kc, float* Vc, cudaStream_t s) {
  checkKv("kvAppend", W, HD, KV, D, B, T, pos0, cap);
  const int64_t n = int64_t(B) * T * KV * D;
  if (n == 0) return;
  STUDIO_LAUNCH(kvAppendKernel, elementBlocks(n), kThreads, s)(qkv, W, HD, KV, D, T, pos0, cap, Kc, Vc, n);
  checkLaunch("kvAppend");
}

void kvScatterGrad(const float* dK, const float* dV, int W, int HD, int KV, int D, int B, int T, float* dqkv, cudaStream_t s) {
  checkKv("kvScatterGrad", W, HD, KV, D, B, T, 0, T);
  const int64_t n = int64_t(B) * T * KV * D;
  if (n == 0) return;
  STUDIO_LAUNCH(kvScatterGradKernel, elementBlocks(n), kThreads, s)(dK, dV, W, HD, KV, D, T, dqkv, n);
  checkLaunch("kvScatterGrad");
}

// ---- loss --------------------------------------------------------------------------------------

void crossEntropy(float* logits, int N, int V, const int32_t* targets, const float* weights, float gradScale, bool writeGrad, double* rowLoss,
                  cudaStream_t s) {
  require(N >= 0, "crossEntropy", "N", N);
  require(V > 0, "crossEntropy", "V", V);
  if (N == 0) return;
  STUDIO_LAUNCH(crossEntropyKernel, N, kRowThreads, s)(logits, V, targets, weights, gradScale, writeGrad, rowLoss);
  checkLaunch("crossEntropy");
}

// ---- optimizer ---------------------------------------------------------------------------------

void addSumSquares(const float* g, int64_t n, double* out, double* scratch, cudaStream_t s) {
  require(n >= 0, "addSumSquares", "n", n);
  if (n == 0) return;
  STUDIO_LAUNCH(sumSquaresPartialKernel, kSumBlocks, kThreads, s)(g, n, scratch);
  checkLaunch("addSumSquares (partials)");
  STUDIO_LAUNCH(sumSquaresFinalKernel, 1, kSumBlocks, s)(scratch, out);
  checkLaunch("addSumSquares (total)");
}

void adamwUpdate(float* p, const float* g, float* m, float* v, int64_t n, float clip, float beta1, float beta2, float eps, float stepSize,
                 float bc2Sqrt, float decay, cudaStream_t s) {
  require(n >= 0, "adamwUpdate", "n", n);
  if (n == 0) return;
  STUDIO_LAUNCH(adamwKernel, elementBlocks(n), kThreads, s)(p, g, m, v, n, clip, beta1, beta2, eps, stepSize, bc2Sqrt, decay);
  checkLaunch("adamwUpdate");
}

}  // namespace cuda
}  // namespace engine
