#include "gemm_small.h"

#if defined(__GNUC__) && defined(__x86_64__)
#define ENGINE_X86 1
#include <immintrin.h>
#else
#define ENGINE_X86 0
#endif

#include <algorithm>
#include <cstddef>

#include "gemm.h"
#include "simd_transpose.h"

namespace engine {

namespace {

constexpr int KC = kGemmKC;

// The portable bodies. (The engine is compiled with -ffp-contract=off so that `c + alpha*acc` is
// never fused here while the intrinsics kernels round twice.)
// always_inline: compiled inside the target("fma") wrapper, __builtin_fmaf is one instruction
// and the loops vectorise; as a function of its own it would be a libm call per multiply-add.
template <bool FUSED>
__attribute__((always_inline)) inline void smallMBody(int M, int j0, int j1, int K, float alpha, const float* A, int lda, const float* B, int ldb,
                       bool scaled, float* C, int ldc) {
  constexpr int U = 8;  // independent chains for instruction-level parallelism
  for (int i = 0; i < M; ++i) {
    const float* a = A + size_t(i) * lda;
    for (int j = j0; j < j1; j += U) {
      const int u = std::min(U, j1 - j);
      for (int p0 = 0; p0 < K; p0 += KC) {
        const int kc = std::min(KC, K - p0);
        float acc[U] = {0};
        for (int k = p0; k < p0 + kc; ++k)
          for (int q = 0; q < U; ++q) {
            float b = q < u ? B[size_t(j + q) * ldb + k] : 0.f;
            if (FUSED) acc[q] = __builtin_fmaf(a[k], b, acc[q]);
            else acc[q] += a[k] * b;
          }
        const bool accumulate = scaled || p0 > 0;
        for (int q = 0; q < u; ++q) {
          float v = alpha * acc[q];
          float& c = C[size_t(i) * ldc + j + q];
          c = accumulate ? c + v : v;
        }
      }
    }
  }
}

#if ENGINE_X86
// smallMBody's arithmetic for one row of A against 16 rows of a row-major B at a time (attention
// scores Q·Kᵀ over the KV cache while decoding): 16x16 tiles of B are transposed in registers so
// one vector holds 16 outputs' values at one k; rows past `valid` read as 0 and are not stored.
// Each group's chain is 16 dependent FMAs per tile, so four groups (64 keys) go side by side:
// their chains overlap, and the loads of the later groups are issued while the earlier ones
// wait, which matters once the cache no longer fits in L3 (the keys stream from DRAM).
__attribute__((target("avx512f"))) void smallMAvx512(int M, int j0, int j1, int K, float alpha, const float* A, int lda,
                                                     const float* B, int ldb, bool scaled, float* C, int ldc) {
  constexpr int G = 4;
  const __m512 al = _mm512_set1_ps(alpha);
  for (int i = 0; i < M; ++i) {
    const float* a = A + size_t(i) * lda;
    for (int j = j0; j < j1; j += 16 * G) {
      int valid[G];
      for (int g = 0; g < G; ++g) valid[g] = std::max(0, std::min(16, j1 - j - 16 * g));
      for (int p0 = 0; p0 < K; p0 += KC) {
        const int pEnd = std::min(K, p0 + KC);
        __m512 acc[G];
#pragma GCC unroll 4
        for (int g = 0; g < G; ++g) acc[g] = _mm512_setzero_ps();
        for (int k = p0; k < pEnd; k += 16) {
          const int kn = std::min(16, pEnd - k);
          const __mmask16 km = __mmask16((1u << kn) - 1);
#pragma GCC unroll 4
          for (int g = 0; g < G; ++g) {  // no early exit for an empty tail group: it keeps acc[] in registers
            const float* rows = B + size_t(j + 16 * g) * ldb + k;
            __m512 r[16];
            for (int q = 0; q < 16; ++q) r[q] = q < valid[g] ? _mm512_maskz_loadu_ps(km, rows + size_t(q) * ldb) : _mm512_setzero_ps();
            // The same tile of the next 64 keys, a block ahead (prefetches never fault past the end).
            for (int q = 0; q < 16; ++q) _mm_prefetch(reinterpret_cast<const char*>(rows + size_t(16 * G + q) * ldb), _MM_HINT_T0);
            transpose16(r);  // r[kk] lane q = B[j+16g+q][k+kk]
            for (int kk = 0; kk < kn; ++kk) acc[g] = _mm512_fmadd_ps(_mm512_set1_ps(a[k + kk]), r[kk], acc[g]);
          }
        }
#pragma GCC unroll 4
        for (int g = 0; g < G; ++g) {
          const __mmask16 out = __mmask16((1u << valid[g]) - 1);  // 0: nothing stored
          float* c = C + size_t(i) * ldc + j + 16 * g;
          __m512 v = _mm512_mul_ps(al, acc[g]);
          if (scaled || p0 > 0) v = _mm512_add_ps(_mm512_maskz_loadu_ps(out, c), v);
          _mm512_mask_storeu_ps(c, out, v);
        }
      }
    }
  }
}
#endif

void smallMPlain(int M, int j0, int j1, int K, float alpha, const float* A, int lda, const float* B, int ldb, bool scaled, float* C, int ldc) {
  smallMBody<false>(M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);
}
#if ENGINE_X86
__attribute__((target("fma"))) void smallMFused(int M, int j0, int j1, int K, float alpha, const float* A, int lda, const float* B, int ldb, bool scaled, float* C, int ldc) {
  smallMBody<true>(M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);
}
#else
void smallMFused(int M, int j0, int j1, int K, float alpha, const float* A, int lda, const float* B, int ldb, bool scaled, float* C, int ldc) {
  smallMBody<false>(M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);  // never chosen: only the scalar kernel exists here
}
#endif

// A few rows times a plain row-major B (K,N) (attention's P·V while decoding): per output the
// micro-kernel's chain over k per KC block, vectorised across the contiguous columns of B.
template <bool FUSED>
__attribute__((always_inline)) inline void smallMNBody(int M, int j0, int j1, int K, float alpha, const float* A, int lda, const float* B, int ldb,
                        bool scaled, float* C, int ldc) {
  constexpr int U = 64;
  for (int i = 0; i < M; ++i) {
    const float* a = A + size_t(i) * lda;
    for (int j = j0; j < j1; j += U) {
      const int u = std::min(U, j1 - j);
      for (int p0 = 0; p0 < K; p0 += KC) {
        const int kc = std::min(KC, K - p0);
        float acc[U] = {0};
        for (int k = p0; k < p0 + kc; ++k) {
          const float av = a[k];
          const float* b = B + size_t(k) * ldb + j;
          for (int q = 0; q < u; ++q) acc[q] = FUSED ? __builtin_fmaf(av, b[q], acc[q]) : acc[q] + av * b[q];
        }
        const bool accumulate = scaled || p0 > 0;
        for (int q = 0; q < u; ++q) {
          float v = alpha * acc[q];
          float& c = C[size_t(i) * ldc + j + q];
          c = accumulate ? c + v : v;
        }
      }
    }
  }
}

#if ENGINE_X86
// smallMNBody's arithmetic in AVX-512: 64 columns (4 vectors) of C per pass, one FMA chain per
// column over k in order inside each KC block; the column tail is masked, never read past j1.
__attribute__((target("avx512f"))) void smallMNAvx512(int M, int j0, int j1, int K, float alpha, const float* A, int lda,
                                                      const float* B, int ldb, bool scaled, float* C, int ldc) {
  constexpr int NV = 4;
  const __m512 al = _mm512_set1_ps(alpha);
  for (int i = 0; i < M; ++i) {
    const float* a = A + size_t(i) * lda;
    for (int j = j0; j < j1; j += 16 * NV) {
      __mmask16 m[NV];
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) {
        const int n = std::max(0, std::min(16, j1 - j - 16 * v));
        m[v] = __mmask16((1u << n) - 1);
      }
      for (int p0 = 0; p0 < K; p0 += KC) {
        const int pEnd = std::min(K, p0 + KC);
        __m512 acc[NV];  // in registers only with the loops unrolled (see gemv.cpp panelAvx512)
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[v] = _mm512_setzero_ps();
        for (int k = p0; k < pEnd; ++k) {
          const __m512 av = _mm512_set1_ps(a[k]);
          const float* b = B + size_t(k) * ldb + j;
          // Rows 16 ahead: the value cache streams from DRAM at long contexts.
#pragma GCC unroll 4
          for (int v = 0; v < NV; ++v) _mm_prefetch(reinterpret_cast<const char*>(b + size_t(16) * ldb + 16 * v), _MM_HINT_T0);
#pragma GCC unroll 4
          for (int v = 0; v < NV; ++v) acc[v] = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(m[v], b + 16 * v), acc[v]);
        }
        float* c = C + size_t(i) * ldc + j;
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) {
          __m512 r = _mm512_mul_ps(al, acc[v]);
          if (scaled || p0 > 0) r = _mm512_add_ps(_mm512_maskz_loadu_ps(m[v], c + 16 * v), r);
          _mm512_mask_storeu_ps(c + 16 * v, m[v], r);
        }
      }
    }
  }
}
#endif

void smallMNPlain(int M, int j0, int j1, int K, float alpha, const float* A, int lda, const float* B, int ldb, bool scaled, float* C, int ldc) {
  smallMNBody<false>(M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);
}
#if ENGINE_X86
__attribute__((target("avx2,fma"))) void smallMNFused(int M, int j0, int j1, int K, float alpha, const float* A, int lda, const float* B, int ldb, bool scaled, float* C, int ldc) {
  smallMNBody<true>(M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);
}
#else
void smallMNFused(int M, int j0, int j1, int K, float alpha, const float* A, int lda, const float* B, int ldb, bool scaled, float* C, int ldc) {
  smallMNBody<false>(M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);  // never chosen: only the scalar kernel exists here
}
#endif

}  // namespace

void smallTimesBt(SmallPath path, int M, int j0, int j1, int K, float alpha, const float* A, int lda, const float* B, int ldb, bool scaled,
                  float* C, int ldc) {
#if ENGINE_X86
  if (path == SmallPath::Avx512) return smallMAvx512(M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);
#endif
  if (path != SmallPath::Plain) smallMFused(M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);
  else smallMPlain(M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);
}

void smallTimesB(SmallPath path, int M, int j0, int j1, int K, float alpha, const float* A, int lda, const float* B, int ldb, bool scaled,
                 float* C, int ldc) {
#if ENGINE_X86
  if (path == SmallPath::Avx512) return smallMNAvx512(M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);
#endif
  if (path != SmallPath::Plain) smallMNFused(M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);
  else smallMNPlain(M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);
}

}  // namespace engine
