#include "kernels.cuh"

#include <cmath>

namespace engine {
namespace cuda {

namespace {
__device__ __forceinline__ float warpSum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}
__device__ __forceinline__ float warpMax(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

__global__ void layerNormKernel(const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b, float eps,
                                int N, int C, float* __restrict__ out) {
  int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
  int lane = threadIdx.x % 32;
  if (row >= N) return;
  const float* xr = x + (size_t)row * C;
  float s = 0.f;
  for (int i = lane; i < C; i += 32) s += xr[i];
  float mean = warpSum(s) / C;
  float v = 0.f;
  for (int i = lane; i < C; i += 32) v += (xr[i] - mean) * (xr[i] - mean);
  float rstd = rsqrtf(warpSum(v) / C + eps);
  for (int i = lane; i < C; i += 32) out[(size_t)row * C + i] = (xr[i] - mean) * rstd * w[i] + (b ? b[i] : 0.f);
}

__global__ void geluKernel(const float* __restrict__ x, int64_t n, float* __restrict__ out) {
  int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float v = x[i];
  out[i] = 0.5f * v * (1.f + tanhf(0.7978845608028654f * (v + 0.044715f * v * v * v)));
}

__global__ void crossEntropyKernel(float* __restrict__ logits, const int32_t* __restrict__ targets, int V, float scale,
                                   float* __restrict__ loss) {
  __shared__ float red[32];
  int row = blockIdx.x;
  float* l = logits + (size_t)row * V;
  int t = targets[row];
  int lane = threadIdx.x % 32, warp = threadIdx.x / 32, warps = blockDim.x / 32;
  float mx = -INFINITY;
  for (int i = threadIdx.x; i < V; i += blockDim.x) mx = fmaxf(mx, l[i]);
  mx = warpMax(mx);
  if (lane == 0) red[warp] = mx;
  __syncthreads();
  mx = threadIdx.x < warps ? red[threadIdx.x] : -INFINITY;
  if (warp == 0) mx = warpMax(mx);
  if (threadIdx.x == 0) red[0] = mx;
  __syncthreads();
  mx = red[0];
  __syncthreads();
  float se = 0.f;
  for (int i = threadIdx.x; i < V; i += blockDim.x) se += expf(l[i] - mx);
  se = warpSum(se);
  if (lane == 0) red[warp] = se;
  __syncthreads();
  se = threadIdx.x < warps ? red[threadIdx.x] : 0.f;
  if (warp == 0) se = warpSum(se);
  if (threadIdx.x == 0) red[0] = se;
  __syncthreads();
  float lse = mx + logf(red[0]);
  bool skip = t < 0 || t >= V;
  if (threadIdx.x == 0) loss[row] = skip ? 0.f : lse - l[t];
  __syncthreads();  // every thread has read l[t] before it is overwritten
  for (int i = threadIdx.x; i < V; i += blockDim.x) l[i] = skip ? 0.f : (expf(l[i] - lse) - (i == t ? 1.f : 0.f)) * scale;
}
}  // namespace

void layerNormForward(const float* x, const float* w, const float* b, float eps, int N, int C, float* out, cudaStream_t s) {
  const int rowsPerBlock = 8;
  layerNormKernel<<<(N + rowsPerBlock - 1) / rowsPerBlock, rowsPerBlock * 32, 0, s>>>(x, w, b, eps, N, C, out);
}
void geluForward(const float* x, int64_t n, float* out, cudaStream_t s) {
  geluKernel<<<(unsigned)((n + 255) / 256), 256, 0, s>>>(x, n, out);
}
void crossEntropyGrad(float* logits, const int32_t* targets, int N, int V, float scale, float* loss, cudaStream_t s) {
  crossEntropyKernel<<<N, 256, 0, s>>>(logits, targets, V, scale, loss);
}

void cpuLayerNormForward(const float* x, const float* w, const float* b, float eps, int N, int C, float* out) {
  for (int r = 0; r < N; ++r) {
    double m = 0, v = 0;
    for (int i = 0; i < C; ++i) m += x[(size_t)r * C + i];
    m /= C;
    for (int i = 0; i < C; ++i) v += (x[(size_t)r * C + i] - m) * (x[(size_t)r * C + i] - m);
    double s = 1.0 / std::sqrt(v / C + eps);
    for (int i = 0; i < C; ++i) out[(size_t)r * C + i] = float((x[(size_t)r * C + i] - m) * s * w[i] + (b ? b[i] : 0.f));
  }
}
void cpuGeluForward(const float* x, int64_t n, float* out) {
  for (int64_t i = 0; i < n; ++i) {
    double v = x[i];
    out[i] = float(0.5 * v * (1 + std::tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
  }
}
void cpuCrossEntropyGrad(float* logits, const int32_t* targets, int N, int V, float scale, float* loss) {
  for (int r = 0; r < N; ++r) {
    float* l = logits + (size_t)r * V;
    int t = targets[r];
    if (t < 0 || t >= V) {
      loss[r] = 0.f;
      for (int i = 0; i < V; ++i) l[i] = 0.f;
      continue;
    }
    double mx = l[0];
    for (int i = 1; i < V; ++i) mx = l[i] > mx ? l[i] : mx;
    double se = 0;
    for (int i = 0; i < V; ++i) se += std::exp(l[i] - mx);
    double lse = mx + std::log(se);
    loss[r] = float(lse - l[t]);
    for (int i = 0; i < V; ++i) l[i] = float((std::exp(l[i] - lse) - (i == t ? 1.0 : 0.0)) * scale);
  }
}

}  // namespace cuda
}  // namespace engine
