#include "gemm.h"

// x86 SIMD kernels are compiled with per-function target attributes (GCC/Clang) and chosen at
// run time; elsewhere (ARM, MSVC) only the portable scalar kernel is built.
#if defined(__GNUC__) && defined(__x86_64__)
#define ENGINE_X86 1
#include <immintrin.h>
#else
#define ENGINE_X86 0
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gemm_small.h"
#include "gemv.h"
#include "simd_transpose.h"
#include "threadpool.h"

namespace engine {

namespace {

// Cache blocking: a KC x NR panel of B (32 KB at NR=32) stays in L1, an MC x KC block of A in L2,
// a KC x NC block of B in L3.
constexpr int KC = kGemmKC;
constexpr int MC = 96;   // multiple of every MR below
constexpr int NC = 3072;

using MicroKernel = void (*)(int kc, const float* Ap, const float* Bp, float* C, int ldc, int mr,
                             int nr, float alpha, bool accumulate);

struct Kernel {
  const char* name;
  int MR, NR;
  MicroKernel fn;
};

// Writes an MR x NR tile of accumulators into C: only the mr x nr valid part, so padded rows and
// columns of the packed panels never reach memory.
inline void storeTile(const float* acc, int NR, float* C, int ldc, int mr, int nr, float alpha, bool accumulate) {
  for (int i = 0; i < mr; ++i)
    for (int j = 0; j < nr; ++j) {
      float v = alpha * acc[i * NR + j];
      C[i * ldc + j] = accumulate ? C[i * ldc + j] + v : v;
    }
}

void kernelScalar(int kc, const float* Ap, const float* Bp, float* C, int ldc, int mr, int nr, float alpha, bool accumulate) {
  constexpr int MR = 4, NR = 4;
  float acc[MR * NR] = {0};
  for (int k = 0; k < kc; ++k)
    for (int i = 0; i < MR; ++i)
      for (int j = 0; j < NR; ++j) acc[i * NR + j] += Ap[k * MR + i] * Bp[k * NR + j];
  storeTile(acc, NR, C, ldc, mr, nr, alpha, accumulate);
}

#if ENGINE_X86
__attribute__((target("avx2,fma"))) void kernelAvx2(int kc, const float* Ap, const float* Bp, float* C, int ldc, int mr, int nr, float alpha, bool accumulate) {
  constexpr int MR = 6, NR = 16;
  __m256 c[MR][2];
  for (int i = 0; i < MR; ++i) c[i][0] = c[i][1] = _mm256_setzero_ps();
  for (int k = 0; k < kc; ++k) {
    __m256 b0 = _mm256_loadu_ps(Bp + k * NR), b1 = _mm256_loadu_ps(Bp + k * NR + 8);
    for (int i = 0; i < MR; ++i) {
      __m256 a = _mm256_broadcast_ss(Ap + k * MR + i);
      c[i][0] = _mm256_fmadd_ps(a, b0, c[i][0]);
      c[i][1] = _mm256_fmadd_ps(a, b1, c[i][1]);
    }
  }
  if (mr == MR && nr == NR) {
    __m256 al = _mm256_set1_ps(alpha);
    for (int i = 0; i < MR; ++i)
      for (int h = 0; h < 2; ++h) {
        __m256 v = _mm256_mul_ps(al, c[i][h]);
        float* p = C + i * ldc + h * 8;
        _mm256_storeu_ps(p, accumulate ? _mm256_add_ps(_mm256_loadu_ps(p), v) : v);
      }
    return;
  }
  alignas(32) float acc[MR * NR];
  for (int i = 0; i < MR; ++i) {
    _mm256_store_ps(acc + i * NR, c[i][0]);
    _mm256_store_ps(acc + i * NR + 8, c[i][1]);
  }
  storeTile(acc, NR, C, ldc, mr, nr, alpha, accumulate);
}

__attribute__((target("avx512f"))) void kernelAvx512(int kc, const float* Ap, const float* Bp, float* C, int ldc, int mr, int nr, float alpha, bool accumulate) {
  constexpr int MR = 8, NR = 32;
  __m512 c[MR][2];
  for (int i = 0; i < MR; ++i) c[i][0] = c[i][1] = _mm512_setzero_ps();
  for (int k = 0; k < kc; ++k) {
    __m512 b0 = _mm512_loadu_ps(Bp + k * NR), b1 = _mm512_loadu_ps(Bp + k * NR + 16);
    for (int i = 0; i < MR; ++i) {
      __m512 a = _mm512_set1_ps(Ap[k * MR + i]);
      c[i][0] = _mm512_fmadd_ps(a, b0, c[i][0]);
      c[i][1] = _mm512_fmadd_ps(a, b1, c[i][1]);
    }
  }
  if (mr == MR && nr == NR) {
    __m512 al = _mm512_set1_ps(alpha);
    for (int i = 0; i < MR; ++i)
      for (int h = 0; h < 2; ++h) {
        __m512 v = _mm512_mul_ps(al, c[i][h]);
        float* p = C + i * ldc + h * 16;
        _mm512_storeu_ps(p, accumulate ? _mm512_add_ps(_mm512_loadu_ps(p), v) : v);
      }
    return;
  }
  alignas(64) float acc[MR * NR];
  for (int i = 0; i < MR; ++i) {
    _mm512_store_ps(acc + i * NR, c[i][0]);
    _mm512_store_ps(acc + i * NR + 16, c[i][1]);
  }
  storeTile(acc, NR, C, ldc, mr, nr, alpha, accumulate);
}

#endif

const Kernel kScalar{"scalar", 4, 4, kernelScalar};
#if ENGINE_X86
const Kernel kAvx2{"avx2", 6, 16, kernelAvx2};
const Kernel kAvx512{"avx512", 8, 32, kernelAvx512};
#endif

bool cpuHas(const char* what) {
#if ENGINE_X86
  __builtin_cpu_init();
  if (std::string(what) == "avx512") return __builtin_cpu_supports("avx512f");
  if (std::string(what) == "avx2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return true;
#else
  return std::string(what) == "scalar";
#endif
}

const Kernel* bestKernel() {
#if ENGINE_X86
  if (cpuHas("avx512")) return &kAvx512;
  if (cpuHas("avx2")) return &kAvx2;
#endif
  return &kScalar;
}

std::atomic<const Kernel*> gKernel{nullptr};

const Kernel& kernel() {
  const Kernel* k = gKernel.load();
  if (!k) {
    k = bestKernel();
    gKernel.store(k);
  }
  return *k;
}

// Packs op(A)[i0:i0+mc, p0:p0+kc] as MR-row panels, k-major inside a panel, zero-padded rows.
void packA(const Kernel& kr, bool transA, const float* A, int lda, int i0, int mc, int p0, int kc, float* out) {
  const int MR = kr.MR;
  for (int ip = 0; ip < mc; ip += MR) {
    float* dst = out + size_t(ip) * kc;
    int rows = std::min(MR, mc - ip);
    for (int k = 0; k < kc; ++k)
      for (int i = 0; i < MR; ++i) {
        float v = 0.f;
        if (i < rows) {
          int r = i0 + ip + i, c = p0 + k;
          v = transA ? A[size_t(c) * lda + r] : A[size_t(r) * lda + c];
        }
        dst[k * MR + i] = v;
      }
  }
}

// Packs op(B)[p0:p0+kc, j0:j0+nc] as NR-column panels, k-major inside a panel, zero-padded columns.
void packBPanel(const Kernel& kr, bool transB, const float* B, int ldb, int p0, int kc, int j0, int cols, float* dst) {
  const int NR = kr.NR;
  if (!transB && cols == NR) {
    for (int k = 0; k < kc; ++k) std::memcpy(dst + k * NR, B + size_t(p0 + k) * ldb + j0, sizeof(float) * NR);
    return;
  }
  for (int k = 0; k < kc; ++k)
    for (int j = 0; j < NR; ++j) {
      float v = 0.f;
      if (j < cols) v = transB ? B[size_t(j0 + j) * ldb + p0 + k] : B[size_t(p0 + k) * ldb + j0 + j];
      dst[k * NR + j] = v;
    }
}

// Packs op(B)[p0:p0+kc, j0:j0+cols] from a WeightMatrix (values widened to f32), zero-padded
// columns. transB: op(B) = Wᵀ with W (N,K), so B(k,j) = W(j,k): 16-value runs of one panel row
// are contiguous. Otherwise op(B) = W with W (K,N): B(k,j) = W(k,j), stride kPanel along j.
#if ENGINE_X86
// 16 stored values of type T from element `off`, widened (one load, one conversion).
template <Dtype T>
__attribute__((target("avx512f"), always_inline)) inline __m512 load16w(const void* base, size_t off) {
  if (T == Dtype::F32) return _mm512_loadu_ps(static_cast<const float*>(base) + off);
  const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(static_cast<const uint16_t*>(base) + off));
  return T == Dtype::F16 ? _mm512_cvtph_ps(h) : _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

template <Dtype T>
__attribute__((target("avx512f"))) void widen16Avx512(const void* base, size_t off, float* dst) {
  _mm512_storeu_ps(dst, load16w<T>(base, off));
}

// Input-gradient products (op(B) = W, W (K,N)): for 16 k's of one panel (16-aligned) and a
// column j, the 16 values are contiguous; 16 columns at a time are transposed in registers into
// packed rows. p0 + k0 must be a multiple of 16; writes packed rows [k0, k0+16) of an NR-wide panel.
template <Dtype T>
__attribute__((target("avx512f"))) void packNoTrans16Avx512(const WeightMatrix& W, int p0, int k0, int j0, int NR, float* dst) {
  const void* base = W.data();
  for (int s = 0; s < NR; s += 16) {
    __m512 r[16];
    for (int q = 0; q < 16; ++q) r[q] = load16w<T>(base, WeightMatrix::index(p0 + k0, j0 + s + q, W.cols));  // W(p0+k0.., j0+s+q)
    transpose16(r);  // r[kk] lane q = W(p0+k0+kk, j0+s+q)
    for (int kk = 0; kk < 16; ++kk) _mm512_storeu_ps(dst + size_t(k0 + kk) * NR + s, r[kk]);
  }
}
#endif

template <Dtype T>
void packWeightPanel(const Kernel& kr, bool transB, const WeightMatrix& W, int p0, int kc, int j0, int cols, float* dst) {
  const int NR = kr.NR;
  const void* base = W.data();
#if ENGINE_X86
  // Forward products (transB), 16-aligned columns: every 16 packed values of a k are contiguous
  // in one panel row (panels are 64 rows, a multiple of 16).
  static const bool avx512 = cpuHas("avx512");
  static_assert(kPanel % 16 == 0, "16-value runs must not cross a panel");
  if (transB && avx512 && NR % 16 == 0 && j0 % 16 == 0 && cols == NR) {
    for (int k = 0; k < kc; ++k)
      for (int s = 0; s < NR; s += 16) widen16Avx512<T>(base, WeightMatrix::index(j0 + s, p0 + k, W.cols), dst + k * NR + s);
    return;
  }
  int kDone = 0;
  if (!transB && avx512 && NR % 16 == 0 && cols == NR && p0 % 16 == 0) {
    for (; kDone + 16 <= kc; kDone += 16) packNoTrans16Avx512<T>(W, p0, kDone, j0, NR, dst);
  }
#else
  int kDone = 0;
#endif
  for (int k = kDone; k < kc; ++k) {
    float* d = dst + k * NR;
    if (transB) {
      for (int j = 0; j < cols; ++j) d[j] = loadAsFloat(base, T, WeightMatrix::index(j0 + j, p0 + k, W.cols));
    } else {
      const size_t rowBase = WeightMatrix::index(p0 + k, 0, W.cols);
      for (int j = 0; j < cols; ++j) d[j] = loadAsFloat(base, T, rowBase + size_t(j0 + j) * kPanel);
    }
    for (int j = cols; j < NR; ++j) d[j] = 0.f;
  }
}

void packWeight(const Kernel& kr, bool transB, const WeightMatrix& W, int p0, int kc, int j0, int cols, float* dst) {
  switch (W.dtype) {
    case Dtype::F32: return packWeightPanel<Dtype::F32>(kr, transB, W, p0, kc, j0, cols, dst);
    case Dtype::F16: return packWeightPanel<Dtype::F16>(kr, transB, W, p0, kc, j0, cols, dst);
    case Dtype::BF16: return packWeightPanel<Dtype::BF16>(kr, transB, W, p0, kc, j0, cols, dst);
  }
}

}  // namespace

namespace {

// The blocked driver: B is either a plain f32 array (B, ldb) or a WeightMatrix (W).
void gemmDriver(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
                const float* B, int ldb, const WeightMatrix* W, float beta, float* C, int ldc) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) C[size_t(i) * ldc + j] = beta == 0.f ? 0.f : beta * C[size_t(i) * ldc + j];
    return;
  }
  const Kernel& kr = kernel();
  const int MR = kr.MR, NR = kr.NR;
  // beta is folded in once, before the first k-block, so every later block just accumulates.
  bool scaled = beta == 1.f;
  if (!scaled && beta != 0.f) {
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) C[size_t(i) * ldc + j] *= beta;
    scaled = true;
  }
  if (W && !transA && transB && M <= 4 * kGemvMaxRows) {
    // Decoding with a frozen weight: stream its panels once (gemv.h), one panel (64 outputs) a task.
    // A batch of up to 16 rows (serving several requests at once) takes the panel in chunks of
    // kGemvMaxRows rows one after the other, while it is still in cache: the weight is read from
    // memory about once, where the blocked GEMM would pack it (three times the traffic). Each row
    // keeps gemv's arithmetic, so it is bit-identical to the row decoded alone.
    const GemvPath path = gemvPathFor(kr.name);
    const int panels = W->panels(), per = 1;
    pool().run((panels + per - 1) / per, [&](int64_t t, int) {
      const int q0 = int(t) * per;
      for (int r0 = 0; r0 < M; r0 += kGemvMaxRows)
        gemvPanels(std::min(kGemvMaxRows, M - r0), q0, std::min(panels, q0 + per), alpha, A + size_t(r0) * lda, lda, *W, scaled,
                   C + size_t(r0) * ldc, ldc, path);
    });
    return;
  }
  if (!W && !transA && M <= kSmallRowsMax) {
    // Attention while decoding (gemm_small.h). The path follows the chosen kernel, not the CPU,
    // so that forcing 'avx2' or 'scalar' in tests runs that path here.
#if ENGINE_X86
    const SmallPath path = &kr == &kAvx512 ? SmallPath::Avx512 : &kr != &kScalar ? SmallPath::Fused : SmallPath::Plain;
#else
    const SmallPath path = SmallPath::Plain;
#endif
    const int chunk = transB ? 64 : 256;
    pool().run((N + chunk - 1) / chunk, [&](int64_t t, int) {
      const int j0 = int(t) * chunk, j1 = std::min(N, j0 + chunk);
      if (transB) smallTimesBt(path, M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);
      else smallTimesB(path, M, j0, j1, K, alpha, A, lda, B, ldb, scaled, C, ldc);
    });
    return;
  }
  const int Mpad = (M + MR - 1) / MR * MR;
  const int ncMax = std::min(NC, (N + NR - 1) / NR * NR);
  // Pack buffers live per calling thread and are reused: a fresh multi-MB allocation per call
  // would page-fault on every GEMM. (Nested calls from pool tasks run on their own thread.)
  // Worker threads see their own thread_locals, so the lambdas below use these pointers.
  thread_local std::vector<float> tlA, tlB;
  if (tlA.size() < size_t(Mpad) * KC) tlA.resize(size_t(Mpad) * KC);
  if (tlB.size() < size_t(ncMax) * KC) tlB.resize(size_t(ncMax) * KC);
  float* const Apack = tlA.data();
  float* const Bpack = tlB.data();
  ThreadPool& tp = pool();

  for (int j0 = 0; j0 < N; j0 += NC) {
    const int nc = std::min(NC, N - j0);
    const int npanels = (nc + NR - 1) / NR;
    for (int p0 = 0; p0 < K; p0 += KC) {
      const int kc = std::min(KC, K - p0);
      const bool accumulate = scaled || p0 > 0;
      // Pack all of op(A)'s rows and this block of B, in parallel.
      const int mblocks = (M + MC - 1) / MC;
      tp.run(mblocks + npanels, [&](int64_t t, int) {
        if (t < mblocks) {
          int i0 = int(t) * MC;
          packA(kr, transA, A, lda, i0, std::min(MC, M - i0), p0, kc, Apack + size_t(i0) * kc);
        } else {
          int jp = int(t) - mblocks;
          const int cols = std::min(NR, nc - jp * NR);
          float* dst = Bpack + size_t(jp) * NR * kc;
          if (W) packWeight(kr, transB, *W, p0, kc, j0 + jp * NR, cols, dst);
          else packBPanel(kr, transB, B, ldb, p0, kc, j0 + jp * NR, cols, dst);
        }
      });
      // Tasks are (row block, group of column panels); each writes its own part of C.
      const int mtiles = (M + MR - 1) / MR;
      const int rowsPerTask = std::max(1, std::min(MC / MR, mtiles));
      const int mtasks = (mtiles + rowsPerTask - 1) / rowsPerTask;
      const int panelsPerTask = std::max(1, std::min(npanels, 256 / NR));
      const int ntasks = (npanels + panelsPerTask - 1) / panelsPerTask;
      tp.run(int64_t(mtasks) * ntasks, [&](int64_t t, int) {
        int mt = int(t / ntasks), nt = int(t % ntasks);
        int tEnd = std::min(mtiles, (mt + 1) * rowsPerTask);
        int pEnd = std::min(npanels, (nt + 1) * panelsPerTask);
        for (int jp = nt * panelsPerTask; jp < pEnd; ++jp) {
          const float* Bp = Bpack + size_t(jp) * NR * kc;
          int nr = std::min(NR, nc - jp * NR);
          for (int it = mt * rowsPerTask; it < tEnd; ++it) {
            int i = it * MR;
            int mr = std::min(MR, M - i);
            kr.fn(kc, Apack + size_t(i) * kc, Bp, C + size_t(i) * ldc + j0 + jp * NR, ldc, mr, nr, alpha, accumulate);
          }
        }
      });
    }
  }
}

}  // namespace

void sgemm(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc) {
  gemmDriver(transA, transB, M, N, K, alpha, A, lda, B, ldb, nullptr, beta, C, ldc);
}

void sgemmW(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
            const WeightMatrix& W, float beta, float* C, int ldc) {
  const bool ok = transB ? (W.rows == N && W.cols == K) : (W.rows == K && W.cols == N);
  if (!ok)
    throw std::runtime_error("sgemmW: weight is (" + std::to_string(W.rows) + "," + std::to_string(W.cols) + "), product needs " +
                             (transB ? "(N,K) = (" + std::to_string(N) + "," + std::to_string(K) : "(K,N) = (" + std::to_string(K) + "," + std::to_string(N)) + ")");
  gemmDriver(transA, transB, M, N, K, alpha, A, lda, nullptr, 0, &W, beta, C, ldc);
}

void sgemmReference(bool transA, bool transB, int M, int N, int K, float alpha, const float* A,
                    int lda, const float* B, int ldb, float beta, float* C, int ldc) {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      double s = 0;
      for (int k = 0; k < K; ++k) {
        float a = transA ? A[size_t(k) * lda + i] : A[size_t(i) * lda + k];
        float b = transB ? B[size_t(j) * ldb + k] : B[size_t(k) * ldb + j];
        s += double(a) * double(b);
      }
      float prev = beta == 0.f ? 0.f : beta * C[size_t(i) * ldc + j];
      C[size_t(i) * ldc + j] = prev + alpha * float(s);
    }
}

const char* gemmKernel() { return kernel().name; }

bool setGemmKernel(const char* name) {
  std::string n(name);
  if (n == "auto") { gKernel.store(bestKernel()); return true; }
  if (n == "scalar") { gKernel.store(&kScalar); return true; }
#if ENGINE_X86
  if (n == "avx2" && cpuHas("avx2")) { gKernel.store(&kAvx2); return true; }
  if (n == "avx512" && cpuHas("avx512")) { gKernel.store(&kAvx512); return true; }
#endif
  return false;
}

namespace {
#if ENGINE_X86
__attribute__((target("avx512f"))) double fmaLoopAvx512(long iters) {
  __m512 acc[16];
  for (int i = 0; i < 16; ++i) acc[i] = _mm512_set1_ps(float(i) * 1e-3f);
  const __m512 m = _mm512_set1_ps(0.9999f), a = _mm512_set1_ps(1e-4f);
  for (long it = 0; it < iters; ++it)
    for (int i = 0; i < 16; ++i) acc[i] = _mm512_fmadd_ps(acc[i], m, a);
  float out[16];
  __m512 s = acc[0];
  for (int i = 1; i < 16; ++i) s = _mm512_add_ps(s, acc[i]);
  _mm512_storeu_ps(out, s);
  return double(out[0]) + iters * 16.0 * 16 * 2 * 0;  // use the result so the loop stays
}
__attribute__((target("avx2,fma"))) double fmaLoopAvx2(long iters) {
  __m256 acc[12];
  for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(float(i) * 1e-3f);
  const __m256 m = _mm256_set1_ps(0.9999f), a = _mm256_set1_ps(1e-4f);
  for (long it = 0; it < iters; ++it)
    for (int i = 0; i < 12; ++i) acc[i] = _mm256_fmadd_ps(acc[i], m, a);
  float out[8];
  __m256 s = acc[0];
  for (int i = 1; i < 12; ++i) s = _mm256_add_ps(s, acc[i]);
  _mm256_storeu_ps(out, s);
  return double(out[0]);
}
#endif
}  // namespace

double measurePeakGflops(int threads, double seconds) {
  const bool avx512 = cpuHas("avx512"), avx2 = cpuHas("avx2");
  if (!avx512 && !avx2) return 0.0;  // no SIMD probe for this CPU: reported as 0
#if ENGINE_X86
  const double flopsPerIter = avx512 ? 16.0 * 16 * 2 : 12.0 * 8 * 2;
  // Calibrate a chunk that runs ~10 ms, then run chunks on every thread for the time asked.
  long chunk = 1 << 16;
  std::atomic<double> sink{0};
  auto runChunk = [&](long n) { double r = avx512 ? fmaLoopAvx512(n) : fmaLoopAvx2(n); sink.store(r); };
  for (;;) {
    auto t0 = std::chrono::steady_clock::now();
    runChunk(chunk);
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (dt > 0.01 || chunk > (1L << 30)) break;
    chunk *= 2;
  }
  std::vector<double> rate(size_t(std::max(1, threads)), 0.0);
  std::vector<std::thread> ts;
  for (int t = 0; t < std::max(1, threads); ++t)
    ts.emplace_back([&, t] {
      auto t0 = std::chrono::steady_clock::now();
      long done = 0;
      double dt = 0;
      while (dt < seconds) {
        runChunk(chunk);
        done += chunk;
        dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      }
      rate[size_t(t)] = done * flopsPerIter / dt / 1e9;
    });
  for (auto& t : ts) t.join();
  double total = 0;
  for (double r : rate) total += r;
  return total;
#else
  (void)threads;
  (void)seconds;
  return 0.0;
#endif
}

}  // namespace engine
