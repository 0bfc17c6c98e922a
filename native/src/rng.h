// The engine's counter-based RNG, shared by the CPU engine and the CUDA kernels (STUDIO_HD makes
// the same functions __host__ __device__ under nvcc), so dropout masks drawn on the GPU are the
// CPU's bit for bit: integer hashing plus one exact int→float conversion.
#pragma once
#include <cstdint>

#ifdef __CUDACC__
#define STUDIO_HD __host__ __device__
#else
#define STUDIO_HD
#endif

namespace engine {

// splitmix64 finaliser. Hashing (seed, stream, index) gives the same numbers whatever the thread
// that asks, which keeps dropout and init deterministic.
STUDIO_HD inline uint64_t mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
STUDIO_HD inline uint64_t hashKey(uint64_t a, uint64_t b, uint64_t c = 0, uint64_t d = 0) {
  return mix64(mix64(mix64(mix64(a) ^ b) ^ c) ^ d);
}
// Uniform in [0,1) from 24 random bits (exact in a float).
STUDIO_HD inline float uniform01(uint64_t h) { return float(h >> 40) * (1.0f / 16777216.0f); }

}  // namespace engine
