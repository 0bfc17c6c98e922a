// What the ops_test program's files share (ops_test.cpp: kernels of ops.cuh; ops_test_blas.cpp:
// the Blas paths and bf16): tolerances, the failure count, device buffers and the comparison
// that prints one line per check. Tolerances are explained at the top of ops_test.cpp.
#pragma once
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

// The CPU engine's headers (and the standard headers they pull in) come before the CUDA ones.
#include "adamw.h"
#include "gemm.h"
#include "layer_ops.h"
#include "ops.h"
#include "precision.h"
#include "rng.h"
// CUDA headers
#include "blas.cuh"
#include "ops.cuh"

namespace opscheck {


inline constexpr double kExact = 0, kRow = 2e-6, kReduce = 1e-5, kDouble = 1e-9;

inline int failures = 0;
inline std::mt19937 rng(1234);

inline void cudaOk(cudaError_t e, const char* what) {
  if (e != cudaSuccess) {
    std::fprintf(stderr, "CUDA error in %s: %s\n", what, cudaGetErrorString(e));
    std::exit(2);
  }
}

inline std::vector<float> randn(size_t n, float scale = 1.f) {
  std::normal_distribution<float> nd(0.f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = nd(rng);
  return v;
}

// A device copy of a host vector; download() reads it back.
template <class T>
struct Dev {
  T* p = nullptr;
  size_t n = 0;
  explicit Dev(const std::vector<T>& h) : n(h.size()) {
    cudaOk(cudaMalloc(reinterpret_cast<void**>(&p), (n ? n : 1) * sizeof(T)), "cudaMalloc");
    if (n) cudaOk(cudaMemcpy(p, h.data(), n * sizeof(T), cudaMemcpyHostToDevice), "cudaMemcpy H2D");
  }
  explicit Dev(size_t count, T fill = T()) : Dev(std::vector<T>(count, fill)) {}
  ~Dev() { cudaFree(p); }
  Dev(const Dev&) = delete;
  Dev& operator=(const Dev&) = delete;
  std::vector<T> download() const {
    cudaOk(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    std::vector<T> h(n);
    if (n) cudaOk(cudaMemcpy(h.data(), p, n * sizeof(T), cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
    return h;
  }
};

template <class T>
void compare(const std::string& name, const std::vector<T>& got, const std::vector<T>& want, double tol) {
  double rms = 0;
  size_t counted = 0;
  for (T w : want)
    if (!std::isnan(double(w))) rms += double(w) * double(w), ++counted;
  rms = counted ? std::sqrt(rms / counted) : 0;
  double maxAbs = 0, maxRel = 0;
  size_t nanMismatches = 0;  // NaN where a number was expected or the reverse (NaN == NaN is fine)
  bool ok = got.size() == want.size();
  for (size_t i = 0; ok && i < want.size(); ++i) {
    double g = got[i], w = want[i], d = std::fabs(g - w);
    if (std::isnan(g) || std::isnan(w)) {
      nanMismatches += std::isnan(g) != std::isnan(w);
      continue;
    }
    maxAbs = std::fmax(maxAbs, d);
    maxRel = std::fmax(maxRel, d / (std::fabs(w) + rms + 1e-30));
    if (!(d <= tol * (std::fabs(w) + rms))) ok = false;
  }
  ok = ok && nanMismatches == 0;
  if (!ok) ++failures;
  std::printf("%-4s %-58s max abs %.3g  max rel %.3g  tol %.0e", ok ? "ok" : "FAIL", name.c_str(), maxAbs, maxRel, tol);
  if (got.size() != want.size()) std::printf("  size %zu, expected %zu", got.size(), want.size());
  if (nanMismatches) std::printf("  %zu NaN mismatch(es)", nanMismatches);
  std::printf("\n");
}

inline void expectThrow(const std::string& name, const std::function<void()>& fn) {
  bool threw = false;
  try {
    fn();
  } catch (const std::invalid_argument& e) {
    threw = true;
    std::printf("ok   %-58s threw: %s\n", name.c_str(), e.what());
  }
  if (!threw) {
    ++failures;
    std::printf("FAIL %-58s did not throw std::invalid_argument\n", name.c_str());
  }
}

inline std::string shape(const char* fmt, int a, int b = 0, int c = 0, int d = 0, int e = 0, int f = 0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, fmt, a, b, c, d, e, f);
  return buf;
}

// ops_test_blas.cpp
void testBlas();
void testBf16Round();
void testBf16Embed();
void testBlasBf16();

}  // namespace opscheck
