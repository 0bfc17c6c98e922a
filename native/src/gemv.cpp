#include "gemv.h"

#if defined(__GNUC__) && defined(__x86_64__)
#define ENGINE_X86 1
#include <immintrin.h>
#else
#define ENGINE_X86 0
#endif

#include <algorithm>
#include <cstddef>
#include <string>

#include "gemm.h"

namespace engine {

namespace {

// Stores alpha·acc (outputs of one panel, `valid` of them real) into row i of C.
inline void storePanel(const float* acc, int valid, float alpha, bool add, float* c) {
  for (int q = 0; q < valid; ++q) {
    float v = alpha * acc[q];
    c[q] = add ? c[q] + v : v;
  }
}

// Real outputs (rows of W) in panel p: kPanel except in a partial last panel.
inline int validRows(const WeightMatrix& W, int p) { return std::min(kPanel, W.rows - p * kPanel); }

// Portable version: per panel, kPanel chains (one per output), each over k in order.
template <bool FUSED, Dtype T>
__attribute__((always_inline)) inline void gemvBody(int M, int p0, int p1, float alpha, const float* A, int lda, const WeightMatrix& W, bool accumulate, float* C, int ldc) {
  const int K = W.cols;
  const void* base = W.data();
  for (int p = p0; p < p1; ++p) {
    const int valid = validRows(W, p);
    const size_t off = size_t(p) * kPanel * K;
    for (int i = 0; i < M; ++i) {
      const float* a = A + size_t(i) * lda;
      for (int k0 = 0; k0 < K; k0 += kGemmKC) {
        const int kEnd = std::min(K, k0 + kGemmKC);
        float acc[kPanel] = {0};
        for (int k = k0; k < kEnd; ++k)
          for (int q = 0; q < kPanel; ++q) {
            const float w = loadAsFloat(base, T, off + size_t(k) * kPanel + q);
            if (FUSED) acc[q] = __builtin_fmaf(a[k], w, acc[q]);
            else acc[q] += a[k] * w;
          }
        storePanel(acc, valid, alpha, accumulate || k0 > 0, C + size_t(i) * ldc + size_t(p) * kPanel);
      }
    }
  }
}

template <Dtype T>
void gemvPlain(int M, int p0, int p1, float alpha, const float* A, int lda, const WeightMatrix& W, bool accumulate, float* C, int ldc) {
  gemvBody<false, T>(M, p0, p1, alpha, A, lda, W, accumulate, C, ldc);
}

#if ENGINE_X86
template <Dtype T>
__attribute__((target("fma"))) void gemvFused(int M, int p0, int p1, float alpha, const float* A, int lda, const WeightMatrix& W, bool accumulate, float* C, int ldc) {
  gemvBody<true, T>(M, p0, p1, alpha, A, lda, W, accumulate, C, ldc);
}

// 16 consecutive stored values widened to f32.
template <Dtype T>
__attribute__((target("avx512f"), always_inline)) inline __m512 load16(const void* base, size_t off) {
  if (T == Dtype::F32) return _mm512_loadu_ps(static_cast<const float*>(base) + off);
  const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(static_cast<const uint16_t*>(base) + off));
  if (T == Dtype::F16) return _mm512_cvtph_ps(h);
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

// One panel (kPanel = 64 outputs: 4 vectors of 16) against M rows of A: 4·M independent FMA
// chains hide the FMA latency, and the panel's k-rows are read as one sequential stream (4
// separate 16-row panels read side by side streamed ~20% slower, see weightmatrix.h).
template <Dtype T, int M>
__attribute__((target("avx512f"))) void panelAvx512(int p, float alpha, const float* A, int lda, const WeightMatrix& W, bool accumulate, float* C, int ldc) {
  constexpr int V = kPanel / 16;
  const int K = W.cols;
  const void* base = W.data();
  const size_t pbase = size_t(p) * K * kPanel;
  const __m512 al = _mm512_set1_ps(alpha);
  const int valid = validRows(W, p);
  for (int k0 = 0; k0 < K; k0 += kGemmKC) {
    const int kEnd = std::min(K, k0 + kGemmKC);
    // Named registers, loops unrolled by pragma: GCC otherwise keeps a [V][M] accumulator array
    // in memory, and every FMA then waits on a store and a reload (measured: 20% slower).
    __m512 acc[V][M];
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v)
#pragma GCC unroll 4
      for (int i = 0; i < M; ++i) acc[v][i] = _mm512_setzero_ps();
    for (int k = k0; k < kEnd; ++k) {
      __m512 a[M];
#pragma GCC unroll 4
      for (int i = 0; i < M; ++i) a[i] = _mm512_set1_ps(A[size_t(i) * lda + k]);
      const size_t row = pbase + size_t(k) * kPanel;
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) {
        const __m512 w = load16<T>(base, row + 16 * v);
#pragma GCC unroll 4
        for (int i = 0; i < M; ++i) acc[v][i] = _mm512_fmadd_ps(a[i], w, acc[v][i]);
      }
    }
    const bool add = accumulate || k0 > 0;
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) {
      const __mmask16 lanes = __mmask16((1u << std::max(0, std::min(16, valid - 16 * v))) - 1);  // 0: nothing stored
#pragma GCC unroll 4
      for (int i = 0; i < M; ++i) {
        float* c = C + size_t(i) * ldc + size_t(p) * kPanel + 16 * v;
        __m512 r = _mm512_mul_ps(al, acc[v][i]);
        if (add) r = _mm512_add_ps(_mm512_maskz_loadu_ps(lanes, c), r);
        _mm512_mask_storeu_ps(c, lanes, r);
      }
    }
  }
}

template <Dtype T>
void gemvAvx512(int M, int p0, int p1, float alpha, const float* A, int lda, const WeightMatrix& W, bool accumulate, float* C, int ldc) {
  for (int p = p0; p < p1; ++p) switch (M) {
      case 1: panelAvx512<T, 1>(p, alpha, A, lda, W, accumulate, C, ldc); break;
      case 2: panelAvx512<T, 2>(p, alpha, A, lda, W, accumulate, C, ldc); break;
      case 3: panelAvx512<T, 3>(p, alpha, A, lda, W, accumulate, C, ldc); break;
      default: panelAvx512<T, 4>(p, alpha, A, lda, W, accumulate, C, ldc); break;
    }
}

// 16 stored values widened into two 8-wide halves (F16C for f16; bf16 is a 16-bit shift).
template <Dtype T>
__attribute__((target("avx2,fma,f16c"), always_inline)) inline void load16Avx2(const void* base, size_t off, __m256& lo, __m256& hi) {
  if (T == Dtype::F32) {
    const float* p = static_cast<const float*>(base) + off;
    lo = _mm256_loadu_ps(p);
    hi = _mm256_loadu_ps(p + 8);
    return;
  }
  const uint16_t* p = static_cast<const uint16_t*>(base) + off;
  const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 8));
  if (T == Dtype::F16) {
    lo = _mm256_cvtph_ps(a);
    hi = _mm256_cvtph_ps(b);
  } else {
    lo = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(a), 16));
    hi = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(b), 16));
  }
}

// G groups of 16 outputs (from group g0 of panel p) against M rows of A; each output's chain is
// the same as the AVX-512 version's. 16 ymm registers hold the 2·G·M accumulators, so a whole
// panel (G = 4) goes in one pass for one row of A and in two or four for more.
template <Dtype T, int M, int G>
__attribute__((target("avx2,fma,f16c"))) void groupsAvx2(int p, int g0, float alpha, const float* A, int lda, const WeightMatrix& W, bool accumulate, float* C, int ldc) {
  const int K = W.cols;
  const void* base = W.data();
  const size_t pbase = size_t(p) * K * kPanel;
  const __m256 al = _mm256_set1_ps(alpha);
  const int valid = validRows(W, p);
  for (int k0 = 0; k0 < K; k0 += kGemmKC) {
    const int kEnd = std::min(K, k0 + kGemmKC);
    __m256 acc[G][M][2];  // in registers only with the loops unrolled (see panelAvx512)
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g)
#pragma GCC unroll 4
      for (int i = 0; i < M; ++i) acc[g][i][0] = acc[g][i][1] = _mm256_setzero_ps();
    for (int k = k0; k < kEnd; ++k) {
      __m256 a[M];
#pragma GCC unroll 4
      for (int i = 0; i < M; ++i) a[i] = _mm256_set1_ps(A[size_t(i) * lda + k]);
#pragma GCC unroll 4
      for (int g = 0; g < G; ++g) {
        __m256 lo, hi;
        load16Avx2<T>(base, pbase + size_t(k) * kPanel + 16 * (g0 + g), lo, hi);
#pragma GCC unroll 4
        for (int i = 0; i < M; ++i) {
          acc[g][i][0] = _mm256_fmadd_ps(a[i], lo, acc[g][i][0]);
          acc[g][i][1] = _mm256_fmadd_ps(a[i], hi, acc[g][i][1]);
        }
      }
    }
    const bool add = accumulate || k0 > 0;
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) {
      const int n = std::max(0, std::min(16, valid - 16 * (g0 + g)));
#pragma GCC unroll 4
      for (int i = 0; i < M; ++i) {
        alignas(32) float v[16];
        _mm256_store_ps(v, _mm256_mul_ps(al, acc[g][i][0]));
        _mm256_store_ps(v + 8, _mm256_mul_ps(al, acc[g][i][1]));
        float* c = C + size_t(i) * ldc + size_t(p) * kPanel + 16 * (g0 + g);
        for (int q = 0; q < n; ++q) c[q] = add ? c[q] + v[q] : v[q];
      }
    }
  }
}

template <Dtype T, int M>
void panelAvx2(int p, float alpha, const float* A, int lda, const WeightMatrix& W, bool accumulate, float* C, int ldc) {
  constexpr int G = M == 1 ? 4 : M == 2 ? 2 : 1;
  for (int g0 = 0; g0 < kPanel / 16; g0 += G) groupsAvx2<T, M, G>(p, g0, alpha, A, lda, W, accumulate, C, ldc);
}

template <Dtype T>
void gemvAvx2(int M, int p0, int p1, float alpha, const float* A, int lda, const WeightMatrix& W, bool accumulate, float* C, int ldc) {
  for (int p = p0; p < p1; ++p) switch (M) {
      case 1: panelAvx2<T, 1>(p, alpha, A, lda, W, accumulate, C, ldc); break;
      case 2: panelAvx2<T, 2>(p, alpha, A, lda, W, accumulate, C, ldc); break;
      case 3: panelAvx2<T, 3>(p, alpha, A, lda, W, accumulate, C, ldc); break;
      default: panelAvx2<T, 4>(p, alpha, A, lda, W, accumulate, C, ldc); break;
    }
}
#endif

template <Dtype T>
void dispatch(int M, int p0, int p1, float alpha, const float* A, int lda, const WeightMatrix& W, bool accumulate, float* C, int ldc, GemvPath path) {
#if ENGINE_X86
  switch (path) {
    case GemvPath::Avx512: return gemvAvx512<T>(M, p0, p1, alpha, A, lda, W, accumulate, C, ldc);
    case GemvPath::Avx2: return gemvAvx2<T>(M, p0, p1, alpha, A, lda, W, accumulate, C, ldc);
    case GemvPath::Fused: return gemvFused<T>(M, p0, p1, alpha, A, lda, W, accumulate, C, ldc);
    case GemvPath::Plain: break;
  }
#endif
  gemvPlain<T>(M, p0, p1, alpha, A, lda, W, accumulate, C, ldc);  // off x86 only the scalar kernel exists
}

}  // namespace

GemvPath gemvPathFor(const char* gemmKernelName) {
  const std::string k(gemmKernelName);
#if ENGINE_X86
  static const bool f16c = [] {
    __builtin_cpu_init();
    return bool(__builtin_cpu_supports("f16c"));
  }();
  if (k == "avx512") return GemvPath::Avx512;  // the GEMM only picks it when the CPU has AVX-512 F
  if (k == "avx2") return f16c ? GemvPath::Avx2 : GemvPath::Fused;
#endif
  return GemvPath::Plain;
}

void gemvPanels(int M, int p0, int p1, float alpha, const float* A, int lda, const WeightMatrix& W, bool accumulate,
                float* C, int ldc, GemvPath path) {
  if (M <= 0 || p0 >= p1 || W.cols <= 0) return;
  switch (W.dtype) {
    case Dtype::F32: return dispatch<Dtype::F32>(M, p0, p1, alpha, A, lda, W, accumulate, C, ldc, path);
    case Dtype::F16: return dispatch<Dtype::F16>(M, p0, p1, alpha, A, lda, W, accumulate, C, ldc, path);
    case Dtype::BF16: return dispatch<Dtype::BF16>(M, p0, p1, alpha, A, lda, W, accumulate, C, ldc, path);
  }
}

}  // namespace engine
