#include "gemm_binding.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "gemm.h"
#include "napi_args.h"
#include "pool_mode.h"
#include "threadpool.h"
#include "weight_memory.h"
#include "weightmatrix.h"

namespace engine {
namespace js {
namespace {

// Optional 'bDtype' of gemm/benchGemm: B is then a frozen weight (WeightMatrix, the layout and
// precision the model keeps its weights in: 'f32', 'f16', 'bf16'); without it B is a plain array.
bool getBDtype(Napi::Env env, const Napi::Object& o, const char* ctx, Dtype& out) {
  Napi::Value v = o.Get("bDtype");
  if (v.IsUndefined()) return false;
  std::string d = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  if (d == "f32") out = Dtype::F32;
  else if (d == "f16") out = Dtype::F16;
  else if (d == "bf16") out = Dtype::BF16;
  else typeError(env, std::string(ctx) + ": bDtype must be 'f32', 'f16' or 'bf16'");
  return true;
}

// {transA, transB, M, N, K} of gemm/benchGemm: C (M,N) = op(A) (M,K) * op(B) (K,N).
struct GemmShape {
  bool ta, tb;
  int M, N, K;
};
GemmShape parseGemmShape(Napi::Env env, const Napi::Object& o, const char* ctx) {
  GemmShape g;
  g.ta = getBool(env, o, "transA", ctx);
  g.tb = getBool(env, o, "transB", ctx);
  g.M = getInt(env, o, "M", ctx);
  g.N = getInt(env, o, "N", ctx);
  g.K = getInt(env, o, "K", ctx);
  return g;
}

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  Napi::Object o = asObject(env, info[0], "gemm(options)");
  const char* ctx = "gemm";
  const auto [ta, tb, M, N, K] = parseGemmShape(env, o, ctx);
  float alpha = float(getNumberOr(env, o, "alpha", 1, ctx)), beta = float(getNumberOr(env, o, "beta", 0, ctx));
  auto A = getFloat32Array(env, o.Get("A"), "gemm: A", size_t(M) * K);
  auto B = getFloat32Array(env, o.Get("B"), "gemm: B", size_t(K) * N);
  std::vector<float> C(size_t(M) * N, 0.f);
  if (o.Get("C").IsTypedArray()) {
    auto Cin = getFloat32Array(env, o.Get("C"), "gemm: C", size_t(M) * N);
    std::memcpy(C.data(), Cin.Data(), C.size() * sizeof(float));
  }
  std::string kernel = o.Get("kernel").IsString() ? o.Get("kernel").As<Napi::String>().Utf8Value() : "auto";
  int lda = ta ? M : K, ldb = tb ? K : N;
  Dtype bt = Dtype::F32;
  const bool weight = getBDtype(env, o, ctx, bt);
  if (kernel == "reference" && weight) typeError(env, "gemm: the reference kernel takes a plain B only (no bDtype)");
  WeightMatrix Wm;
  if (weight) Wm = WeightMatrix::fromRowMajor(B.Data(), tb ? N : K, tb ? K : N, bt);
  if (kernel == "reference") {
    sgemmReference(ta, tb, M, N, K, alpha, A.Data(), lda, B.Data(), ldb, beta, C.data(), N);
  } else {
    std::string before = gemmKernel();
    if (!setGemmKernel(kernel.c_str())) throw Napi::Error::New(env, "gemm: kernel '" + kernel + "' is not available on this CPU");
    try {
      if (weight) sgemmW(ta, tb, M, N, K, alpha, A.Data(), lda, Wm, beta, C.data(), N);
      else sgemm(ta, tb, M, N, K, alpha, A.Data(), lda, B.Data(), ldb, beta, C.data(), N);
    } catch (...) {
      setGemmKernel(before.c_str());
      throw;
    }
    setGemmKernel(before.c_str());
  }
  return toF32(env, C.data(), C.size());
  GUARD_END
}

// benchGemm({transA, transB, M, N, K, iters}) -> seconds per call (best of iters), on
// matrices allocated here so no JS copies are timed.
Napi::Value BenchGemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GUARD_BEGIN
  Napi::Object o = asObject(env, info[0], "benchGemm(options)");
  const char* ctx = "benchGemm";
  const auto [ta, tb, M, N, K] = parseGemmShape(env, o, ctx);
  int iters = int(getNumberOr(env, o, "iters", 3, ctx));
  if (M <= 0 || N <= 0 || K <= 0 || double(M) * K > 4e8 || double(K) * N > 4e8 || double(M) * N > 4e8 || iters < 1)
    typeError(env, "benchGemm: sizes out of range");
  Dtype bt = Dtype::F32;
  const bool weight = getBDtype(env, o, ctx, bt);
  std::vector<float> A(size_t(M) * K), B(size_t(K) * N), C(size_t(M) * N);
  for (size_t i = 0; i < A.size(); ++i) A[i] = float(int(i % 17) - 8) * 0.01f;
  for (size_t i = 0; i < B.size(); ++i) B[i] = float(int(i % 13) - 6) * 0.01f;
  WeightMatrix Wm;
  if (weight) {
    Wm = WeightMatrix::fromRowMajor(B.data(), tb ? N : K, tb ? K : N, bt);
    B = std::vector<float>();
  }
  double best = 1e30;
  for (int it = 0; it < iters; ++it) {
    auto t0 = std::chrono::steady_clock::now();
    if (weight) sgemmW(ta, tb, M, N, K, 1.f, A.data(), ta ? M : K, Wm, 0.f, C.data(), N);
    else sgemm(ta, tb, M, N, K, 1.f, A.data(), ta ? M : K, B.data(), tb ? K : N, 0.f, C.data(), N);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return Napi::Number::New(env, best);
  GUARD_END
}
Napi::Value GemmKernels(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array a = Napi::Array::New(env);
  std::string cur = gemmKernel();
  uint32_t i = 0;
  for (const char* k : {"avx512", "avx2", "scalar"})
    if (setGemmKernel(k)) a.Set(i++, k);
  setGemmKernel(cur.c_str());
  return a;
}

Napi::Value GemmKernelName(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), gemmKernel()); }

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) typeError(env, "setThreads(n): n must be a number");
  int n = info[0].As<Napi::Number>().Int32Value();
  if (n < 1 || n > 1024) typeError(env, "setThreads(n): n must be in 1..1024");
  setThreadCount(n);
  return env.Undefined();
}

Napi::Value GetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), threadCount()); }

// poolStats() -> {regions, tasks, workerTasks, callerWaitMs} since the last resetPoolStats():
// the thread pool's own counters, for profiling the cost of parallel regions (decode runs ~100 a token).
Napi::Value PoolStatsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PoolStats s = poolStats();
  Napi::Object o = Napi::Object::New(env);
  o.Set("regions", double(s.regions));
  o.Set("tasks", double(s.tasks));
  o.Set("workerTasks", double(s.workerTasks));
  o.Set("callerWaitMs", double(s.callerWaitNs) / 1e6);
  return o;
}

Napi::Value ResetPoolStatsJs(const Napi::CallbackInfo& info) {
  resetPoolStats();
  return info.Env().Undefined();
}

// setPoolWaitsForWorkers(bool): the pool's reference mode (pool_mode.h), for benchmarks.
Napi::Value SetPoolWaitsForWorkers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsBoolean()) typeError(env, "setPoolWaitsForWorkers(wait): wait must be a boolean");
  setPoolWaitsForWorkers(info[0].As<Napi::Boolean>().Value());
  return env.Undefined();
}

// setWeightHugePages(bool): huge-page advice for weight matrices built afterwards (weight_memory.h);
// off is the 4 KiB-page reference benchmarks compare against. Same results either way.
Napi::Value SetWeightHugePages(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsBoolean()) typeError(env, "setWeightHugePages(on): on must be a boolean");
  setWeightHugePages(info[0].As<Napi::Boolean>().Value());
  return env.Undefined();
}

Napi::Value PeakGflops(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int threads = info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : threadCount();
  double seconds = info[1].IsNumber() ? info[1].As<Napi::Number>().DoubleValue() : 0.5;
  if (threads < 1 || threads > 1024 || !(seconds > 0 && seconds < 60)) typeError(env, "peakGflops(threads, seconds): out of range");
  return Napi::Number::New(env, measurePeakGflops(threads, seconds));
}

}  // namespace

void registerGemmBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("benchGemm", Napi::Function::New(env, BenchGemm));
  exports.Set("gemmKernels", Napi::Function::New(env, GemmKernels));
  exports.Set("gemmKernel", Napi::Function::New(env, GemmKernelName));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("getThreads", Napi::Function::New(env, GetThreads));
  exports.Set("peakGflops", Napi::Function::New(env, PeakGflops));
  exports.Set("poolStats", Napi::Function::New(env, PoolStatsJs));
  exports.Set("resetPoolStats", Napi::Function::New(env, ResetPoolStatsJs));
  exports.Set("setPoolWaitsForWorkers", Napi::Function::New(env, SetPoolWaitsForWorkers));
  exports.Set("setWeightHugePages", Napi::Function::New(env, SetWeightHugePages));
}

}  // namespace js
}  // namespace engine
