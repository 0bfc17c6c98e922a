// Blas: cuBLAS when it can be loaded, else the tiled kernel of gemm.cu.
//
// cuBLAS is reached through a table of the few C entry points used, filled by dlopen/dlsym at run
// time, so the backend builds without cuBLAS headers or libraries and still loads on a machine
// that lacks them. Under STUDIO_CUDA_EMULATED the table is filled with host functions that follow
// cuBLAS's column-major semantics, so the emulated tests exercise the same row-major →
// column-major argument mapping that runs on the GPU.
#include "blas.cuh"

#include <stdexcept>
#include <cstdlib>
#include <string>
#include <vector>

#include "gemm.cuh"
#include "launch.cuh"

#ifndef STUDIO_CUDA_EMULATED
#include <dlfcn.h>

#include <mutex>
#endif

namespace engine {
namespace cuda {

namespace {

// The cuBLAS C API subset we call (cublas_api.h; enum values are part of its stable ABI).
using cublasHandle_t = void*;
using cublasStatus_t = int;
constexpr cublasStatus_t CUBLAS_STATUS_SUCCESS = 0;
using cublasOperation_t = int;
constexpr cublasOperation_t CUBLAS_OP_N = 0, CUBLAS_OP_T = 1;
using cublasMath_t = int;
constexpr cublasMath_t CUBLAS_DEFAULT_MATH = 0, CUBLAS_TF32_TENSOR_OP_MATH = 3;
using cudaDataType_t = int;  // library_types.h
constexpr cudaDataType_t CUDA_R_32F = 0, CUDA_R_16BF = 14;
using cublasComputeType_t = int;
constexpr cublasComputeType_t CUBLAS_COMPUTE_32F = 68;
using cublasGemmAlgo_t = int;
constexpr cublasGemmAlgo_t CUBLAS_GEMM_DEFAULT = -1;

struct CublasApi {
  cublasStatus_t (*create)(cublasHandle_t*);
  cublasStatus_t (*destroy)(cublasHandle_t);
  cublasStatus_t (*setStream)(cublasHandle_t, cudaStream_t);
  cublasStatus_t (*setMathMode)(cublasHandle_t, cublasMath_t);
  cublasStatus_t (*getVersion)(cublasHandle_t, int*);
  cublasStatus_t (*sgemm)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const float*, const float*, int,
                          const float*, int, const float*, float*, int);
  cublasStatus_t (*sgemmStridedBatched)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const float*,
                                        const float*, int, long long, const float*, int, long long, const float*, float*, int,
                                        long long, int);
  cublasStatus_t (*gemmEx)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const void*, const void*, cudaDataType_t, int,
                           const void*, cudaDataType_t, int, const void*, void*, cudaDataType_t, int, cublasComputeType_t, cublasGemmAlgo_t);
};

#ifdef STUDIO_CUDA_EMULATED
// Host stand-in for cuBLAS: column-major, op(X) = Xᵀ for CUBLAS_OP_T, pointer mode host,
// beta == 0 ignores C. The handle is the stream it was given: work waits for what is queued there.
struct EmuHandle {
  cudaStream_t stream = nullptr;
};
cublasStatus_t emuCreate(cublasHandle_t* h) {
  *h = new EmuHandle;
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t emuDestroy(cublasHandle_t h) {
  delete static_cast<EmuHandle*>(h);
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t emuSetStream(cublasHandle_t h, cudaStream_t s) {
  static_cast<EmuHandle*>(h)->stream = s;
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t emuSetMathMode(cublasHandle_t, cublasMath_t) { return CUBLAS_STATUS_SUCCESS; }
cublasStatus_t emuGetVersion(cublasHandle_t, int* v) {
  *v = 0;
  return CUBLAS_STATUS_SUCCESS;
}
// Fault injection for the tests of the backend's self-check (src/device_self_test.cpp):
// STUDIO_EMU_FAULT=cublas-scale makes every emulated cuBLAS product 1.5x too large, as a
// miscomputing library or GPU would.
float emuFaultScale() {
  static const float scale = [] {
    const char* f = std::getenv("STUDIO_EMU_FAULT");
    return f && std::string(f) == "cublas-scale" ? 1.5f : 1.f;
  }();
  return scale;
}
cublasStatus_t emuSgemmStridedBatched(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                                      const float* alpha, const float* A, int lda, long long sA, const float* B, int ldb, long long sB,
                                      const float* beta, float* C, int ldc, long long sC, int count) {
  if (cudaStreamSynchronize(static_cast<EmuHandle*>(h)->stream) != cudaSuccess) return 13;  // CUBLAS_STATUS_EXECUTION_FAILED
  for (int z = 0; z < count; ++z) {
    const float *a = A + sA * z, *b = B + sB * z;
    float* c = C + sC * z;
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < m; ++i) {
        double s = 0;
        for (int l = 0; l < k; ++l)
          s += double(ta == CUBLAS_OP_N ? a[i + (size_t)l * lda] : a[l + (size_t)i * lda]) *
               double(tb == CUBLAS_OP_N ? b[l + (size_t)j * ldb] : b[j + (size_t)l * ldb]);
        s *= emuFaultScale();
        float& out = c[i + (size_t)j * ldc];
        out = *beta == 0.f ? *alpha * float(s) : *beta * out + *alpha * float(s);
      }
  }
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t emuSgemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k, const float* alpha,
                        const float* A, int lda, const float* B, int ldb, const float* beta, float* C, int ldc) {
  return emuSgemmStridedBatched(h, ta, tb, m, n, k, alpha, A, lda, 0, B, ldb, 0, beta, C, ldc, 0, 1);
}

// cublasGemmEx for the one combination the backend uses: A, B bf16 (raw bits, widened exactly),
// C f32, f32 compute (sums in double here); anything else is CUBLAS_STATUS_NOT_SUPPORTED (15).
cublasStatus_t emuGemmEx(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k, const void* alpha, const void* A,
                         cudaDataType_t at, int lda, const void* B, cudaDataType_t bt, int ldb, const void* beta, void* C, cudaDataType_t ct, int ldc,
                         cublasComputeType_t compute, cublasGemmAlgo_t) {
  if (at != CUDA_R_16BF || bt != CUDA_R_16BF || ct != CUDA_R_32F || compute != CUBLAS_COMPUTE_32F) return 15;
  if (cudaStreamSynchronize(static_cast<EmuHandle*>(h)->stream) != cudaSuccess) return 13;
  const bf16_t *a = static_cast<const bf16_t*>(A), *b = static_cast<const bf16_t*>(B);
  float* c = static_cast<float*>(C);
  const float al = *static_cast<const float*>(alpha), be = *static_cast<const float*>(beta);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      double s = 0;
      for (int l = 0; l < k; ++l)
        s += double(bf16Widen(ta == CUBLAS_OP_N ? a[i + (size_t)l * lda] : a[l + (size_t)i * lda])) *
             double(bf16Widen(tb == CUBLAS_OP_N ? b[l + (size_t)j * ldb] : b[j + (size_t)l * ldb]));
      s *= emuFaultScale();
      float& out = c[i + (size_t)j * ldc];
      out = be == 0.f ? al * float(s) : be * out + al * float(s);
    }
  return CUBLAS_STATUS_SUCCESS;
}

// Null api with the reason in *why when cuBLAS is unavailable.
const CublasApi* loadCublas(std::string* /*why*/) {
  static const CublasApi api{emuCreate, emuDestroy, emuSetStream, emuSetMathMode, emuGetVersion, emuSgemm, emuSgemmStridedBatched, emuGemmEx};
  return &api;
}
#else
template <class F>
bool bind(void* lib, const char* name, F& fn) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  return fn != nullptr;
}

// Loaded once per process and never unloaded: handles of every Blas point into it, and unloading
// cuBLAS while the CUDA context lives is a known source of crashes at exit.
const CublasApi* loadCublas(std::string* why) {
  static CublasApi api;
  static const CublasApi* loaded = nullptr;
  static std::string failure;
  static std::once_flag once;
  std::call_once(once, [] {
    // $STUDIO_CUBLAS_LIBRARY first; then the loader's path; then the toolkit's own folders, which
    // are often not on the loader's path ($CUDA_HOME/lib64, /usr/local/cuda/lib64).
    std::vector<std::string> candidates;
    if (const char* p = std::getenv("STUDIO_CUBLAS_LIBRARY")) candidates.push_back(p);
    for (const char* name : {"libcublas.so.13", "libcublas.so.12", "libcublas.so"}) candidates.push_back(name);
    for (const char* dir : {static_cast<const char*>(std::getenv("CUDA_HOME")), "/usr/local/cuda"})
      if (dir)
        for (const char* name : {"libcublas.so.13", "libcublas.so.12"}) candidates.push_back(std::string(dir) + "/lib64/" + name);
    void* lib = nullptr;
    std::string tried;
    for (const std::string& c : candidates) {
      if ((lib = dlopen(c.c_str(), RTLD_NOW | RTLD_LOCAL))) break;
      const char* e = dlerror();
      if (tried.empty()) tried = e ? e : c + ": not found";
    }
    if (!lib) {
      failure = "libcublas.so.13/.12 not loadable (" + tried + "; set STUDIO_CUBLAS_LIBRARY to its path)";
      return;
    }
    bool ok = bind(lib, "cublasCreate_v2", api.create) && bind(lib, "cublasDestroy_v2", api.destroy) &&
              bind(lib, "cublasSetStream_v2", api.setStream) && bind(lib, "cublasSetMathMode", api.setMathMode) &&
              bind(lib, "cublasGetVersion_v2", api.getVersion) && bind(lib, "cublasSgemm_v2", api.sgemm) &&
              bind(lib, "cublasSgemmStridedBatched", api.sgemmStridedBatched) && bind(lib, "cublasGemmEx", api.gemmEx);
    if (ok)
      loaded = &api;
    else
      failure = "libcublas lacks an entry point we need";
  });
  if (!loaded) *why = failure;
  return loaded;
}
#endif

cublasOperation_t op(bool trans) { return trans ? CUBLAS_OP_T : CUBLAS_OP_N; }

}  // namespace

struct Blas::Impl {
  explicit Impl(cudaStream_t s) : stream(s) {}
  cudaStream_t stream;
  const CublasApi* api = nullptr;  // null: tiled kernel
  cublasHandle_t handle = nullptr;
  std::string description;
};

Blas::Blas(cudaStream_t stream, bool allowCublas, bool tf32) : impl_(new Impl(stream)) {
  Impl& I = *impl_;
  if (!allowCublas) {
    I.description = "tiled kernel (cuBLAS disabled by the caller)";
    return;
  }
  std::string why;
  const CublasApi* api = loadCublas(&why);
  cublasStatus_t st = 0;
  int version = 0;
  if (api && (st = api->create(&I.handle)) == CUBLAS_STATUS_SUCCESS) {
    if ((st = api->setStream(I.handle, stream)) == CUBLAS_STATUS_SUCCESS &&
        (st = api->setMathMode(I.handle, tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH)) == CUBLAS_STATUS_SUCCESS &&
        (st = api->getVersion(I.handle, &version)) == CUBLAS_STATUS_SUCCESS) {
      I.api = api;
#ifdef STUDIO_CUDA_EMULATED
      I.description = std::string("cublas (emulated on the host)") + (tf32 ? ", tf32 ignored" : "");
#else
      I.description = "cublas " + std::to_string(version) + (tf32 ? " (tf32)" : "");
#endif
      return;
    }
    api->destroy(I.handle);
    I.handle = nullptr;
  }
  I.description = "tiled kernel (" + (api ? "cuBLAS setup failed with status " + std::to_string(st) : why) + ")";
}

Blas::~Blas() {
  if (impl_->handle) impl_->api->destroy(impl_->handle);
  delete impl_;
}

const char* Blas::describe() const { return impl_->description.c_str(); }

namespace {
void checkShape(const char* fn, bool transA, bool transB, int M, int N, int K, int lda, int ldb, int ldc, int count) {
  auto bad = [fn](const std::string& what) { throw std::invalid_argument(std::string("Blas::") + fn + ": " + what); };
  if (M < 0 || N < 0 || K < 0 || count < 0)
    bad("negative size (M=" + std::to_string(M) + ", N=" + std::to_string(N) + ", K=" + std::to_string(K) + ", count=" + std::to_string(count) + ")");
  // Leading dimensions as cuBLAS requires them (>= 1 even for empty matrices).
  const int needA = transA ? M : K, needB = transB ? K : N;
  if (lda < (needA > 1 ? needA : 1)) bad("lda=" + std::to_string(lda) + " < " + std::to_string(needA));
  if (ldb < (needB > 1 ? needB : 1)) bad("ldb=" + std::to_string(ldb) + " < " + std::to_string(needB));
  if (ldc < (N > 1 ? N : 1)) bad("ldc=" + std::to_string(ldc) + " < " + std::to_string(N));
}
}  // namespace

void Blas::gemm(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda, const float* B, int ldb, float beta,
                float* C, int ldc) {
  gemmBatched(transA, transB, M, N, K, alpha, A, lda, 0, B, ldb, 0, beta, C, ldc, 0, 1);
}

void Blas::gemmBatched(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda, long long strideA,
                       const float* B, int ldb, long long strideB, float beta, float* C, int ldc, long long strideC, int count) {
  checkShape(count == 1 ? "gemm" : "gemmBatched", transA, transB, M, N, K, lda, ldb, ldc, count);
  if (M == 0 || N == 0 || count == 0) return;
  const Impl& I = *impl_;
  if (!I.api) {
    sgemmTiled(transA, transB, M, N, K, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, count, I.stream);
    return;
  }
  // Row-major C(M,N) is column-major Cᵀ(N,M) with the same ldc; Cᵀ = op(B)ᵀ·op(A)ᵀ, and the
  // row-major B (ldb) read column-major is already Bᵀ: so swap the operands and keep the ops.
  cublasStatus_t st =
      count == 1 ? I.api->sgemm(I.handle, op(transB), op(transA), N, M, K, &alpha, B, ldb, A, lda, &beta, C, ldc)
                 : I.api->sgemmStridedBatched(I.handle, op(transB), op(transA), N, M, K, &alpha, B, ldb, strideB, A, lda, strideA, &beta, C,
                                              ldc, strideC, count);
  if (st != CUBLAS_STATUS_SUCCESS) throw std::runtime_error("cuBLAS sgemm failed with status " + std::to_string(st));
}

void Blas::gemmBf16(bool transA, bool transB, int M, int N, int K, float alpha, const bf16_t* A, int lda, const bf16_t* B, int ldb, float beta,
                    float* C, int ldc) {
  checkShape("gemmBf16", transA, transB, M, N, K, lda, ldb, ldc, 1);
  if (M == 0 || N == 0) return;
  const Impl& I = *impl_;
  if (!I.api) {
    gemmTiledBf16(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, I.stream);
    return;
  }
  // The same operand swap as gemmBatched (row-major C = column-major Cᵀ = op(B)ᵀ·op(A)ᵀ).
  cublasStatus_t st = I.api->gemmEx(I.handle, op(transB), op(transA), N, M, K, &alpha, B, CUDA_R_16BF, ldb, A, CUDA_R_16BF, lda, &beta, C,
                                    CUDA_R_32F, ldc, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
  if (st != CUBLAS_STATUS_SUCCESS) throw std::runtime_error("cuBLAS gemmEx (bf16) failed with status " + std::to_string(st));
}

}  // namespace cuda
}  // namespace engine
