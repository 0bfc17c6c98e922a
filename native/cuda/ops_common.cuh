// What the kernel files of ops.cuh share (private to native/cuda): launch shapes, the warp and
// block reductions (deterministic: warps combined in index order), grid-stride indexing, and the
// host wrappers' argument checks. Everything is inline: the files are compiled separately (and as
// plain C++ against the emulator, where __device__ means nothing).
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

#include "launch.cuh"

namespace engine {
namespace cuda {
namespace ops_detail {

constexpr int kRowThreads = 256;   // per-row kernels: 8 warps
constexpr int kThreads = 256;      // elementwise kernels
constexpr int kMaxBlocks = 4096;   // elementwise grid cap (grid-stride beyond: ~4 waves on an H100)
constexpr unsigned kFullMask = 0xffffffffu;

// ---- reductions --------------------------------------------------------------------------------

template <class T>
__device__ inline T warpSum(T v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFullMask, v, o);
  return v;
}
__device__ inline float warpMax(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(kFullMask, v, o));
  return v;
}
// Sum over the block, returned to every thread; warps are combined in index order
// (deterministic). red: a __shared__ array of 32; the trailing barrier makes it reusable.
template <class T>
__device__ inline T blockSum(T v, T* red) {
  v = warpSum(v);
  if (threadIdx.x % 32 == 0) red[threadIdx.x / 32] = v;
  __syncthreads();
  T s = 0;
  for (int w = 0; w < int(blockDim.x / 32); ++w) s += red[w];
  __syncthreads();
  return s;
}
__device__ inline float blockMax(float v, float* red) {
  v = warpMax(v);
  if (threadIdx.x % 32 == 0) red[threadIdx.x / 32] = v;
  __syncthreads();
  float m = red[0];
  for (int w = 1; w < int(blockDim.x / 32); ++w) m = fmaxf(m, red[w]);
  __syncthreads();
  return m;
}

__device__ inline int64_t globalThread() { return int64_t(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ inline int64_t globalStride() { return int64_t(gridDim.x) * blockDim.x; }

// ---- host-side checks and launch helpers -------------------------------------------------------

[[noreturn]] inline void fail(const char* fn, const std::string& what) { throw std::invalid_argument(std::string("cuda::") + fn + ": " + what); }
inline void require(bool ok, const char* fn, const std::string& what, long long value) {
  if (!ok) fail(fn, std::string("bad ") + what + " (" + std::to_string(value) + ")");
}
inline void requirePtr(const void* p, const char* fn, const char* what) {
  if (!p) fail(fn, std::string(what) + " is null");
}
inline int elementBlocks(int64_t n) { return int(n / kThreads + 1 < kMaxBlocks ? n / kThreads + 1 : kMaxBlocks); }

}  // namespace ops_detail
}  // namespace cuda
}  // namespace engine
