// bfloat16 as raw bits (uint16_t) on the device: the bf16 mode's frozen weights and rounded
// activations (device_model.h kBf16). Plain integer code, so it compiles the same with nvcc and
// against the host emulator, and rounds exactly as src/precision.h floatToBf16 (to nearest, ties
// to even; Inf stays Inf, overflow past the largest bf16 rounds to Inf, NaN stays a quiet NaN);
// widening is exact.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>

namespace engine {
namespace cuda {

using bf16_t = uint16_t;  // bfloat16 bits: the high half of the f32 it stands for

// Device code (and the emulator); host-only sources that include this header for bf16_t (a test
// compiled by the host compiler in the --device build) do not see these.
#if defined(__CUDACC__) || defined(STUDIO_CUDA_EMULATED)
__device__ __forceinline__ bf16_t bf16Round(float f) {
  unsigned x = __float_as_uint(f);
  if ((x & 0x7FFFFFFFu) > 0x7F800000u) return bf16_t((x >> 16) | 0x40u);  // NaN: keep it quiet
  x += 0x7FFFu + ((x >> 16) & 1u);
  return bf16_t(x >> 16);
}

__device__ __forceinline__ float bf16Widen(bf16_t h) { return __uint_as_float(unsigned(h) << 16); }
#endif

}  // namespace cuda
}  // namespace engine
